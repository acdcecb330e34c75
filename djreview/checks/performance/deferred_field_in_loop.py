"""DJR106: a field left out by only()/defer() read per row, one query each."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from djreview.checks.base import Check
from djreview.model import Finding, Severity
from djreview.nplusone.analysis import SharesAnalysis, findings

if TYPE_CHECKING:
    from djreview.source.project import Project


class DeferredFieldInLoop(SharesAnalysis, Check):
    """Reads a deferred field once per row of a queryset.

    ## What it does
    Finds loops over a queryset narrowed with `only(...)` or `defer(...)` that
    read a field the queryset did not load (`post.body` after `only("title")`).

    ## Why is this bad?
    Django loads a deferred field with one query per object, so the
    optimisation turns into an N+1.

    ## Example
    ```python
    for post in Post.objects.only("title"):
        print(post.title, post.body[:80])
    ```

    ## Use instead
    ```python
    for post in Post.objects.only("title", "body"):
        print(post.title, post.body[:80])
    ```

    ## References
    - https://docs.djangoproject.com/en/5.2/ref/models/querysets/#only
    - https://docs.djangoproject.com/en/5.2/ref/models/querysets/#defer
    """

    id = "DJR106"
    name = "deferred-field-in-loop"
    message = "{field} was deferred and is loaded once per row"
    severity = Severity.WARNING
    category = "performance"
    tags = ("n-plus-one",)
    fixable = True
    references = ("https://docs.djangoproject.com/en/5.2/ref/models/querysets/#only",)

    def check_project(self, project: Project) -> Iterable[Finding]:
        """Findings for every deferred field read per row."""
        return findings(self, project, ("deferred",))
