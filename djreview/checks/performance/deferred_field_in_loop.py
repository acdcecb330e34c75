"""DJR106: a field left out by only()/defer() read per row, one query each."""

from __future__ import annotations

from djreview.checks.performance._nplusone import NPlusOneCheck, on_queryset, reads_at
from djreview.model import Severity
from djreview.nplusone.problem import Problem


class DeferredFieldInLoop(NPlusOneCheck):
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
    message = (
        "{relation}{trigger} was deferred by only()/defer() and is loaded once per row; "
        'add "{path}" to only(){origin}'
    )
    severity = Severity.WARNING
    fixable = True
    references = ("https://docs.djangoproject.com/en/5.2/ref/models/querysets/#only",)

    kind = "deferred"

    def fields(self, problem: Problem) -> dict[str, object]:
        """The read, the method that reads it, the field and the queryset."""
        return {
            **super().fields(problem),
            "trigger": reads_at(problem),
            "origin": on_queryset(problem),
        }
