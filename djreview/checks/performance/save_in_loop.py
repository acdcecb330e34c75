"""DJR105: one save()/create() per loop iteration where a bulk write would do."""

from __future__ import annotations

from djreview.checks.performance._nplusone import NPlusOneCheck
from djreview.model import Severity


class SaveInLoop(NPlusOneCheck):
    """Writes one row per loop iteration with save(), objects.create() or an M2M add().

    ## What it does
    Finds `obj.save()` on model instances and `Model.objects.create()` (or
    `get_or_create`/`update_or_create`) inside loops. A hint, not an error:
    `save()` runs signals and custom `save()` logic that `bulk_update()` and
    `bulk_create()` skip, so check that before switching.

    Also `owner.tags.add(row)` / `remove(row)` on a many-to-many manager,
    one call per row of a loop over database rows: each call is its own
    SELECT and INSERT (or DELETE), where one `add(*rows)` does them all. The
    owner may be untyped (a parameter): a many-to-many field of that name in
    the project is the evidence. Not reported: a loop over a list the caller
    gave (the few tags of a form or a factory), and `row.tags.add(x)` with
    the row as the owner (its batch is a `bulk_create()` on the through
    model; in the triage such loops were batch jobs).

    A `get_or_create()` under a once-guard (`if x is None: x, _ = ...`, `x`
    set nowhere else in the loop) runs at most once and is not reported.

    Calls with arguments Django's own `save()`/`create()` do not take are not
    reported: they belong to the project's override, which bulk writes skip.
    A model's own `save()` is no reason to stay silent: in the triage it as
    often stamps fields that one queryset `update()` could write.
    Writes to a model with `pre_save`/`post_save` receivers in the project
    (`@receiver(post_save, sender=X)`, `post_save.connect(f, sender=X)`) are
    not reported: bulk writes send no signals, so the batch would drop the
    receivers' work. A `post_save` receiver that acts only on created rows
    (`if not created: return`) does not stop advice on updates of existing
    rows. Receivers connected without a resolvable sender are not seen.

    ## Why is this bad?
    Each write is its own statement and round trip; updating 1,000 rows one by
    one is 1,000 queries where `bulk_update()` needs a handful.

    ## Example
    ```python
    for post in Post.objects.all():
        post.word_count = len(post.body.split())
        post.save(update_fields=["word_count"])
    ```

    ## Use instead
    ```python
    posts = list(Post.objects.all())
    for post in posts:
        post.word_count = len(post.body.split())
    Post.objects.bulk_update(posts, ["word_count"])
    ```

    ## References
    - https://docs.djangoproject.com/en/5.2/ref/models/querysets/#bulk-update
    - https://docs.djangoproject.com/en/5.2/ref/models/querysets/#bulk-create
    """

    id = "DJR105"
    name = "save-in-loop"
    message = (
        "{relation} writes one row per iteration of the loop at line {loop_line}; "
        "collect the objects and write them with {cure}"
    )
    severity = Severity.NOTE
    precision = "medium"
    references = ("https://docs.djangoproject.com/en/5.2/ref/models/querysets/#bulk-update",)

    kind = "save"
