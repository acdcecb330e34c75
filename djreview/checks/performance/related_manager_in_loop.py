"""DJR102: a reverse ForeignKey or many-to-many manager queried per row without prefetch_related."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from djreview.checks.base import Check
from djreview.model import Finding, Severity
from djreview.nplusone.analysis import SharesAnalysis, findings

if TYPE_CHECKING:
    from djreview.source.project import Project


class RelatedManagerInLoop(SharesAnalysis, Check):
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
    message = "{relation} queries once per row; add prefetch_related to the queryset"
    severity = Severity.WARNING
    category = "performance"
    tags = ("n-plus-one",)
    fixable = True
    references = ("https://docs.djangoproject.com/en/5.2/ref/models/querysets/#prefetch-related",)

    def check_project(self, project: Project) -> Iterable[Finding]:
        """Findings for every unprefetched related manager used per row."""
        return findings(self, project, ("prefetch",))
