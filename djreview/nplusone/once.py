"""Reads inside a loop that run at most once, not once per row.

A query followed in its own block by `return`, `raise` or `break` ends the
loop the first time it runs; one under an `if x is None:` / `if not x:` /
`if key not in memo:` guard that assigns what it tests, or in an
`except KeyError:` that fills a memo dict, runs once (per distinct key). So
does one under `if key == "a":` when the loop walks distinct keys (a dict's
`items()`/`keys()`, a literal of distinct constants): one key matches once.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

_Owner = ast.AST | None


def _contains(statement: ast.stmt, node: ast.AST) -> bool:
    line = getattr(node, "lineno", 0)
    if not statement.lineno <= line <= (statement.end_lineno or statement.lineno):
        return False
    return any(item is node for item in ast.walk(statement))


def _blocks(statement: ast.stmt) -> Iterator[tuple[list[ast.stmt], _Owner]]:
    """The statement lists directly inside `statement`, each with the node that owns it."""
    if isinstance(statement, ast.If | ast.For | ast.AsyncFor | ast.While):
        yield statement.body, statement
        yield statement.orelse, None
    elif isinstance(statement, ast.With | ast.AsyncWith):
        yield statement.body, None
    elif isinstance(statement, ast.Try | ast.TryStar):
        yield statement.body, None
        for handler in statement.handlers:
            yield handler.body, handler
        yield statement.orelse, None
        yield statement.finalbody, None
    elif isinstance(statement, ast.Match):
        for case in statement.cases:
            yield case.body, None


def _chain(
    block: list[ast.stmt], node: ast.AST, owner: _Owner
) -> list[tuple[list[ast.stmt], int, _Owner]]:
    """The blocks from `block` down to the statement that holds `node`, outermost first."""
    for index, statement in enumerate(block):
        if not _contains(statement, node):
            continue
        found = [(block, index, owner)]
        for inner, inner_owner in _blocks(statement):
            deeper = _chain(inner, node, inner_owner)
            if deeper:
                return found + deeper
        return found
    return []


def _assignments(body: list[ast.stmt], target: str) -> set[int]:
    """The ids of the statements in `body` that write `target` (or an item of it)."""
    found = set()
    for statement in body:
        for item in ast.walk(statement):
            targets: list[ast.expr] = []
            if isinstance(item, ast.Assign):
                targets = item.targets
            elif isinstance(item, ast.AnnAssign | ast.AugAssign):
                targets = [item.target]
            # `x, created = ...get_or_create()` writes `x` too.
            unpacked = [
                element
                for written in targets
                if isinstance(written, ast.Tuple | ast.List)
                for element in written.elts
            ]
            for written in [*targets, *unpacked]:
                if ast.unparse(written) == target or (
                    isinstance(written, ast.Subscript) and ast.unparse(written.value) == target
                ):
                    found.add(id(item))
    return found


def _once_guard(loop_body: list[ast.stmt], guarded: list[ast.stmt], target: str) -> bool:
    """The guard's body sets `target`, and nothing else in the loop resets it per iteration."""
    inside = _assignments(guarded, target)
    return bool(inside) and _assignments(loop_body, target) <= inside


def _guarded(test: ast.expr) -> str | None:
    """What an `if` tests to be unset: `x` of `x is None` / `not x`, `memo` of `k not in memo`."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return ast.unparse(test.operand)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        op, right = test.ops[0], test.comparators[0]
        if isinstance(op, ast.Is) and isinstance(right, ast.Constant) and right.value is None:
            return ast.unparse(test.left)
        if isinstance(op, ast.NotIn):
            return ast.unparse(right)
    return None


def _memo_handler(handler: ast.ExceptHandler) -> bool:
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(n, ast.Name) and n.id == "KeyError" for n in names) and any(
        isinstance(t, ast.Subscript)
        for item in handler.body
        if isinstance(item, ast.Assign)
        for t in item.targets
    )


def _distinct_key(loop: ast.For | ast.AsyncFor, assigned: dict[str, ast.expr]) -> str | None:
    """The loop variable when the loop walks distinct values, else None."""
    iterable, target = loop.iter, loop.target
    if isinstance(iterable, ast.Name) and iterable.id in assigned:
        iterable = assigned[iterable.id]
    if (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Attribute)
        and iterable.func.attr in ("items", "keys")
        and not iterable.args
    ):
        if iterable.func.attr == "items":
            first = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else None
            return first.id if isinstance(first, ast.Name) else None
        return target.id if isinstance(target, ast.Name) else None
    if not isinstance(target, ast.Name):
        return None
    if isinstance(iterable, ast.Dict | ast.Set):
        return target.id
    if isinstance(iterable, ast.List | ast.Tuple):
        values = [e.value for e in iterable.elts if isinstance(e, ast.Constant)]
        if len(values) == len(iterable.elts) and len(set(values)) == len(values):
            return target.id
    return None


def _matches_key(test: ast.expr, key: str) -> bool:
    """`key == "a"` (or `"a" == key`)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = (test.left, test.comparators[0])
    return any(isinstance(s, ast.Name) and s.id == key for s in sides) and any(
        isinstance(s, ast.Constant) for s in sides
    )


def runs_once(loop: ast.AST, node: ast.AST, assigned: dict[str, ast.expr] | None = None) -> bool:
    """Whether `node`, inside the body of `loop`, runs at most once (or once per memo key).

    `assigned` holds the values the function gave its names before the loop,
    to see a loop over `keys = ["a", "b"]` walk distinct constants.
    """
    if not isinstance(loop, ast.For | ast.AsyncFor | ast.While):
        return False
    key = _distinct_key(loop, assigned or {}) if isinstance(loop, ast.For | ast.AsyncFor) else None
    # A guard on the row itself (`if not row.cache:`) is tested anew for every row.
    rows = (
        {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
        if isinstance(loop, ast.For | ast.AsyncFor)
        else set()
    )
    nested = False
    for block, index, owner in _chain(loop.body, node, loop):
        if owner is not loop and isinstance(owner, ast.For | ast.AsyncFor | ast.While):
            nested = True
        for statement in block[index:]:
            if isinstance(statement, ast.Return | ast.Raise):
                return True
            if isinstance(statement, ast.Break) and not nested:
                return True
        if isinstance(owner, ast.If) and key is not None and _matches_key(owner.test, key):
            return True  # one of distinct keys matches in one iteration
        if isinstance(owner, ast.If):
            guarded = _guarded(owner.test)
            if (
                guarded is not None
                and guarded.split(".", 1)[0].split("[", 1)[0] not in rows
                and _once_guard(loop.body, owner.body, guarded)
            ):
                return True
        if isinstance(owner, ast.ExceptHandler) and _memo_handler(owner):
            return True
    return False
