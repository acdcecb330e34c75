"""The N+1 analysis of a whole project, run once and shared by the DJR1xx rules.

Every source of per-row queries (Python loops, templates, DRF serializers,
admin changelists) becomes a `Problem`: a kind (the rule), the place that
queries, a message naming the relation and the cure, related locations (the
loop, the queryset origin) and what the queryset origin lacks. Fixes are
grouped per origin, so two findings on one queryset produce one edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from djreview.model import Finding, Fix, Location, RelatedLocation
from djreview.nplusone.django_loops import admin_problems, drf_problems, template_problems
from djreview.nplusone.evaluate import Evaluator
from djreview.nplusone.loops import LoopAccess, find_loop_accesses, function_loops
from djreview.nplusone.messages import loop_problem
from djreview.nplusone.prefetch_fix import admin_fix, build_fix
from djreview.nplusone.queries import find_queries_in_loops
from djreview.nplusone.querysets import Origin
from djreview.nplusone.relation_map import Schema
from djreview.nplusone.rows import RowReader
from djreview.source.file import SourceFile

if TYPE_CHECKING:
    from djreview.checks.base import Check
    from djreview.source.project import Project


@dataclass
class Problem:
    """One per-row query, ready to become a finding of the rule for its kind."""

    kind: str
    location: Location
    message: str
    related: tuple[RelatedLocation, ...] = ()
    origin: Origin | None = None
    model: str = ""
    # What the origin lacks: ("select_related", "author"), ("list_select_related", "author")...
    cure: tuple[str, str] | None = None
    safe: bool = True
    fix: Fix | None = field(default=None, compare=False)


@dataclass
class Analysis:
    """The project's schema, evaluator and every problem found."""

    schema: Schema
    evaluator: Evaluator
    problems: list[Problem] = field(default_factory=list)


# Checks see the run's Project through per-check views, so the cache is keyed
# by the identity of its file list (kept alive here); a few runs are kept.
_CACHE: dict[int, tuple[list[SourceFile], Analysis]] = {}
_CACHE_SIZE = 4


def skipped(rel: str) -> bool:
    """Tests and migrations: loops there are one-off or deliberate, not request paths."""
    parts = rel.split("/")
    name = parts[-1]
    return (
        "migrations" in parts
        or "tests" in parts
        or "test" in parts
        or "testing" in parts
        or name.startswith("test_")
        or name.endswith("_tests.py")
        or name == "tests.py"
        or name == "conftest.py"
    )


class SharesAnalysis:
    """Mixin for the N+1 checks: build the shared analysis in `prepare`.

    `prepare` runs before the timed part of a run, so the first N+1 rule does
    not pay (and time out) for the analysis all of them share.
    """

    def prepare(self, project: Project) -> None:
        """Compute and cache the run's N+1 analysis."""
        analyse(project)


def analyse(project: Project) -> Analysis:
    """The N+1 analysis of `project`, computed on first use and cached for the run."""
    cached = _CACHE.get(id(project.files))
    if cached is not None and cached[0] is project.files:
        return cached[1]
    files = [file for file in project.python_files if not skipped(file.rel)]
    index = project.model
    schema = Schema(index, project.by_rel)
    evaluator = Evaluator(schema, index.modules)
    analysis = Analysis(schema, evaluator)
    reader = RowReader(schema)
    loops: list[LoopAccess] = []
    for file in files:
        if file.tree is None:
            continue
        functions = function_loops(file)
        loops.extend(find_loop_accesses(evaluator, reader, file, functions))
        loops.extend(find_queries_in_loops(evaluator, file, functions))
    analysis.problems.extend(loop_problem(item) for item in loops)
    rels = [file.rel for file in files if file.tree is not None]
    analysis.problems.extend(template_problems(analysis, project, rels))
    analysis.problems.extend(drf_problems(analysis, project, rels))
    analysis.problems.extend(admin_problems(analysis, project, rels))
    _attach_fixes(analysis.problems)
    while len(_CACHE) >= _CACHE_SIZE:
        del _CACHE[next(iter(_CACHE))]
    _CACHE[id(project.files)] = (project.files, analysis)
    return analysis


def _origin_key(origin: Origin) -> tuple[str, int, int]:
    node = origin.node or origin.model_stmt or origin.class_node
    return (origin.file.rel, getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _attach_fixes(problems: list[Problem]) -> None:
    """One fix per queryset origin, covering every path its problems need."""
    groups: dict[tuple[str, int, int], list[Problem]] = {}
    for problem in problems:
        if problem.origin is not None and problem.cure is not None:
            groups.setdefault(_origin_key(problem.origin), []).append(problem)
    for members in groups.values():
        needs: dict[str, list[str]] = {}
        for problem in members:
            assert problem.cure is not None
            needs.setdefault(problem.cure[0], []).append(problem.cure[1])
        first = members[0]
        assert first.origin is not None
        if "list_select_related" in needs:
            fix = admin_fix(first.origin, needs["list_select_related"])
        else:
            fix = build_fix(first.origin, needs, all(p.safe for p in members))
        for problem in members:
            problem.fix = fix


def findings(check: Check, project: Project, kinds: tuple[str, ...]) -> list[Finding]:
    """The findings of `check`: the problems of the given kinds."""
    return [
        check.finding(problem.location, problem.message, related=problem.related, fix=problem.fix)
        for problem in analyse(project).problems
        if problem.kind in kinds
    ]
