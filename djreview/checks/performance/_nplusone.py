"""The shared shape of the N+1 rules: the analysis' problems of one kind, in the rule's words.

The analysis returns facts (`Problem`: relation, path, cure, origin,
trigger...); each rule declares its `message` template and picks the facts
it shows through `fields`, with the clause helpers below.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from djreview.checks.base import Check
from djreview.model import Finding
from djreview.nplusone.analysis import NPlusOne
from djreview.nplusone.problem import Problem

if TYPE_CHECKING:
    from djreview.source.project import Project


class NPlusOneCheck(Check):
    """A rule reporting the N+1 analysis' problems of its `kind`."""

    category = "performance"
    tags = ("n-plus-one",)
    uses = (NPlusOne,)
    kind: ClassVar[str]

    def template(self, problem: Problem) -> str:
        """The message template for this problem; most rules have one."""
        return self.message

    def fields(self, problem: Problem) -> dict[str, object]:
        """The values the template interpolates."""
        return {
            "relation": problem.relation,
            "path": problem.path,
            "cure": problem.cure,
            "owner": problem.owner,
            "loop_line": problem.loop_line,
        }

    def check_project(self, project: Project) -> Iterable[Finding]:
        """One finding per problem of this rule's kind."""
        return [
            self.finding(
                problem.location,
                self.template(problem).format(**self.fields(problem)),
                related=problem.related,
                fix=problem.fix,
            )
            for problem in project.analysis(NPlusOne).problems
            if problem.kind == self.kind
        ]


def reads_at(problem: Problem) -> str:
    """` (author_name reads self.author.name at models.py:52)`: the method that queries."""
    trigger = problem.trigger
    return f" ({trigger.method} reads {trigger.code} at {trigger.at})" if trigger else ""


def at(problem: Problem, prefix: str = "") -> str:
    """` (models.py:52)` (with a prefix: ` (reads models.py:52)`): where the query runs."""
    return f" ({prefix}{problem.trigger.at})" if problem.trigger else ""


def to_queryset(problem: Problem, unknown: str = " to the queryset") -> str:
    """` to the queryset at views.py:12`: where to add the cure."""
    return f" to the queryset at {problem.origin}" if problem.origin else unknown


def on_queryset(problem: Problem) -> str:
    """` (queryset at views.py:12)`: the queryset the rows come from, when known."""
    return f" (queryset at {problem.origin})" if problem.origin else ""
