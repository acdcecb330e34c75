"""Reading class definitions: base names, `Meta` options, class attributes."""

from __future__ import annotations

import ast

from djreview.taint.sources import call_name


def base_names(cls: ast.ClassDef) -> list[str]:
    """The last name of each base: `ModelSerializer` for `serializers.ModelSerializer`."""
    return [call_name(base) for base in cls.bases]


def class_attribute(cls: ast.ClassDef, name: str) -> ast.Assign | ast.AnnAssign | None:
    """The assignment of `name` directly in the class body, if any."""
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in stmt.targets
        ):
            return stmt
        if (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.target.id == name
        ):
            return stmt
    return None


def meta_class(cls: ast.ClassDef) -> ast.ClassDef | None:
    """The nested `class Meta`, if any."""
    return next((s for s in cls.body if isinstance(s, ast.ClassDef) and s.name == "Meta"), None)


def is_string(node: ast.expr | None, value: str) -> bool:
    """Whether `node` is the string literal `value`."""
    return isinstance(node, ast.Constant) and node.value == value
