"""Problems from the places Django iterates for you: templates, DRF list views, the admin."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from djreview.model import RelatedLocation
from djreview.nplusone.admin_columns import AdminReader, admin_related
from djreview.nplusone.drf_lists import SerializerReader
from djreview.nplusone.messages import origin_location, short
from djreview.nplusone.querysets import QuerySetState
from djreview.nplusone.template_loops import TemplateReader

if TYPE_CHECKING:
    from djreview.nplusone.analysis import Analysis, Problem
    from djreview.source.project import Project


def _cure(kind: str, path: str, many: bool) -> str:
    method = "prefetch_related" if many or kind == "prefetch" else "select_related"
    return f'{method}("{path}")'


def _queryset_related(state: QuerySetState) -> list[RelatedLocation]:
    if state.origin is None:
        return []
    return [RelatedLocation(origin_location(state.origin), "the view's queryset")]


def _at(state: QuerySetState) -> str:
    return f" to the queryset at {state.origin.where()}" if state.origin is not None else ""


def admin_problems(analysis: Analysis, project: Project, files: list[str]) -> Iterator[Problem]:
    """DJR130: list_display columns that query per changelist row."""
    from djreview.nplusone.analysis import Problem

    reader = AdminReader(analysis.schema, analysis.evaluator)
    for rel in files:
        file = project.by_rel[rel]
        for access, cls, entry, origin in reader.problems(file):
            many = access.kind == "prefetch" or access.many
            trigger = ""
            if access.trigger is not None:
                trigger = (
                    f" ({access.trigger[0].rel.rsplit('/', 1)[-1]}:{access.trigger[1].lineno})"  # type: ignore[attr-defined]
                )
            cure = (
                f'add "{access.path}" to {cls.name}.list_select_related'
                if not many
                else f'prefetch_related("{access.path}") in {cls.name}.get_queryset()'
            )
            message = f"{access.text}{trigger} is loaded once per changelist row; {cure}"
            yield Problem(
                kind="admin",
                location=access.file.node_location(access.node),
                message=message,
                related=admin_related(file, cls, entry, access),
                origin=origin if not many else None,
                model=cls.name,
                cure=("list_select_related", access.path)
                if not many and origin is not None
                else None,
            )


def drf_problems(analysis: Analysis, project: Project, files: list[str]) -> Iterator[Problem]:
    """DJR120: serializer reads that a list view's queryset does not cover."""
    from djreview.nplusone.analysis import Problem

    reader = SerializerReader(analysis.schema, analysis.evaluator)
    for rel in files:
        file = project.by_rel[rel]
        for view, state, read in reader.list_views(file):
            cure = _cure("select", read.path, read.many)
            via = ""
            if read.trigger is not None:
                via = f" (reads {short(read.trigger[0], read.trigger[1])})"
            message = (
                f"{read.text}{via} is loaded once per object listed by {view.name}; "
                f"add {cure}{_at(state)}"
            )
            related = [
                RelatedLocation(file.node_location(view), f"the list view {view.name}"),
                *_queryset_related(state),
            ]
            method = "prefetch_related" if read.many else "select_related"
            yield Problem(
                kind="drf",
                location=read.file.node_location(read.node),
                message=message,
                related=tuple(related),
                origin=state.origin,
                model=state.model,
                cure=(method, read.path),
                safe=state.origin is not None and state.origin.function == "",
            )


def template_problems(analysis: Analysis, project: Project, files: list[str]) -> Iterator[Problem]:
    """DJR110: relations read inside a template's loop over a view's queryset."""
    from djreview.nplusone.analysis import Problem

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
                cure = _cure(access.kind, access.path, many)
                trigger = ""
                if access.trigger is not None:
                    trigger = f" ({short(access.trigger[0], access.trigger[1])})"
                verb = "runs a new query" if access.kind == "bypass" else "is loaded"
                message = (
                    f"{access.text}{trigger} {verb} once per row of the template loop; "
                    f"add {cure}{_at(item.state)}"
                )
                related = [
                    RelatedLocation(item.loop, "the {% for %} loop"),
                    *_queryset_related(item.state),
                ]
                if access.trigger is not None:
                    related.append(
                        RelatedLocation(
                            access.trigger[0].node_location(access.trigger[1]),
                            "the line that queries",
                        )
                    )
                yield Problem(
                    kind="template",
                    location=item.location,
                    message=message,
                    related=tuple(related),
                    origin=item.state.origin if access.kind != "bypass" else None,
                    model=item.state.model,
                    cure=("prefetch_related" if many else "select_related", access.path),
                    safe=item.state.origin is not None and item.state.origin.file is file,
                )
