"""Problems of Python loops: the facts of one per-row access, and its related locations."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from djreview.model import Location, RelatedLocation
from djreview.nplusone.problem import Problem, Trigger
from djreview.nplusone.querysets import Origin, QuerySetState
from djreview.nplusone.rows import Access
from djreview.source.file import SourceFile

if TYPE_CHECKING:
    from djreview.nplusone.loops import LoopAccess


def short(file: SourceFile, node: ast.AST) -> str:
    """`models.py:52`: a file name and line for messages."""
    return f"{file.rel.rsplit('/', 1)[-1]}:{getattr(node, 'lineno', 1)}"


def origin_location(origin: Origin) -> Location:
    """The location of a queryset origin (the expression, or the `model = ...` line)."""
    node = origin.node or origin.model_stmt or origin.class_node
    return origin.file.node_location(node) if node is not None else Location(origin.file.rel, 1)


def _trigger(access: Access) -> Trigger | None:
    if access.trigger is None:
        return None
    file, node = access.trigger
    method = access.via[0].name if access.via else "a method"
    return Trigger(short(file, node), ast.unparse(node), method)


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


def _bare_iterator(loop: ast.AST, origin: Origin | None) -> bool:
    """The loop walks `<queryset>.iterator()` without `chunk_size`, outside the origin's chain.

    When the origin is the loop's own `qs.iterator()`, the fix adds the
    chunk_size itself.
    """
    iterable = loop.iter if isinstance(loop, ast.For | ast.AsyncFor | ast.comprehension) else None
    if (
        origin is not None
        and origin.node is not None
        and iterable is not None
        and any(node is iterable for node in ast.walk(origin.node))
    ):
        return False
    return (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Attribute)
        and iterable.func.attr == "iterator"
        and not iterable.args
        and not any(k.arg == "chunk_size" for k in iterable.keywords)
    )


def _needs(access: Access, state: QuerySetState | None) -> tuple[str, str] | None:
    """What the queryset origin lacks, when adding it there is the cure."""
    if access.kind == "select":
        if state is not None and (state.only is not None or state.defer):
            return None  # Django refuses select_related on a relation only()/defer() left out
        return ("prefetch_related" if access.many else "select_related", access.path)
    if access.kind == "prefetch" and not access.filtered:
        return ("prefetch_related", access.path)
    if access.kind == "deferred" and state is not None and state.only is not None:
        return ("only", access.path)
    return None


def _cure(access: Access) -> str:
    """The code that loads what the row reads together with the rows."""
    path = access.path
    if access.kind == "select":
        return f'{"prefetch_related" if access.many else "select_related"}("{path}")'
    if access.kind in ("bypass", "prefetch") and (access.kind == "bypass" or access.filtered):
        return f'Prefetch("{path}", queryset=..., to_attr=...)'
    if access.kind == "prefetch":
        if access.text.endswith((".count()", ".count")):
            # Only the number is read: one COUNT per row becomes one GROUP BY, no rows loaded.
            return f'annotate(Count("{path}")) (or prefetch_related("{path}"))'
        return f'prefetch_related("{path}")'
    if access.kind == "deferred":
        return f'only("{path}")'
    if access.kind == "query":
        return "in_bulk(), filter(...__in=...), annotate()"
    return _write_cure(access)


def _write_cure(access: Access) -> str:
    """The batch write that replaces one write per row."""
    if access.text.endswith(("update_or_create()", "get_or_create()")):
        # Existing rows must be found first: one query for them, then one batch each way.
        return (
            "one query for the existing rows (in_bulk() or filter(...__in=...)), then "
            "bulk_create() for the new ones and bulk_update() for the changed ones "
            "(or bulk_create(update_conflicts=True, ...) on a unique key)"
        )
    if access.text.endswith((".add()", ".remove()")):
        # A related manager takes many objects in one call: one query for them all.
        method = access.text.rsplit(".", 1)[-1].removesuffix("()")
        return f"a single {method}(*objects)"
    if access.text.endswith(".create()") or access.built:
        return "bulk_create()"
    return "bulk_update()"


def loop_problem(item: LoopAccess) -> Problem:
    """The problem of one per-row access in a Python loop, as facts."""
    access = item.access
    state = access.state
    origin = state.origin if state is not None else None
    safe = (
        origin is not None
        and origin.file is item.loop_file
        and origin.function in (item.function, "")
    )
    needs = _needs(access, state)
    if needs is not None and needs[0] == "prefetch_related" and _bare_iterator(item.loop, origin):
        # `for row in qs.iterator():` with no chunk_size: Django 5 refuses to
        # prefetch there (ValueError); a fix at another origin cannot mend the loop.
        needs = None
    return Problem(
        kind=access.kind,
        location=access.file.node_location(access.node),
        relation=access.text,
        path=access.path,
        cure=_cure(access),
        origin=origin.where() if origin is not None else "",
        trigger=_trigger(access),
        many=access.many,
        filtered=access.kind == "prefetch" and access.filtered,
        loop_line=getattr(item.loop, "lineno", 0),
        related=_related(item, state),
        queryset=origin if needs is not None else None,
        model=state.model if state else "",
        needs=needs,
        safe=safe,
    )
