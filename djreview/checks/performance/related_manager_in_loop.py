"""DJR102: a reverse ForeignKey or many-to-many manager queried per row without prefetch_related."""

from __future__ import annotations

from djreview.checks.performance._nplusone import NPlusOneCheck, reads_at, to_queryset
from djreview.model import Severity
from djreview.nplusone.problem import Problem


class RelatedManagerInLoop(NPlusOneCheck):
    """Queries a reverse or many-to-many relation once per row of a queryset.

    ## What it does
    Finds loops over a queryset that use a reverse ForeignKey or a
    ManyToManyField manager of each row (`post.comments.all()`,
    `post.tags.count()`, `.exists()`, `.first()`, iterating it) when the
    queryset does not `prefetch_related` that relation, directly or in a method
    or property called in the loop.

    ## Why is this bad?
    Each call on a related manager is a query: listing the tags of 100 posts
    runs 101 queries, where `prefetch_related("tags")` runs 2.

    ## Example
    ```python
    for post in Post.objects.all():
        names = [tag.name for tag in post.tags.all()]
    ```

    ## Use instead
    ```python
    for post in Post.objects.prefetch_related("tags"):
        names = [tag.name for tag in post.tags.all()]
    ```
    For a count, `Post.objects.annotate(num_comments=Count("comments"))` reads
    every count in the main query.

    ## References
    - https://docs.djangoproject.com/en/5.2/ref/models/querysets/#prefetch-related
    - https://docs.djangoproject.com/en/5.2/topics/db/optimization/
    """

    id = "DJR102"
    name = "related-manager-in-loop"
    message = "{relation}{trigger} queries once per row; add {cure}{origin}"
    filtered_message = "{relation}{trigger} queries once per row; load the rows with {cure}{origin}"
    severity = Severity.WARNING
    fixable = True
    references = ("https://docs.djangoproject.com/en/5.2/ref/models/querysets/#prefetch-related",)

    kind = "prefetch"

    def template(self, problem: Problem) -> str:
        """A manager filtered per row needs a Prefetch object, not a plain prefetch."""
        return self.filtered_message if problem.filtered else self.message

    def fields(self, problem: Problem) -> dict[str, object]:
        """The read, the method that reads it, the cure and where to add it."""
        return {
            **super().fields(problem),
            "trigger": reads_at(problem),
            "origin": to_queryset(problem),
        }
