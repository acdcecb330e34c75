"""Reading literal values out of ast nodes, without evaluating anything."""

from __future__ import annotations

import ast


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value passed as keyword `name`, or None."""
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def literal_bool(node: ast.expr | None) -> bool | None:
    """True/False for a literal boolean, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return node.value
    return None


def literal_str(node: ast.expr | None) -> str | None:
    """The string of a string literal, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def literal_int(node: ast.expr | None) -> int | None:
    """The int of an integer literal, else None."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def string_sequence(node: ast.expr | None) -> tuple[str, ...] | None:
    """A list/tuple of string literals (or a lone string) as a tuple, else None."""
    if node is None:
        return None
    single = literal_str(node)
    if single is not None:
        return (single,)
    if isinstance(node, ast.List | ast.Tuple):
        items = [literal_str(item) for item in node.elts]
        if all(item is not None for item in items):
            return tuple(item for item in items if item is not None)
    return None


def nested_string_sequences(node: ast.expr | None) -> tuple[tuple[str, ...], ...] | None:
    """`unique_together` style values: one sequence of names or a sequence of them."""
    if node is None:
        return None
    flat = string_sequence(node)
    if flat is not None:
        return (flat,) if flat else ()
    if isinstance(node, ast.List | ast.Tuple):
        groups = [string_sequence(item) for item in node.elts]
        if all(group is not None for group in groups):
            return tuple(group for group in groups if group is not None)
    return None


def call_name(call: ast.Call) -> str | None:
    """The last name of a call's callee: `Index` for `models.Index(...)`."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None
