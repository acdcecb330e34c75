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
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from djreview.project.modules import record_import

LOCAL = "<local>"
_NAMES: WeakKeyDictionary[ast.AST, dict[str, str]] = WeakKeyDictionary()


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


def module_names(tree: ast.AST) -> dict[str, str]:
    """`imported_names(tree)`, computed once per parsed module (trees are shared per run)."""
    found = _NAMES.get(tree)
    if found is None:
        found = _NAMES[tree] = imported_names(tree)
    return found


@dataclass(frozen=True, slots=True)
class Callee:
    """A callee as a sink table sees it: resolved when its head name is imported.

    `full` is the qualified name when the head is bound by an import
    (`sp.run` -> `subprocess.run`, `go` -> `django.shortcuts.redirect`), the
    spelling otherwise; `receiver` is what the last name is called on, lower-cased
    (`requests` for `from requests import get; get(url)`).
    """

    name: str
    full: str
    receiver: str
    imported: bool
    local: bool

    def homed_in(self, *modules: str) -> bool:
        """Whether the callee may be the one of `modules`: imported from one, or not bound at all.

        A name the module defines itself (`def redirect`) or imports from
        elsewhere (`from mylib import redirect`) is a look-alike; a name bound
        nowhere is given the benefit of the doubt (a star import may bring it).
        """
        if self.local:
            return False
        if not self.imported:
            return True
        return any(self.full == m or self.full.startswith(f"{m}.") for m in modules)


def resolve_callee(func: ast.expr, names: dict[str, str] | None) -> Callee:
    """The callee of a call, resolved through `names` (as spelled when None or not imported).

    The receiver of a callee not resolved through an import is left empty:
    the caller reads it off the tree as written.
    """
    parts: list[str] = []
    node = func
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    head = names.get(node.id) if names is not None and isinstance(node, ast.Name) else None
    if head is None or head.startswith(f"{LOCAL}."):
        spelled = ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else ""
        return Callee(name, spelled, "", False, head is not None)
    full = ".".join([head, *reversed(parts)])
    return Callee(full.rsplit(".", 1)[-1], full, full.rpartition(".")[0].lower(), True, False)
