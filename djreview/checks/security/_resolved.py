"""Calls and names of a module resolved to qualified names, with the function around each.

The new call-pattern rules (TLS, hashes, pickle, hashids, ruamel) share this
walk: every callee is resolved once through the module's imports
(`taint/names.py`), so `import pickle as p; p.loads(x)` is `pickle.loads` and
`from mylib import loads` is `mylib.loads`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from djreview.checks.base import Check
from djreview.model import Finding
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.names import LOCAL, imported_names, qualified_callee

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


class ModuleCheck(Check):
    """A security rule that reads one module's syntax tree."""

    category = "security"

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """The findings of `module_findings`, for a file that parsed."""
        tree = file.tree
        return () if tree is None else self.module_findings(file, project, tree)

    def module_findings(
        self, file: SourceFile, project: Project, tree: ast.Module
    ) -> Iterator[Finding]:
        """Findings in the parsed module `tree` of `file`."""
        return iter(())


@dataclass(frozen=True, slots=True)
class ResolvedCall:
    """A call, its callee's qualified name ('' if not a name chain) and its innermost scope."""

    call: ast.Call
    name: str
    scope: ast.AST


def resolved_calls(tree: ast.AST, names: dict[str, str] | None = None) -> Iterator[ResolvedCall]:
    """Every call in `tree`, in source order, with its qualified callee."""
    table = imported_names(tree) if names is None else names
    stack: list[tuple[ast.AST, ast.AST]] = [(tree, tree)]
    while stack:
        node, scope = stack.pop()
        inner = node if isinstance(node, _SCOPES) else scope
        if isinstance(node, ast.Call):
            yield ResolvedCall(node, qualified_callee(node.func, table), inner)
        stack.extend((child, inner) for child in reversed(list(ast.iter_child_nodes(node))))


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value of keyword argument `name`, if given."""
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def argument(call: ast.Call, index: int, name: str) -> ast.expr | None:
    """The argument at `index` or given as keyword `name`."""
    if len(call.args) > index and not isinstance(call.args[index], ast.Starred):
        return call.args[index]
    return keyword(call, name)


def is_false(node: ast.expr | None) -> bool:
    """Whether `node` is the literal False."""
    return isinstance(node, ast.Constant) and node.value is False


def assigned_values(scope: ast.AST, name: str) -> list[ast.expr]:
    """The values assigned to the plain name `name` in `scope` (nested scopes included)."""
    values: list[ast.expr] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                values.append(node.value)
        elif (
            isinstance(node, ast.AnnAssign | ast.NamedExpr)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
            and node.value is not None
        ):
            values.append(node.value)
    return values


def qualified(node: ast.expr, names: dict[str, str]) -> str:
    """The qualified name of a name or attribute chain (`ssl.CERT_NONE`); '' otherwise."""
    return qualified_callee(node, names)


def shown(name: str) -> str:
    """A qualified name as a user reads it: `session.get`, not `<local>.session.get`."""
    return name.removeprefix(f"{LOCAL}.")
