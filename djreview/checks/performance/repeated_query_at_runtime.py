"""DJR140: the project's own tests ran the same query once per row where no static rule looked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from djreview.checks.base import Check
from djreview.confirm.report import ProjectReport
from djreview.confirm.states import DYNAMIC_ONLY, STATE
from djreview.model import Finding, Location, RelatedLocation, Severity

if TYPE_CHECKING:
    from djreview.source.project import Project


class RepeatedQueryAtRuntime(Check):
    """A query the project's tests issued once per row, which no static rule reported.

    ## What it does
    Reads the confirmation report that `pytest --djreview` writes (see
    `docs/confirm.md`) and reports every place where one test ran the same
    query shape at least twice in one loop pass — a Python loop, a template
    `{% for %}` or a DRF list — and no static N+1 finding explains it. It runs
    only when a report is given (`--confirmations FILE` or `confirmations` in
    `[tool.djreview]`), and skips entries whose line no longer exists.

    Not reported: repeats driven by the test's own code (a test building rows
    in a loop), repeated writes (DJR105 covers those statically), and repeats
    a static finding already explains (that finding is marked confirmed).

    ## Why is this bad?
    It is an N+1 seen with real queries, so the count grows with the rows; it
    is also a blind spot of the static analysis (a relation read through
    `getattr()`, a query built in a way djreview cannot follow) and worth a
    test case for it.

    ## Example
    ```python
    for post in Post.objects.all():
        group = getattr(post, settings.DIGEST_GROUP)  # one query per post
    ```

    ## Use instead
    ```python
    posts = Post.objects.select_related(settings.DIGEST_GROUP)
    ```

    ## References
    - https://docs.djangoproject.com/en/5.2/topics/db/optimization/
    - https://docs.djangoproject.com/en/5.2/topics/db/instrumentation/
    """

    id = "DJR140"
    name = "repeated-query-at-runtime"
    message = (
        "the tests ran this query {count} times in one loop pass ({test}); "
        "no static rule explains it"
    )
    severity = Severity.WARNING
    category = "performance"
    tags = ("n-plus-one", "runtime")
    references = ("https://docs.djangoproject.com/en/5.2/topics/db/instrumentation/",)
    uses = (ProjectReport,)

    def check_project(self, project: Project) -> Iterable[Finding]:
        """One finding per dynamic-only repeat of the configured confirmation report."""
        report = project.analysis(ProjectReport).report
        if report is None:
            return []
        found = []
        for repeat in report.dynamic:
            file = project.by_rel.get(repeat.site.path)
            if file is None or not 1 <= repeat.site.line <= file.text.count("\n") + 1:
                continue
            related = [
                RelatedLocation(Location(site.path, site.line), "called from")
                for site in repeat.stack[1:]
                if site.path in project.by_rel
            ]
            found.append(
                self.finding(
                    Location(repeat.site.path, repeat.site.line),
                    related=related,
                    properties={STATE: DYNAMIC_ONLY, "sql": repeat.sql},
                    count=repeat.count,
                    test=repeat.tests[0],
                )
            )
        return found
