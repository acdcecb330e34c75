"""DJR105: one save()/create() per loop iteration where a bulk write would do."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from djreview.checks.base import Check
from djreview.model import Finding, Severity
from djreview.nplusone.analysis import SharesAnalysis, findings

if TYPE_CHECKING:
    from djreview.source.project import Project


class SaveInLoop(SharesAnalysis, Check):
    """Writes one row per loop iteration with save() or objects.create().

    ## What it does
    Finds `obj.save()` on model instances and `Model.objects.create()` (or
    `get_or_create`/`update_or_create`) inside loops. A hint, not an error:
    `save()` runs signals and custom `save()` logic that `bulk_update()` and
    `bulk_create()` skip, so check that before switching.

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
    message = "one row is written per iteration; use bulk_create() or bulk_update()"
    severity = Severity.NOTE
    category = "performance"
    tags = ("n-plus-one",)
    precision = "medium"
    references = ("https://docs.djangoproject.com/en/5.2/ref/models/querysets/#bulk-update",)

    def check_project(self, project: Project) -> Iterable[Finding]:
        """Findings for every single-row write inside a loop."""
        return findings(self, project, ("save",))
