"""DJR101: a forward ForeignKey/OneToOne read per row of a queryset without select_related."""

from __future__ import annotations

from djreview.checks.performance._nplusone import NPlusOneCheck, reads_at, to_queryset
from djreview.model import Severity
from djreview.nplusone.problem import Problem


class RelatedAccessInLoop(NPlusOneCheck):
    """Reads a related object once per row of a queryset.

    ## What it does
    Finds loops (for statements, comprehensions, generator expressions,
    `map(lambda row: ...)`) over a queryset that read a ForeignKey or
    OneToOneField (`post.author`, nested `post.author.profile`, or inside a
    model method or `@property` called in the loop) that the queryset does
    not `select_related`. The queryset is followed to where it is built: the
    same function, a class attribute, `get_queryset()`, a custom manager
    method or a helper in another module.

    ## Why is this bad?
    Django loads a related object lazily, with one query per row: a page of 100
    posts that shows each author runs 101 queries. The cost grows with the data
    and is invisible in development databases.

    ## Example
    ```python
    for post in Post.objects.filter(status="published"):
        print(post.author.username)
    ```

    ## Use instead
    ```python
    for post in Post.objects.filter(status="published").select_related("author"):
        print(post.author.username)
    ```
    A path through a many-to-many or reverse relation (`comment.author` for the
    comments of each post) needs `prefetch_related("comments__author")`.

    ## References
    - https://docs.djangoproject.com/en/5.2/ref/models/querysets/#select-related
    - https://docs.djangoproject.com/en/5.2/topics/db/optimization/
    """

    id = "DJR101"
    name = "related-access-in-loop"
    message = "{relation}{trigger} is loaded once per row; add {cure}{origin}"
    severity = Severity.WARNING
    fixable = True
    references = ("https://docs.djangoproject.com/en/5.2/ref/models/querysets/#select-related",)

    kind = "select"

    def fields(self, problem: Problem) -> dict[str, object]:
        """The read, the method that reads it, the cure and where to add it."""
        return {
            **super().fields(problem),
            "trigger": reads_at(problem),
            "origin": to_queryset(problem),
        }
