"""DJR103: a prefetched relation re-queried per row with filter()/order_by()/..."""

from __future__ import annotations

from djreview.checks.performance._nplusone import NPlusOneCheck, on_queryset, reads_at
from djreview.model import Severity
from djreview.nplusone.problem import Problem


class PrefetchBypassedInLoop(NPlusOneCheck):
    """Filters or re-orders a prefetched relation per row, which queries again.

    ## What it does
    Finds loops over a queryset that `prefetch_related("comments")` and then
    call `.filter()`, `.exclude()`, `.order_by()`, `.annotate()`, `.values()`
    or `.get()` on `row.comments`. These build a new queryset, so the prefetched
    rows are ignored and each row runs its own query. (`.all()`, `.count()`
    and `.exists()` are served from the prefetch cache and are not flagged.)

    ## Why is this bad?
    The prefetch costs a query and the loop still runs one per row: the
    optimisation is paid for and lost.

    ## Example
    ```python
    posts = Post.objects.prefetch_related("comments")
    for post in posts:
        approved = post.comments.filter(is_approved=True)
    ```

    ## Use instead
    ```python
    posts = Post.objects.prefetch_related(
        Prefetch("comments", queryset=Comment.objects.filter(is_approved=True), to_attr="approved")
    )
    for post in posts:
        approved = post.approved
    ```
    or `annotate(Count("comments", filter=Q(comments__is_approved=True)))` for a count.

    ## References
    - https://docs.djangoproject.com/en/5.2/ref/models/querysets/#prefetch-objects
    - https://docs.djangoproject.com/en/5.2/ref/models/querysets/#prefetch-related
    """

    id = "DJR103"
    name = "prefetch-bypassed-in-loop"
    message = (
        '{relation}{trigger} runs a new query per row although "{path}" is prefetched; '
        "filter inside {cure} or annotate() instead{origin}"
    )
    severity = Severity.WARNING
    references = ("https://docs.djangoproject.com/en/5.2/ref/models/querysets/#prefetch-objects",)

    kind = "bypass"

    def fields(self, problem: Problem) -> dict[str, object]:
        """The read, the method that reads it, the cure and the queryset."""
        return {
            **super().fields(problem),
            "trigger": reads_at(problem),
            "origin": on_queryset(problem),
        }
