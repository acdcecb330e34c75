"""The N+1 analysis of a whole project, run once and shared by the DJR1xx rules.

Every source of per-row queries (Python loops, templates, DRF serializers,
admin changelists) becomes a `Problem`: typed facts (kind, relation, path,
cure, origin, trigger), related locations (the loop, the queryset origin) and
what the queryset origin lacks. The rule for each kind words the message.
Fixes are grouped per origin, so two findings on one queryset produce one edit.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from djreview.nplusone.django_loops import admin_problems, drf_problems, template_problems
from djreview.nplusone.evaluate import Evaluator
from djreview.nplusone.graphql_problems import graphql_problems
from djreview.nplusone.loop_problems import loop_problem
from djreview.nplusone.loops import LoopAccess, find_loop_accesses, function_loops
from djreview.nplusone.once import runs_once
from djreview.nplusone.one_read import one_per_read
from djreview.nplusone.prefetch_fix import admin_fix, applicable, build_fix
from djreview.nplusone.problem import Problem
from djreview.nplusone.queries import find_queries_in_loops
from djreview.nplusone.querysets import Origin
from djreview.nplusone.relation_map import Schema
from djreview.nplusone.rows import RowReader
from djreview.project import facts_context
from djreview.project.graphql import GraphQLSchema
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.test_code import skipped

if TYPE_CHECKING:
    from djreview.source.project import Project

T = TypeVar("T")


@dataclass
class NPlusOne:
    """The project's schema, evaluator and every problem found."""

    schema: Schema
    evaluator: Evaluator
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def build(cls, project: Project) -> NPlusOne:
        """The N+1 analysis of `project` (called once per run by `Project.analysis`)."""
        return _analyse(project)


def _analyse(project: Project) -> NPlusOne:
    """Every per-row query of `project`, with one fix per queryset origin."""
    files = [file for file in project.python_files if not skipped(file.rel)]
    model = project.analysis(ProjectModel)
    schema = Schema(model, project.by_rel)
    evaluator = Evaluator(schema, model.modules)
    analysis = NPlusOne(schema, evaluator)
    reader = RowReader(schema)
    loops: list[LoopAccess] = []
    context = facts_context.model_context(project, model)
    for file in files:
        if file.tree is None:
            continue
        loops.extend(
            project.per_file(
                "nplusone-loops",
                file,
                context,
                lambda f: loops_for_file(evaluator, reader, f),
                still_valid=lambda facts: facts.valid_in(project),
            ).value
        )
    analysis.problems.extend(loop_problem(item) for item in loops)
    rels = [file.rel for file in files if file.tree is not None]
    analysis.problems.extend(template_problems(analysis, project, rels))
    analysis.problems.extend(drf_problems(analysis, project, rels))
    analysis.problems.extend(admin_problems(analysis, project, rels))
    analysis.problems.extend(_graphql(analysis, project, rels, context))
    _attach_fixes(analysis.problems)
    analysis.problems = one_per_read(analysis.problems)
    return analysis


@dataclass(frozen=True)
class Reads(Generic[T]):
    """Facts and the files read to find them (besides the file they belong to)."""

    value: T
    reads: tuple[SourceFile, ...]

    def valid_in(self, project: Project) -> bool:
        """Whether every other file read is still the project's (unchanged) file."""
        return all(project.by_rel.get(file.rel) is file for file in self.reads)


def loops_for_file(
    evaluator: Evaluator, reader: RowReader, file: SourceFile
) -> Reads[tuple[LoopAccess, ...]]:
    """The per-row accesses of `file`'s loops (per-file facts kept by a server session)."""
    schema = evaluator.schema
    schema.touched = set()
    try:
        functions = function_loops(file)
        found = (
            *find_loop_accesses(evaluator, reader, file, functions),
            *find_queries_in_loops(evaluator, file, functions),
        )
        # A read the loop's own code runs once (before its first row, or after a
        # `break` it always takes) is not per row; judged here, from the file alone.
        loops = tuple(
            item
            for item in found
            if not (
                item.access.file is item.loop_file
                and runs_once(item.loop, item.access.node, _assigned(evaluator, item))
            )
        )
        reads = tuple(
            schema.files[rel]
            for rel in sorted(schema.touched)
            if rel != file.rel and rel in schema.files
        )
    finally:
        schema.touched = None
    return Reads(loops, reads)


def _graphql(
    analysis: NPlusOne, project: Project, rels: list[str], context: str
) -> tuple[Problem, ...]:
    """The GraphQL problems, kept by a session while no file they read (or a type's) changes."""
    schema = analysis.schema
    graphql = schema.index.graphql
    if project.memo is not None:
        if graphql.shape_digest is None:
            graphql.shape_digest = facts_context.digest(_schema_shape(graphql))
        context = facts_context.digest(context, graphql.shape_digest, tuple(rels))

    def compute() -> Reads[tuple[Problem, ...]]:
        schema.touched = {info.file for info in graphql.types.values()}
        try:
            problems = tuple(graphql_problems(analysis, project, rels))
            reads = tuple(
                schema.files[rel] for rel in sorted(schema.touched) if rel in schema.files
            )
        finally:
            schema.touched = None
        return Reads(problems, reads)

    return project.joined("nplusone-graphql", context, compute, lambda r: r.valid_in(project)).value


def _schema_shape(graphql: GraphQLSchema) -> object:
    """The schema as plain data, each type's model by its label.

    The models' own facts are in the context already; walking each type's
    model again was a third of a language server's GraphQL step on saleor.
    Computed once per schema (`shape_digest`): a session keeps the schema
    while nothing it was read from changes.
    """
    types = tuple(
        (
            name,
            found.module,
            found.file,
            found.library,
            found.model.label if found.model is not None else None,
            facts_context.shape(found.fields),
            facts_context.shape(found.get_queryset),
        )
        for name, found in graphql.types.items()
    )
    return types, len(graphql.optimizer)


def _assigned(evaluator: Evaluator, item: LoopAccess) -> dict[str, ast.expr]:
    """The values the loop's function last assigned to each name before the loop."""
    if item.function_node is None:
        return {}
    line = getattr(item.loop, "lineno", 0)
    table = evaluator.assignments(item.function_node)
    out = {}
    for name, entries in table.items():
        earlier = [value for at, value in entries if at < line]
        if earlier:
            out[name] = earlier[-1]
    return out


def _origin_key(origin: Origin) -> tuple[str, int, int]:
    node = origin.node or origin.model_stmt or origin.class_node
    return (origin.file.rel, getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _attach_fixes(problems: list[Problem]) -> None:
    """One fix per queryset origin, covering every path its problems need."""
    groups: dict[tuple[str, int, int], list[Problem]] = {}
    for problem in problems:
        if problem.queryset is not None and problem.needs is not None:
            groups.setdefault(_origin_key(problem.queryset), []).append(problem)
    for members in groups.values():
        needs: dict[str, list[str]] = {}
        for problem in members:
            assert problem.needs is not None
            needs.setdefault(problem.needs[0], []).append(problem.needs[1])
        first = members[0]
        assert first.queryset is not None
        if "list_select_related" in needs:
            fix = admin_fix(first.queryset, needs["list_select_related"])
        else:
            fix = build_fix(first.queryset, needs, all(p.safe for p in members))
        kept = applicable(first.queryset, needs)
        for problem in members:
            assert problem.needs is not None
            method, path = problem.needs
            # A fix that had to leave this problem's own path out does not cure it.
            problem.fix = (
                fix if method == "list_select_related" or path in kept.get(method, []) else None
            )
