"""DJR104: a hand-written query (get, count, get_object_or_404) on every loop iteration."""

from __future__ import annotations

from djreview.checks.performance._nplusone import NPlusOneCheck
from djreview.model import Severity


class QueryInLoop(NPlusOneCheck):
    """Runs a database query on every iteration of a loop.

    ## What it does
    Finds queries evaluated inside a loop body: `Model.objects.get(...)`,
    `.first()`, `.count()`, `.exists()`, `.aggregate()`, iterating a queryset,
    `get_object_or_404(...)`. Loops over literals (`for name in ("a", "b")`,
    `range(3)`) are bounded and ignored, and so are loops over values the
    code spells elsewhere: a name bound only to a literal of constants (and
    never appended to) in the function or at module level (imported or
    not; also a module list unpacking such literals, `[*CORE, *EXTRA]`),
    `.items()`/`.keys()`/`.values()` of one, a parameter of a module-level
    function that every call in the project fills with such a literal, data
    the repository ships (a project function called with constants that
    loads JSON/YAML/CSV from a path built from constants, settings and
    `__file__`: seed files) and the parts of its rows, and a setting whose value
    in the settings is a literal
    (`settings.DEFAULT_TYPES`): their length is fixed by code, not by rows.
    A query filtered `field__in=` a batch is already the cure: a collection
    the loop hands out (`for window, ids in groups.items()`) or a slice made
    in the loop (`chunk = ids[i : i + size]`); a collection looked up per row
    (`ids_of[row.pk]`) is still reported. A query under a once-guard,
    `if x is None: x = Model.objects.get(...)` with `x` set nowhere else in
    the loop, runs at most once and is not reported (reset per iteration, it
    is). Tests and migrations are ignored too.

    ## Why is this bad?
    The number of queries grows with the number of items: a request that
    looks up 200 ids one at a time makes 200 round trips to the database.

    ## Example
    ```python
    for post_id in ids:
        post = Post.objects.get(pk=post_id)
    ```

    ## Use instead
    ```python
    posts = Post.objects.in_bulk(ids)
    ```
    or `filter(pk__in=ids)`, or `annotate()` a count on the outer queryset.

    ## References
    - https://docs.djangoproject.com/en/5.2/topics/db/optimization/#retrieve-everything-at-once-if-you-know-you-will-need-it
    - https://docs.djangoproject.com/en/5.2/ref/models/querysets/#in-bulk
    """

    id = "DJR104"
    name = "query-in-loop"
    message = (
        "{relation} runs a query on every iteration of the loop at line {loop_line}; "
        "fetch the rows once before the loop ({cure})"
    )
    severity = Severity.WARNING
    references = ("https://docs.djangoproject.com/en/5.2/ref/models/querysets/#in-bulk",)

    kind = "query"
