"""URL patterns: `path`, `re_path`, `url`, `include`, `.as_view()`, DRF routers.

Starting from `ROOT_URLCONF` when the settings name it (else from every module
called `urls`), each `urlpatterns` list is read statically; `include()`d
modules are followed with the route prefix and namespace carried along.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from djreview.model import Location
from djreview.project.literals import keyword, literal_str
from djreview.project.modules import ModuleInfo, dotted_name, module_statements

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel

_PATH_FUNCTIONS = {
    "django.urls.path": "path",
    "django.urls.re_path": "re_path",
    "django.conf.urls.url": "re_path",
    "django.urls.conf.path": "path",
    "django.urls.conf.re_path": "re_path",
}
_INCLUDE = frozenset(
    {"django.urls.include", "django.conf.urls.include", "django.urls.conf.include"}
)
_PATH_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>")


@dataclass
class URLPattern:
    """One routed URL: full route (prefixes joined), the view it calls, its parameters.

    `view` is the qualified name of the function or class (for `.as_view()`,
    the class); `view_kwargs` are `as_view(...)` keyword overrides; `viewset`
    marks a DRF router registration.
    """

    route: str
    kind: str
    view: str | None
    name: str | None
    params: tuple[str, ...]
    module: str
    location: Location
    namespace: str | None = None
    view_kwargs: dict[str, ast.expr] = field(default_factory=dict)
    viewset: bool = False


def route_params(route: str, kind: str) -> tuple[str, ...]:
    """The names a route captures: `<int:pk>` in path(), `(?P<pk>...)` in re_path()."""
    pattern = _PATH_PARAM if kind == "path" else _REGEX_PARAM
    return tuple(match["name"] for match in pattern.finditer(route))


class URLCollector:
    """Reads the URL configuration of the project."""

    def __init__(self, index: ProjectModel) -> None:
        self.index = index
        self.patterns: list[URLPattern] = []
        self._visited: set[str] = set()
        self._mounted: set[int] = set()

    def collect(self) -> list[URLPattern]:
        """Every URL pattern reachable from ROOT_URLCONF (or from every `urls` module)."""
        root = self.index.settings.literal("ROOT_URLCONF")
        roots = (
            [root]
            if isinstance(root, str) and root in self.index.modules
            else [
                name
                for name in self.index.modules
                if name.rsplit(".", 1)[-1] == "urls" or name.endswith(".urls.__init__")
            ]
        )
        for name in roots:
            self._module(name, "", None, 0)
        return self.patterns

    def _module(self, name: str, prefix: str, namespace: str | None, depth: int) -> None:
        module = self.index.modules.get(name)
        key = f"{name}|{prefix}"
        if module is None or key in self._visited or depth > 15:
            return
        self._visited.add(key)
        tree = module.file.tree
        if tree is None:
            return
        app_name = literal_str(_assigned(tree, "app_name"))
        for value in _urlpattern_lists(tree):
            self._list(module, value, prefix, namespace or app_name, depth)
        # Routers never mounted with include(router.urls) keep the module's prefix.
        for call in _router_registrations(tree):
            if id(call) not in self._mounted:
                self._router(module, call, prefix, namespace or app_name)

    def _list(
        self, module: ModuleInfo, value: ast.expr, prefix: str, namespace: str | None, depth: int
    ) -> None:
        if isinstance(value, ast.BinOp):
            self._list(module, value.left, prefix, namespace, depth)
            self._list(module, value.right, prefix, namespace, depth)
            return
        items = value.elts if isinstance(value, ast.List | ast.Tuple) else []
        for item in items:
            if isinstance(item, ast.Call):
                self._entry(module, item, prefix, namespace, depth)

    def _entry(
        self, module: ModuleInfo, call: ast.Call, prefix: str, namespace: str | None, depth: int
    ) -> None:
        callee = dotted_name(call.func)
        kind = _PATH_FUNCTIONS.get(self.index.resolve_name(module.name, callee or "") or "")
        if kind is None or not call.args:
            return
        route = literal_str(call.args[0]) or ""
        full = prefix + route
        target = call.args[1] if len(call.args) > 1 else keyword(call, "view")
        if isinstance(target, ast.Call) and self._is_include(module, target):
            if self._mount_router(module, target, full, namespace):
                return
            included, inner_namespace = self._include_target(module, target)
            if included is not None:
                self._module(included, full, inner_namespace or namespace, depth + 1)
            elif target.args:
                patterns = target.args[0]
                if isinstance(patterns, ast.Tuple) and patterns.elts:
                    patterns = patterns.elts[0]  # include((patterns, app_name))
                if isinstance(patterns, ast.Name) and module.file.tree is not None:
                    # include(_patterns): a list built earlier in the same module.
                    name = patterns.id
                    patterns = _assigned(module.file.tree, name) or patterns
                    for extra in _list_additions(module.file.tree, name):
                        self._list(module, extra, full, inner_namespace or namespace, depth + 1)
                self._list(module, patterns, full, inner_namespace or namespace, depth + 1)
            return
        view, view_kwargs = self._view(module, target)
        self.patterns.append(
            URLPattern(
                route=full,
                kind=kind,
                view=view,
                name=literal_str(keyword(call, "name")),
                params=route_params(full, kind),
                module=module.name,
                location=module.file.node_location(call),
                namespace=namespace,
                view_kwargs=view_kwargs,
            )
        )

    def _mount_router(
        self, module: ModuleInfo, include: ast.Call, prefix: str, namespace: str | None
    ) -> bool:
        """`include(router.urls)`: the router's registrations, under this route."""
        argument = include.args[0] if include.args else None
        if not (
            isinstance(argument, ast.Attribute)
            and argument.attr == "urls"
            and isinstance(argument.value, ast.Name)
            and module.file.tree is not None
        ):
            return False
        router = argument.value.id
        calls = [
            call
            for call in _router_registrations(module.file.tree)
            if isinstance(call.func, ast.Attribute) and dotted_name(call.func.value) == router
        ]
        for call in calls:
            self._mounted.add(id(call))
            self._router(module, call, prefix, namespace)
        return bool(calls)

    def _is_include(self, module: ModuleInfo, call: ast.Call) -> bool:
        callee = dotted_name(call.func)
        return self.index.resolve_name(module.name, callee or "") in _INCLUDE

    def _include_target(self, module: ModuleInfo, call: ast.Call) -> tuple[str | None, str | None]:
        namespace = literal_str(keyword(call, "namespace"))
        if not call.args:
            return None, namespace
        target = call.args[0]
        if isinstance(target, ast.Tuple) and target.elts:
            if len(target.elts) > 1 and namespace is None:
                namespace = literal_str(target.elts[1])
            target = target.elts[0]
        text = literal_str(target)
        if text is not None:
            return text, namespace
        dotted = dotted_name(target)
        if dotted is not None:
            qualified = self.index.resolve_name(module.name, dotted)
            if qualified in self.index.modules:
                return qualified, namespace
        return None, namespace

    def _view(
        self, module: ModuleInfo, target: ast.expr | None
    ) -> tuple[str | None, dict[str, ast.expr]]:
        if target is None:
            return None, {}
        kwargs: dict[str, ast.expr] = {}
        if (
            isinstance(target, ast.Call)
            and isinstance(target.func, ast.Attribute)
            and target.func.attr == "as_view"
        ):
            kwargs = {kw.arg: kw.value for kw in target.keywords if kw.arg}
            target = target.func.value
        dotted = dotted_name(target)
        if dotted is None:
            return None, kwargs
        return self.index.resolve_name(module.name, dotted), kwargs

    def _router(
        self, module: ModuleInfo, call: ast.Call, prefix: str, namespace: str | None
    ) -> None:
        if len(call.args) < 2:
            return
        route = literal_str(call.args[0]) or ""
        view, _ = self._view(module, call.args[1])
        self.patterns.append(
            URLPattern(
                route=prefix + route,
                kind="router",
                view=view,
                name=literal_str(keyword(call, "basename")),
                params=(),
                module=module.name,
                location=module.file.node_location(call),
                namespace=namespace,
                viewset=True,
            )
        )


def _assigned(tree: ast.Module, name: str) -> ast.expr | None:
    for node in module_statements(tree.body):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return node.value
    return None


def _urlpattern_lists(tree: ast.Module) -> Iterator[ast.expr]:
    value = _assigned(tree, "urlpatterns")
    if value is not None:
        yield value
    yield from _list_additions(tree, "urlpatterns")


def _list_additions(tree: ast.Module, name: str) -> Iterator[ast.expr]:
    """What `name += [...]`, `name.append(x)` and `name.extend([...])` add at module level."""
    for node in module_statements(tree.body):
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            if node.target.id == name:
                yield node.value
        elif (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr in ("append", "extend")
            and dotted_name(node.value.func.value) == name
            and node.value.args
        ):
            argument = node.value.args[0]
            yield argument if node.value.func.attr == "extend" else ast.List(elts=[argument])


def _router_registrations(tree: ast.Module) -> Iterator[ast.Call]:
    for node in module_statements(tree.body):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr == "register"
        ):
            yield node.value
