"""DJR130: an admin list_display column that reads a relation per changelist row."""

from __future__ import annotations

from djreview.checks.performance._nplusone import NPlusOneCheck, at
from djreview.model import Severity
from djreview.nplusone.problem import Problem


class AdminListDisplayRelatedAccess(NPlusOneCheck):
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
    message = (
        '{relation}{trigger} is loaded once per changelist row; add "{path}" to '
        "{owner}.list_select_related"
    )
    many_message = (
        "{relation}{trigger} is loaded once per changelist row; {cure} in {owner}.get_queryset()"
    )
    severity = Severity.WARNING
    fixable = True
    references = (
        "https://docs.djangoproject.com/en/5.2/ref/contrib/admin/#django.contrib.admin.ModelAdmin.list_select_related",
    )

    kind = "admin"

    def template(self, problem: Problem) -> str:
        """A to-many column needs a prefetch in get_queryset(), not list_select_related."""
        return self.many_message if problem.many else self.message

    def fields(self, problem: Problem) -> dict[str, object]:
        """The read, the line that queries, the field path and the ModelAdmin."""
        return {**super().fields(problem), "trigger": at(problem)}
