"""Values the code confines to its own literal strings, whatever the request sent.

`Model = {"property": Property, "tax_lot": TaxLot}[kind]` raises `KeyError` for
any other `kind`, so after it (when nothing catches the error) `kind` is one
of the dict's keys; inside `if kind == "property":` it is that literal; the
keys of `{f: request.POST.get(f) for f in ["a", "b"]}` are the list's. A
client then chooses among names the developer wrote, never a name of its own.
"""

from __future__ import annotations

import ast
from weakref import WeakKeyDictionary

from djreview.source.file import SourceFile

# Exceptions whose handler would let the code go on with a missing key.
_LOOKUP_ERRORS = frozenset({"KeyError", "LookupError", "Exception", "BaseException"})
_OWNERS: WeakKeyDictionary[ast.AST, dict[int, ast.ClassDef]] = WeakKeyDictionary()


def string_keys(node: ast.expr) -> bool:
    """A dict literal whose every key is a string literal (no `**` merged in)."""
    return (
        isinstance(node, ast.Dict)
        and bool(node.keys)
        and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.keys)
    )


def literal_strings(node: ast.expr) -> bool:
    """A list, tuple or set literal of string literals only."""
    return (
        isinstance(node, ast.List | ast.Tuple | ast.Set)
        and bool(node.elts)
        and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)
    )


def literal_table(container: ast.expr, file: SourceFile, function: ast.AST) -> bool:
    """Whether `container[key]` looks `key` up among string literals only.

    The container is a dict literal with string keys written there, a module
    constant bound once to one, or an attribute `self.X` / `cls.X` that the
    function's class binds once to one.
    """
    if string_keys(container):
        return True
    tree = file.tree
    if tree is None:
        return False
    if isinstance(container, ast.Name):
        return _bound_once_to_table(tree.body, container.id)
    if (
        isinstance(container, ast.Attribute)
        and isinstance(container.value, ast.Name)
        and container.value.id in {"self", "cls"}
    ):
        owner = _owners(tree).get(id(function))
        return owner is not None and _bound_once_to_table(owner.body, container.attr)
    return False


def _bound_once_to_table(body: list[ast.stmt], name: str) -> bool:
    values = [
        stmt.value
        for stmt in body
        if isinstance(stmt, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(t, ast.Name) and t.id == name
            for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
        )
    ]
    return len(values) == 1 and values[0] is not None and string_keys(values[0])


def _owners(tree: ast.Module) -> dict[int, ast.ClassDef]:
    """The class each method is defined in, by the method node's id (once per tree)."""
    found = _OWNERS.get(tree)
    if found is None:
        found = {
            id(stmt): node
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            for stmt in node.body
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        _OWNERS[tree] = found
    return found


def catches_lookup(handler: ast.ExceptHandler) -> bool:
    """Whether an `except` clause catches a `KeyError` (bare, `LookupError`, `Exception`)."""
    if handler.type is None:
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for kind in kinds:
        name = kind.attr if isinstance(kind, ast.Attribute) else getattr(kind, "id", "")
        if name in _LOOKUP_ERRORS:
            return True
    return False


def equals_literal(test: ast.expr) -> str | None:
    """The name `test` holds equal to string literals: `x == "a"`, `x == "a" or x == "b"`."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        names = {equals_literal(value) for value in test.values}
        return names.pop() if len(names) == 1 else None
    if not (
        isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
    ):
        return None
    left, right = test.left, test.comparators[0]
    if isinstance(right, ast.Name):
        left, right = right, left
    if (
        isinstance(left, ast.Name)
        and isinstance(right, ast.Constant)
        and isinstance(right.value, str)
    ):
        return left.id
    return None
