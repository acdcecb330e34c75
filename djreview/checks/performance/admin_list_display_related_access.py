"""DJR130: an admin list_display column that reads a relation per changelist row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from djreview.checks.base import Check
from djreview.model import Finding, Severity
from djreview.nplusone.analysis import SharesAnalysis, findings

if TYPE_CHECKING:
    from djreview.source.project import Project


class AdminListDisplayRelatedAccess(SharesAnalysis, Check):
    """Reads a relation once per row of an admin changelist.

    ## What it does
    Reads each `list_display` column of a registered `ModelAdmin`: admin
    methods and `@admin.display` callables taking `obj`, model methods and
    properties, `__str__`, `a__b` lookups and nullable ForeignKey columns; and
    reports relations the changelist queryset does not join. Django itself
    calls `select_related()` when a ForeignKey is a column and
    `list_select_related` is not set, which covers every non-null foreign key:
    those are not flagged.

    ## Why is this bad?
    The changelist shows 100 rows by default: a column reading `obj.author`
    adds 100 queries to every page view.

    ## Example
    ```python
    @admin.register(Post)
    class PostAdmin(admin.ModelAdmin):
        list_display = ["title", "byline"]

        def byline(self, obj):
            return obj.author.username
    ```

    ## Use instead
    ```python
    @admin.register(Post)
    class PostAdmin(admin.ModelAdmin):
        list_display = ["title", "byline"]
        list_select_related = ["author"]
    ```

    ## References
    - https://docs.djangoproject.com/en/5.2/ref/contrib/admin/#django.contrib.admin.ModelAdmin.list_select_related
    - https://docs.djangoproject.com/en/5.2/ref/contrib/admin/#django.contrib.admin.ModelAdmin.list_display
    """

    id = "DJR130"
    name = "admin-list-display-related-access"
    message = "{relation} is loaded once per changelist row"
    severity = Severity.WARNING
    category = "performance"
    tags = ("n-plus-one",)
    fixable = True
    references = (
        "https://docs.djangoproject.com/en/5.2/ref/contrib/admin/#django.contrib.admin.ModelAdmin.list_select_related",
    )

    def check_project(self, project: Project) -> Iterable[Finding]:
        """Findings for every changelist column that queries per row."""
        return findings(self, project, ("admin",))
