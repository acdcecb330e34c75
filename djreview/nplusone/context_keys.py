"""Serializer code that runs only when the serializer context holds a key.

A serializer method often reads a map the list view builds once for the
page (`tc_map = self.context.get("tc_map")`; `if tc_map is not None: ...`)
and falls back to per-object reads otherwise. Under a list whose context
cannot hold the key, the guarded branch never runs: its reads are no
per-object queries there.

A context holds DRF's own keys (`request`, `format`, `view`, from
`GenericAPIView.get_serializer_context()`) unless the view overrides how it
builds serializers, or the list passes `context=`; serializers themselves
may add keys (`self.context["x"] = ...`), which `written_keys` collects.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

DRF_CONTEXT = frozenset({"request", "format", "view"})
# View methods that can hand a serializer other context keys.
CONTEXT_BUILDERS = frozenset({"get_serializer_context", "get_serializer", "list"})


def _context_of(node: ast.expr, owner: str) -> bool:
    """`self.context` (or `self._context`) of the serializer bound to `owner`."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr in ("context", "_context")
        and isinstance(node.value, ast.Name)
        and node.value.id == owner
    )


def _get_key(node: ast.expr, owner: str) -> str | None:
    """The key of `self.context.get("k")` / `self.context.get("k", None)`."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and _context_of(node.func.value, owner)
        and 1 <= len(node.args) <= 2
        and not node.keywords
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return None
    if len(node.args) == 2 and not (
        isinstance(node.args[1], ast.Constant) and node.args[1].value is None
    ):
        return None
    return node.args[0].value


def _held_key(name: str, function: ast.AST, owner: str) -> str | None:
    """The context key a local name holds, when it is assigned once, from `self.context.get()`."""
    values = [
        node.value
        for node in ast.walk(function)
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.NamedExpr)
        and any(
            isinstance(t, ast.Name) and t.id == name
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
    ]
    if len(values) != 1 or values[0] is None:
        return None
    return _get_key(values[0], owner)


def _key_test(test: ast.expr, function: ast.AST, owner: str) -> tuple[str, bool] | None:
    """(key, True when the body runs only with the key) of an `if` test, if it is one."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _key_test(test.operand, function, owner)
        return (inner[0], not inner[1]) if inner is not None else None
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.In)
        and isinstance(test.left, ast.Constant)
        and isinstance(test.left.value, str)
        and _context_of(test.comparators[0], owner)
    ):
        return test.left.value, True
    body_needs = True
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is | ast.IsNot)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        body_needs = isinstance(test.ops[0], ast.IsNot)
        test = test.left
    elif not isinstance(test, ast.Name | ast.Call):
        return None
    if isinstance(test, ast.Name):
        key = _held_key(test.id, function, owner)
    else:
        key = _get_key(test, owner)
    return (key, body_needs) if key is not None else None


def needed_keys(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[int, frozenset[str]]:
    """For each node (by id) of a serializer method, the context keys its running needs.

    A truth test of the value also needs the key: a missing key gives None.
    """
    if not function.args.args:
        return {}
    owner = function.args.args[0].arg
    needs: dict[int, frozenset[str]] = {}
    for node in ast.walk(function):
        if not isinstance(node, ast.If):
            continue
        found = _key_test(node.test, function, owner)
        if found is None:
            continue
        key, in_body = found
        for statement in node.body if in_body else node.orelse:
            for inner in ast.walk(statement):
                needs[id(inner)] = needs.get(id(inner), frozenset()) | {key}
    return needs


@dataclass(frozen=True)
class Written:
    """The context keys serializers set themselves; `unknown` when one sets keys we cannot name."""

    keys: frozenset[str]
    unknown: bool


def written_keys(functions: Iterable[ast.AST]) -> Written:
    """The keys serializer code writes into a context (`self.context["k"] = v`, `update()`)."""
    keys: set[str] = set()
    unknown = False
    for function in functions:
        for node in ast.walk(function):
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
                target = node.value
                if isinstance(target, ast.Attribute) and target.attr in ("context", "_context"):
                    if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                        keys.add(node.slice.value)
                    else:
                        unknown = True
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                unknown = unknown or node.attr in ("context", "_context")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("update", "setdefault", "__setitem__")
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr in ("context", "_context")
            ):
                unknown = True
    return Written(frozenset(keys), unknown)


def never_held(needed: frozenset[str], context: frozenset[str] | None, written: Written) -> bool:
    """Whether a context holding `context` (None: unknown) never holds one of the `needed` keys."""
    if context is None or written.unknown:
        return False
    return bool(needed - context - written.keys)
