"""Branches on a prefetched list: `if getattr(row, "_versions", None) is not None:`.

Code that reads a `Prefetch(..., to_attr="_versions")` list usually falls back
to a query when the attribute is missing (the method is also called on rows
that were not prefetched). When the queryset a row came from sets the
attribute, the fallback never runs for that row: reporting it is a false
finding whose cure is already in place.

Only tests that say "the attribute is set" are read this way: `hasattr(row,
"x")`, `getattr(row, "x", None) is not None`, and a name assigned that
`getattr` (and otherwise only `None`) compared with `None`. A truth test
(`if versions:`) also falls back on an empty list, a query per row without
versions, so it decides nothing here.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Probe:
    """A test of attribute `attr` on the row bound to `row`."""

    row: str
    attr: str
    # The branch that runs when the attribute is set: True for the body.
    when_set: bool


def _getattr_of(node: ast.expr, function: str = "getattr") -> tuple[str, str] | None:
    """(row name, attribute) of `getattr(row, "x"[, None])` (or of `hasattr(row, "x")`)."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == function
        and len(node.args) >= 2
        and isinstance(node.args[0], ast.Name)
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    ):
        return None
    if node.func.id == "getattr" and len(node.args) == 3:
        default = node.args[2]
        if not (isinstance(default, ast.Constant) and default.value is None):
            return None
    return node.args[0].id, node.args[1].value


def _assigned_probe(name: str, function: ast.AST) -> tuple[str, str] | None:
    """The `getattr(row, "x", None)` a name holds, when every other value it gets is None."""
    found: tuple[str, str] | None = None
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign):
            continue
        if not any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            continue
        if isinstance(node.value, ast.Constant) and node.value.value is None:
            continue
        probe = _getattr_of(node.value)
        if probe is None or (found is not None and found != probe):
            return None
        found = probe
    return found


def probe_of(test: ast.expr, function: ast.AST | None) -> Probe | None:
    """The prefetched-attribute test `test` is, if any (`function` holds its assignments)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = probe_of(test.operand, function)
        return Probe(inner.row, inner.attr, not inner.when_set) if inner is not None else None
    found = _getattr_of(test, "hasattr")
    if found is not None:
        return Probe(*found, when_set=True)
    if not (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is | ast.IsNot)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        return None
    left = test.left
    if isinstance(left, ast.Name):
        found = _assigned_probe(left.id, function) if function is not None else None
    else:
        found = _getattr_of(left)
    if found is None:
        return None
    return Probe(*found, when_set=isinstance(test.ops[0], ast.IsNot))


def ends(block: list[ast.stmt]) -> bool:
    """Whether a block always leaves the function (its last statement returns or raises)."""
    return bool(block) and isinstance(block[-1], ast.Return | ast.Raise)
