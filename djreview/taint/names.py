"""Callees resolved to qualified names through a module's imports, function-local ones too.

`import subprocess as sp; sp.run(...)` is `subprocess.run`,
`from django.utils.safestring import mark_safe as ms; ms(...)` is
`django.utils.safestring.mark_safe`, and `from mylib import mark_safe` is
`mylib.mark_safe`, not Django's. A name bound by no import but by a `def`,
class or assignment in the module is local (its bare name comes back
prefixed with `<local>.`); a name bound nowhere keeps its spelling (a star
import may have brought it).
"""

from __future__ import annotations

import ast

from djreview.project.modules import record_import

LOCAL = "<local>"


def imported_names(tree: ast.AST) -> dict[str, str]:
    """Every name the module's imports bind (at any depth), to its qualified name."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            # Relative imports stay relative to an unknown package: "" (their own module).
            record_import(node, "", names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.setdefault(node.name, f"{LOCAL}.{node.name}")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names.setdefault(target.id, f"{LOCAL}.{target.id}")
    return names


def qualified_callee(func: ast.expr, names: dict[str, str]) -> str:
    """`django.utils.safestring.mark_safe` for `ms` / `safestring.mark_safe`; '' if unknown."""
    parts: list[str] = []
    node = func
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    head = names.get(node.id, node.id)
    return ".".join([head, *reversed(parts)])
