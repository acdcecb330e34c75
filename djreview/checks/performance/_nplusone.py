"""The shared shape of the N+1 rules: report the problems of the N+1 analysis of one kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from djreview.model import Finding
from djreview.nplusone.analysis import NPlusOne

if TYPE_CHECKING:
    from djreview.checks.base import Check
    from djreview.source.project import Project


def findings(check: Check, project: Project, kinds: tuple[str, ...]) -> list[Finding]:
    """The findings of `check`: the problems of the given kinds."""
    return [
        check.finding(problem.location, problem.message, related=problem.related, fix=problem.fix)
        for problem in project.analysis(NPlusOne).problems
        if problem.kind in kinds
    ]
