"""DJR101: a forward ForeignKey/OneToOne read per row of a queryset without select_related."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from djreview.checks.base import Check
from djreview.model import Finding, Severity
from djreview.nplusone.analysis import SharesAnalysis, findings

if TYPE_CHECKING:
    from djreview.source.project import Project


class RelatedAccessInLoop(SharesAnalysis, Check):
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
    message = "{relation} is loaded once per row; add select_related to the queryset"
    severity = Severity.WARNING
    category = "performance"
    tags = ("n-plus-one",)
    fixable = True
    references = ("https://docs.djangoproject.com/en/5.2/ref/models/querysets/#select-related",)

    def check_project(self, project: Project) -> Iterable[Finding]:
        """Findings for every uncovered forward relation read per row."""
        return findings(self, project, ("select",))
