"""Strings built at a call site: which parts are not literals, and are they escaped."""

from __future__ import annotations

import ast

from djreview.taint.sources import call_name


def dynamic_parts(node: ast.expr) -> list[ast.expr] | None:
    """The non-literal parts of a string built by f-string, `%`, `+`, `.format()` or `join()`.

    None when `node` is not such a building expression (a plain name, a call);
    an empty list when every part is a literal.
    """
    if isinstance(node, ast.JoinedStr):
        return [value.value for value in node.values if isinstance(value, ast.FormattedValue)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        parts: list[ast.expr] = []
        for side in (node.left, node.right):
            inner = dynamic_parts(side)
            if inner is not None:
                parts += inner
            elif isinstance(side, ast.Tuple | ast.List) and isinstance(node.op, ast.Mod):
                parts += [element for element in side.elts if not isinstance(element, ast.Constant)]
            elif not isinstance(side, ast.Constant):
                parts.append(side)
        return parts
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "format" and isinstance(node.func.value, ast.Constant):
            return [
                arg
                for arg in [*node.args, *(kw.value for kw in node.keywords)]
                if not isinstance(arg, ast.Constant)
            ]
        if node.func.attr == "replace" and len(node.args) >= 2:
            # "... WHERE a = 'X'".replace("X", value): building, by substitution.
            base = dynamic_parts(node.func.value)
            if base is not None:
                return base + [arg for arg in node.args[1:2] if not isinstance(arg, ast.Constant)]
        if node.func.attr == "join" and isinstance(node.func.value, ast.Constant) and node.args:
            return (
                dynamic_parts(node.args[0])
                if isinstance(node.args[0], ast.JoinedStr)
                else [node.args[0]]
            )
    if isinstance(node, ast.Constant):
        return []
    return None


def unsafe_parts(node: ast.expr, safe_calls: frozenset[str]) -> list[ast.expr]:
    """Dynamic parts that are neither numbers from `int()`/`len()` nor wrapped in a safe call."""
    always = frozenset({"int", "len", "float", "str_to_int"})
    return [
        part
        for part in dynamic_parts(node) or []
        if not (isinstance(part, ast.Call) and call_name(part.func) in safe_calls | always)
    ]
