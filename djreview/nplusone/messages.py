"""Messages and related locations of loop problems: name the relation, the cure and where."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from djreview.model import Location, RelatedLocation
from djreview.nplusone.querysets import Origin, QuerySetState
from djreview.nplusone.rows import Access
from djreview.source.file import SourceFile

if TYPE_CHECKING:
    from djreview.nplusone.analysis import Problem
    from djreview.nplusone.loops import LoopAccess


def short(file: SourceFile, node: ast.AST) -> str:
    """`models.py:52`: a file name and line for messages."""
    return f"{file.rel.rsplit('/', 1)[-1]}:{getattr(node, 'lineno', 1)}"


def origin_location(origin: Origin) -> Location:
    """The location of a queryset origin (the expression, or the `model = ...` line)."""
    node = origin.node or origin.model_stmt or origin.class_node
    return origin.file.node_location(node) if node is not None else Location(origin.file.rel, 1)


def _trigger(access: Access) -> str:
    if access.trigger is None:
        return ""
    file, node = access.trigger
    name = access.via[0].name if access.via else "a method"
    return f" ({name} reads {ast.unparse(node)} at {short(file, node)})"


def _at(state: QuerySetState | None) -> str:
    origin = state.origin if state is not None else None
    return f" to the queryset at {origin.where()}" if origin is not None else " to the queryset"


def _on(state: QuerySetState | None) -> str:
    origin = state.origin if state is not None else None
    return f" (queryset at {origin.where()})" if origin is not None else ""


def _related(item: LoopAccess, state: QuerySetState | None) -> tuple[RelatedLocation, ...]:
    related = [
        RelatedLocation(
            item.loop_file.node_location(item.loop), "the loop that runs it once per row"
        )
    ]
    if state is not None and state.origin is not None and item.access.kind not in ("query", "save"):
        related.append(RelatedLocation(origin_location(state.origin), "the queryset it iterates"))
    if item.access.trigger is not None:
        file, node = item.access.trigger
        related.append(RelatedLocation(file.node_location(node), "the line that queries"))
    return tuple(related)


def loop_problem(item: LoopAccess) -> Problem:
    """The problem of one per-row access in a Python loop."""
    from djreview.nplusone.analysis import Problem

    access = item.access
    state = access.state
    file = access.file
    location = file.node_location(access.node)
    origin = state.origin if state is not None else None
    text = access.text
    trigger = _trigger(access)
    loop_line = getattr(item.loop, "lineno", 0)
    safe = (
        origin is not None
        and origin.file is item.loop_file
        and origin.function in (item.function, "")
    )
    if access.kind == "select":
        method = "prefetch_related" if access.many else "select_related"
        message = (
            f'{text}{trigger} is loaded once per row; add {method}("{access.path}"){_at(state)}'
        )
        cure: tuple[str, str] | None = (method, access.path)
        if state is not None and (state.only is not None or state.defer):
            # Django refuses select_related on a relation only()/defer() left out.
            cure = None
    elif access.kind == "prefetch" and access.filtered:
        message = (
            f"{text}{trigger} queries once per row; load the rows with "
            f'Prefetch("{access.path}", queryset=..., to_attr=...){_at(state)}'
        )
        cure = None
    elif access.kind == "prefetch":
        extra = (
            f' (or annotate(Count("{access.path}")) for a count)'
            if text.endswith(".count()")
            else ""
        )
        cure_text = f'prefetch_related("{access.path}"){extra}'
        message = f"{text}{trigger} queries once per row; add {cure_text}{_at(state)}"
        cure = ("prefetch_related", access.path)
    elif access.kind == "bypass":
        message = (
            f'{text}{trigger} runs a new query per row although "{access.path}" is prefetched; '
            f'filter inside Prefetch("{access.path}", queryset=..., to_attr=...) '
            f"or annotate() instead{_on(state)}"
        )
        cure = None
    elif access.kind == "deferred":
        message = (
            f"{text}{trigger} was deferred by only()/defer() and is loaded once per row; "
            f'add "{access.path}" to only(){_on(state)}'
        )
        cure = ("only", access.path) if state is not None and state.only is not None else None
    elif access.kind == "query":
        message = (
            f"{text} runs a query on every iteration of the loop at line {loop_line}; "
            "fetch the rows once before the loop (in_bulk(), filter(...__in=...), annotate())"
        )
        cure = None
    else:
        bulk = "bulk_create()" if ".objects." in text else "bulk_update()"
        message = (
            f"{text} writes one row per iteration of the loop at line {loop_line}; "
            f"collect the objects and write them with {bulk}"
        )
        cure = None
    return Problem(
        kind=access.kind,
        location=location,
        message=message,
        related=_related(item, state),
        origin=origin if cure is not None else None,
        model=state.model if state else "",
        cure=cure,
        safe=safe,
    )
