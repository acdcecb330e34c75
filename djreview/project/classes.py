"""Project classes by qualified name: their bases, subclass tests and method lookup."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from djreview.project.model_types import FunctionRef
from djreview.project.modules import ModuleInfo, NameResolver, dotted_name


def from_queryset_call(expr: ast.expr) -> tuple[ast.expr, ast.expr] | None:
    """(manager expr, queryset expr) for `Manager.from_queryset(QuerySet)`, else None."""
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "from_queryset"
        and expr.args
    ):
        return expr.func.value, expr.args[0]
    return None


class ClassTable:
    """Looks up classes defined at module top level anywhere in the project."""

    def __init__(self, modules: dict[str, ModuleInfo], resolver: NameResolver) -> None:
        self.modules = modules
        self.resolver = resolver
        self._bases: dict[str, tuple[str, ...]] = {}
        self._subclass: dict[tuple[str, int], bool] = {}
        self._linear: dict[str, list[str]] = {}
        self._attributes: dict[str, dict[str, tuple[ModuleInfo, ast.expr]]] = {}
        # When a set: the paths of the classes whose bodies were read through `get`
        # (what a kept result depends on; see `project.kept`). Subclass tests and
        # base lists read only class heads and are not recorded.
        self.touched: set[str] | None = None

    def get(self, qualified: str) -> tuple[ModuleInfo, ast.ClassDef] | None:
        """The module and ClassDef of a project class."""
        found = self._find(qualified)
        if found is not None and self.touched is not None:
            self.touched.add(found[0].rel)
        return found

    def _find(self, qualified: str) -> tuple[ModuleInfo, ast.ClassDef] | None:
        owner, _, name = qualified.rpartition(".")
        info = self.modules.get(owner)
        node = info.defs.get(name) if info is not None else None
        if info is not None and isinstance(node, ast.ClassDef):
            return info, node
        return None

    def assignment(self, qualified: str) -> tuple[ModuleInfo, ast.expr] | None:
        """The module and value of a module-level `Name = <expr>` definition."""
        owner, _, name = qualified.rpartition(".")
        info = self.modules.get(owner)
        node = info.defs.get(name) if info is not None else None
        if info is not None and isinstance(node, ast.Assign | ast.AnnAssign) and node.value:
            return info, node.value
        return None

    def resolve_expr(self, module: str, expr: ast.expr) -> str | None:
        """The qualified name a Name/Attribute expression refers to in `module`."""
        dotted = dotted_name(expr)
        return self.resolver.resolve(module, dotted) if dotted else None

    def bases(self, qualified: str) -> tuple[str, ...]:
        """Qualified names of a class's bases (`X.from_queryset(Q)` counts as X)."""
        cached = self._bases.get(qualified)
        if cached is not None:
            return cached
        found = self._find(qualified)
        result: list[str] = []
        if found is not None:
            info, node = found
            for base in node.bases:
                if isinstance(base, ast.Subscript):
                    base = base.value
                pair = from_queryset_call(base)
                target = self.resolve_expr(info.name, pair[0] if pair else base)
                if target is not None:
                    result.append(target)
        self._bases[qualified] = tuple(result)
        return self._bases[qualified]

    def is_subclass(
        self, qualified: str, roots: frozenset[str], external: Callable[[str], bool] | None = None
    ) -> bool:
        """True if `qualified` is one of `roots` or inherits from one (through project classes)."""
        key = (qualified, id(roots))
        if key in self._subclass:
            return self._subclass[key]
        self._subclass[key] = False  # cycle guard
        if qualified in roots:
            result = True
        elif self._find(qualified) is None:
            result = external(qualified) if external is not None else False
        else:
            result = any(self.is_subclass(b, roots, external) for b in self.bases(qualified))
        self._subclass[key] = result
        return result

    def linearize(self, qualified: str) -> list[str]:
        """The class and its project ancestors, in an MRO-like order (depth first, deduplicated)."""
        cached = self._linear.get(qualified)
        if cached is None:
            cached = self._linear[qualified] = self._linearize(qualified)
        return cached

    def _linearize(self, qualified: str) -> list[str]:
        order: list[str] = []

        def visit(name: str, depth: int) -> None:
            if name in order or depth > 30 or self._find(name) is None:
                return
            order.append(name)
            for base in self.bases(name):
                visit(base, depth + 1)

        visit(qualified, 0)
        return order

    def attribute(self, qualified: str, name: str) -> tuple[ModuleInfo, ast.expr] | None:
        """The value of class attribute `name` on the class or its nearest project ancestor."""
        for owner in self.linearize(qualified):
            found = self._own_attributes(owner).get(name)
            if found is not None:
                return found
        return None

    def _own_attributes(self, qualified: str) -> dict[str, tuple[ModuleInfo, ast.expr]]:
        cached = self._attributes.get(qualified)
        if cached is not None:
            return cached
        attributes: dict[str, tuple[ModuleInfo, ast.expr]] = {}
        found = self.get(qualified)
        if found is not None:
            info, node = found
            for item in node.body:
                if isinstance(item, ast.Assign):
                    for target in item.targets:
                        if isinstance(target, ast.Name):
                            attributes[target.id] = (info, item.value)
                elif (
                    isinstance(item, ast.AnnAssign)
                    and item.value is not None
                    and isinstance(item.target, ast.Name)
                ):
                    attributes[item.target.id] = (info, item.value)
        self._attributes[qualified] = attributes
        return attributes

    def inner_attribute(
        self, qualified: str, inner: str, name: str
    ) -> tuple[ModuleInfo, ast.expr] | None:
        """`Meta.model` and the like: attribute `name` of nested class `inner`, nearest first."""
        for owner in self.linearize(qualified):
            found = self.get(owner)
            if found is None:
                continue
            info, node = found
            for item in node.body:
                if isinstance(item, ast.ClassDef) and item.name == inner:
                    for statement in item.body:
                        if isinstance(statement, ast.Assign) and any(
                            isinstance(t, ast.Name) and t.id == name for t in statement.targets
                        ):
                            return info, statement.value
        return None

    def method(
        self, qualified: str, name: str
    ) -> tuple[ModuleInfo, ast.FunctionDef | ast.AsyncFunctionDef] | None:
        """The method `name` as the class resolves it (own or nearest project ancestor)."""
        for owner in self.linearize(qualified):
            found = self.get(owner)
            if found is None:
                continue
            info, node = found
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name == name:
                    return info, item
        return None

    def functions(self, qualified: str) -> Iterator[tuple[str, FunctionRef, bool]]:
        """(name, (file, def), is_property) for every method, nearest class first."""
        seen: set[str] = set()
        for name in self.linearize(qualified):
            found = self.get(name)
            if found is None:
                continue
            info, node = found
            for item in node.body:
                if (
                    isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                    and item.name not in seen
                ):
                    seen.add(item.name)
                    yield item.name, (info.rel, item), _is_property(item)


def _is_property(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        name = dotted_name(decorator) or ""
        if name.rsplit(".", 1)[-1] in ("property", "cached_property"):
            return True
    return False
