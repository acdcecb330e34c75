"""Structural checks that catch a patch which silences a finding instead of fixing it.

Each check compares the original and the patched `ast` of one file and
returns a reason (for the user and for the model's retry) or None.
"""

from __future__ import annotations

import ast
import builtins
import sys
from collections.abc import Iterator

from djreview.ai.context import enclosing_scope, node_span
from djreview.source.project import Project

# Share of the flagged statement's names that must survive in its scope.
_SURVIVAL = 2 / 3

_Function = ast.FunctionDef | ast.AsyncFunctionDef


def _functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, ast.AST]]:
    """(qualified name, node) of every function and class, outermost first."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, _Function | ast.ClassDef):
            name = f"{prefix}{node.name}"
            yield name, node
            yield from _functions(node, f"{name}.")
        else:
            yield from _functions(node, prefix)


def _qualname(tree: ast.Module, target: ast.AST) -> str | None:
    return next((name for name, node in _functions(tree) if node is target), None)


def _flagged_statement(tree: ast.Module, line: int) -> ast.stmt | None:
    best: ast.stmt | None = None
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            start, end = node_span(node)
            if start <= line <= end and (best is None or node_span(best)[0] <= start):
                best = node
    return best


def _data_names(node: ast.AST) -> set[str]:
    """Names and attributes a statement uses, except the callables it calls."""
    called = {id(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
    names = set()
    for child in ast.walk(node):
        if id(child) in called:
            continue
        if isinstance(child, ast.Name):
            names.add(child.id)
        elif isinstance(child, ast.Attribute):
            names.add(child.attr)
        elif isinstance(child, ast.arg):
            names.add(child.arg)
    return names


def _all_names(node: ast.AST) -> set[str]:
    names = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            names.add(child.id)
        elif isinstance(child, ast.Attribute):
            names.add(child.attr)
        elif isinstance(child, ast.arg):
            names.add(child.arg)
        elif isinstance(child, _Function | ast.ClassDef):
            names.add(child.name)
    return names


def disables_flagged_code(old: ast.Module, new: ast.Module, line: int) -> str | None:
    """A reason when the flagged statement's names mostly vanish from its scope."""
    statement = _flagged_statement(old, line)
    if statement is None:
        return None
    scope = enclosing_scope(old, line)
    new_scope: ast.AST = new
    if scope is not None:
        qualname = _qualname(old, scope)
        found = dict(_functions(new)).get(qualname or "")
        if found is None:
            return f"the patch removes `{qualname}`, which holds the flagged code"
        new_scope = found
    wanted = _data_names(statement)
    if not wanted:
        return None
    kept = wanted & _all_names(new_scope)
    if len(kept) < _SURVIVAL * len(wanted):
        return "the patch deletes or disables the flagged code instead of fixing it"
    return None


def _false_guards(tree: ast.AST) -> int:
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.If | ast.While | ast.IfExp)
        and isinstance(node.test, ast.Constant)
        and not node.test.value
    )


def constant_false_guards(old: ast.Module, new: ast.Module) -> str | None:
    """A reason when the patch puts code behind `if False:` or the like."""
    if _false_guards(new) > _false_guards(old):
        return "the patch hides code behind a condition that is always false"
    return None


def functions_changed(old: ast.Module, new: ast.Module, line: int) -> str | None:
    """A reason when a function that does not hold the flagged line changed or vanished."""
    after = {name: ast.dump(node) for name, node in _functions(new) if isinstance(node, _Function)}
    for name, node in _functions(old):
        if not isinstance(node, _Function):
            continue
        start, end = node_span(node)
        if line and start <= line <= end:
            continue
        if name not in after:
            return f"the patch removes the unrelated function `{name}`"
        if after[name] != ast.dump(node):
            return f"the patch changes the unrelated function `{name}`"
    return None


def _imported(tree: ast.Module) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def known_modules(project: Project) -> frozenset[str]:
    """Top-level modules the project can import: stdlib, what it imports, its own packages."""
    known = set(sys.stdlib_module_names)
    for file in project.python_files:
        if file.tree is not None:
            known.update(module.split(".")[0] for module in _imported(file.tree))
        parts = file.rel.removesuffix(".py").split("/")
        known.update(parts)
    return frozenset(known)


def unknown_imports(old: ast.Module, new: ast.Module, known: frozenset[str]) -> str | None:
    """A reason when the patch imports a module the project does not have."""
    for module in sorted(_imported(new) - _imported(old)):
        if module.split(".")[0] not in known:
            return f"the patch imports `{module}`, which the project does not use"
    return None


def _bound(tree: ast.Module) -> set[str] | None:
    """Every name the module binds anywhere (None with a star import: anything may be bound)."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, _Function | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                if alias.name == "*":
                    return None
                bound.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            bound.update(node.names)
    return bound


def _loaded(tree: ast.AST) -> set[str]:
    return {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }


_IMPLICIT = {"__file__", "__name__", "__doc__", "__spec__", "__package__", "__path__", "__class__"}


def undefined_names(old: ast.Module, new: ast.Module) -> str | None:
    """A reason when the patch uses a name the module neither defines nor imports.

    Only names the original did not use count: a module that relied on a name
    from elsewhere (a star import, an injected global) is not the patch's fault.
    """
    bound = _bound(new)
    if bound is None:
        return None
    known = bound | set(dir(builtins)) | _IMPLICIT | _loaded(old)
    for name in sorted(_loaded(new) - known):
        return f"the patch uses `{name}`, which is neither defined nor imported"
    return None
