"""Problems from the places Django iterates for you: templates, DRF list views, the admin."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from djreview.model import RelatedLocation
from djreview.nplusone.admin_columns import AdminReader, admin_related
from djreview.nplusone.drf_lists import SerializerReader
from djreview.nplusone.loop_problems import origin_location, short
from djreview.nplusone.problem import Problem, Trigger
from djreview.nplusone.querysets import QuerySetState
from djreview.nplusone.template_loops import TemplateReader

if TYPE_CHECKING:
    from djreview.nplusone.analysis import NPlusOne
    from djreview.source.file import SourceFile
    from djreview.source.project import Project


def _cure(kind: str, path: str, many: bool, relation: str = "") -> str:
    method = "prefetch_related" if many or kind == "prefetch" else "select_related"
    if kind == "prefetch" and relation.endswith((".count", ".count()")):
        # The template reads only the number: a GROUP BY beats loading every related row.
        return f'annotate(Count("{path}")) and read the annotation (or {method}("{path}"))'
    return f'{method}("{path}")'


def _queryset_related(state: QuerySetState) -> list[RelatedLocation]:
    if state.origin is None:
        return []
    return [RelatedLocation(origin_location(state.origin), "the view's queryset")]


def _queries_at(trigger: tuple[SourceFile, ast.AST] | None) -> list[RelatedLocation]:
    """The line inside a property, method or helper that runs the per-row query."""
    if trigger is None:
        return []
    return [RelatedLocation(trigger[0].node_location(trigger[1]), "the line that queries")]


def _where(state: QuerySetState) -> str:
    return state.origin.where() if state.origin is not None else ""


def admin_problems(analysis: NPlusOne, project: Project, files: list[str]) -> Iterator[Problem]:
    """DJR130: list_display columns that query per changelist row."""

    reader = AdminReader(analysis.schema, analysis.evaluator)
    for rel in files:
        file = project.by_rel[rel]
        for access, cls, entry, origin in reader.problems(file):
            many = access.kind == "prefetch" or access.many
            trigger = None
            if access.trigger is not None:
                trigger = Trigger(short(*access.trigger))
            yield Problem(
                kind="admin",
                location=access.file.node_location(access.node),
                relation=access.text,
                path=access.path,
                cure=f'prefetch_related("{access.path}")' if many else "list_select_related",
                trigger=trigger,
                many=many,
                owner=cls.name,
                related=admin_related(file, cls, entry, access),
                queryset=origin if not many else None,
                model=cls.name,
                needs=("list_select_related", access.path)
                if not many and origin is not None
                else None,
            )


def drf_problems(analysis: NPlusOne, project: Project, files: list[str]) -> Iterator[Problem]:
    """DJR120: serializer reads that a list view's queryset does not cover."""

    reader = SerializerReader(analysis.schema, analysis.evaluator)
    for rel in files:
        file = project.by_rel[rel]
        for listing in reader.list_views(file):
            read, state = listing.read, listing.state
            related = [
                RelatedLocation(file.node_location(listing.at), listing.listing),
                *_queryset_related(state),
                *_queries_at(read.trigger),
            ]
            method = "prefetch_related" if read.many else "select_related"
            cure = _cure("select", read.path, read.many)
            if read.filtered:
                cure = f'Prefetch("{read.path}", queryset=..., to_attr=...)'
            yield Problem(
                kind="drf",
                location=read.file.node_location(read.node),
                relation=read.text,
                path=read.path,
                cure=cure,
                origin=_where(state),
                trigger=Trigger(short(*read.trigger)) if read.trigger is not None else None,
                many=read.many,
                filtered=read.filtered,
                # A filter on a manager the queryset prefetches: the prefetch is bypassed.
                bypassed=read.filtered and state.covered(read.path, forward=False, null=False),
                owner=listing.owner,
                related=tuple(related),
                queryset=state.origin if not read.filtered else None,
                model=state.model,
                needs=(method, read.path) if not read.filtered else None,
                safe=state.origin is not None and state.origin.function == listing.function,
            )


def template_problems(analysis: NPlusOne, project: Project, files: list[str]) -> Iterator[Problem]:
    """DJR110: relations read inside a template's loop over a view's queryset."""

    reader = TemplateReader(analysis.schema, analysis.evaluator)
    for rel in files:
        file = project.by_rel[rel]
        for name, context, view in reader.views(file):
            template = reader.find(name)
            if template is None:
                continue
            seen: set[tuple[object, str]] = set()
            for item in reader.scan(template, context, {}, (file, view)):
                access = item.access
                key = (item.loop, access.path)
                if key in seen or access.kind not in ("select", "prefetch", "bypass"):
                    continue
                seen.add(key)
                many = access.kind != "select" or access.many
                # A manager re-queried per row (`.filter()`, `.values_list()`) bypasses a prefetch.
                fixable = access.kind != "bypass" and not access.filtered
                trigger = None
                if access.trigger is not None:
                    trigger = Trigger(short(*access.trigger))
                related = [
                    RelatedLocation(item.loop, "the {% for %} loop"),
                    *_queryset_related(item.state),
                    *_queries_at(access.trigger),
                ]
                yield Problem(
                    kind="template",
                    location=item.location,
                    relation=access.text,
                    path=access.path,
                    cure=_cure(access.kind, access.path, many, access.text)
                    if fixable
                    else f'Prefetch("{access.path}", queryset=..., to_attr=...)',
                    origin=_where(item.state),
                    trigger=trigger,
                    many=many,
                    bypassed=access.kind == "bypass",
                    related=tuple(related),
                    queryset=item.state.origin if fixable else None,
                    model=item.state.model,
                    needs=("prefetch_related" if many else "select_related", access.path)
                    if fixable
                    else None,
                    safe=item.state.origin is not None and item.state.origin.file is file,
                )
