"""Django admin registrations and what their ModelAdmin classes declare."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from djreview.model import Location
from djreview.project.literals import literal_bool, string_sequence
from djreview.project.model_types import FunctionRef, ModelInfo
from djreview.project.modules import ModuleInfo, dotted_name

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel

_LISTS = (
    "list_display",
    "list_display_links",
    "list_filter",
    "search_fields",
    "ordering",
    "raw_id_fields",
    "autocomplete_fields",
    "readonly_fields",
    "list_editable",
    "fields",
    "exclude",
    "prepopulated_fields",
)


@dataclass
class ListDisplayItem:
    """One `list_display` entry: a field, a lookup path, a ModelAdmin method or a callable.

    `kind` is "field" (a model field or attribute name), "path" (`author__name`),
    "admin_method" (a method of the ModelAdmin, `method` its body), "model_method"
    (a model method or property) or "callable" (a function given directly).
    """

    name: str
    kind: str
    method: FunctionRef | None = None


@dataclass
class AdminInfo:
    """One `admin.site.register` / `@admin.register`: the model and its ModelAdmin."""

    model: ModelInfo
    admin_class: str | None
    location: Location
    options: dict[str, tuple[str, ...]] = field(default_factory=dict)
    list_display: list[ListDisplayItem] = field(default_factory=list)
    # True/False, a tuple of relation names, or None when not set.
    list_select_related: bool | tuple[str, ...] | None = None
    get_queryset: FunctionRef | None = None
    inlines: list[tuple[str, ModelInfo | None]] = field(default_factory=list)


class AdminCollector:
    """Reads admin registrations (modules that mention `admin` and `register`)."""

    def __init__(self, index: ProjectModel) -> None:
        self.index = index
        self.classes = index.classes

    def collect(self) -> list[AdminInfo]:
        """Every registration, in file order."""
        found: list[AdminInfo] = []
        for module in self.index.modules.values():
            if "register" not in module.file.text or module.file.tree is None:
                continue
            for node in module.file.tree.body:
                found.extend(self._statement(module, node))
        return found

    def _statement(self, module: ModuleInfo, node: ast.stmt) -> list[AdminInfo]:
        if isinstance(node, ast.ClassDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and _is_register(decorator.func):
                    return self._register(
                        module, decorator.args, f"{module.name}.{node.name}", decorator
                    )
            return []
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            if _is_register(call.func) and call.args:
                dotted = dotted_name(call.args[1]) if len(call.args) > 1 else None
                admin = self.index.resolve_name(module.name, dotted) if dotted else None
                return self._register(module, call.args[:1], admin, call)
        return []

    def _register(
        self, module: ModuleInfo, targets: list[ast.expr], admin: str | None, node: ast.AST
    ) -> list[AdminInfo]:
        models: list[ast.expr] = []
        for target in targets:
            models.extend(target.elts if isinstance(target, ast.List | ast.Tuple) else [target])
        found = []
        for expr in models:
            model = self.index.model_of_expr(module.name, expr)
            if model is not None:
                found.append(self._admin(model, admin, module.file.node_location(node)))
        return found

    def _admin(self, model: ModelInfo, admin: str | None, location: Location) -> AdminInfo:
        info = AdminInfo(model, admin, location)
        if admin is None or self.classes.get(admin) is None:
            return info
        for option in _LISTS:
            value = self.classes.attribute(admin, option)
            if value is not None:
                info.options[option] = self._names(value)
        for name in info.options.get("list_display", ()):
            info.list_display.append(self._display_item(model, admin, name))
        select = self.classes.attribute(admin, "list_select_related")
        if select is not None:
            flag = literal_bool(select[1])
            info.list_select_related = flag if flag is not None else string_sequence(select[1])
        method = self.classes.method(admin, "get_queryset")
        info.get_queryset = (method[0].rel, method[1]) if method else None
        inlines = self.classes.attribute(admin, "inlines")
        for inline in self._names(inlines) if inlines else ():
            info.inlines.append((inline, self.index.class_model(inline)))
        return info

    def _display_item(self, model: ModelInfo, admin: str, name: str) -> ListDisplayItem:
        method = self.classes.method(admin, name)
        if method is not None:
            return ListDisplayItem(name, "admin_method", (method[0].rel, method[1]))
        if name in model.methods or name in model.properties:
            ref = model.methods.get(name) or model.properties[name]
            return ListDisplayItem(name, "model_method", ref)
        if "__" in name.strip("_"):
            return ListDisplayItem(name, "path")
        if "." in name:
            return ListDisplayItem(name, "callable")
        return ListDisplayItem(name, "field")

    def _names(self, value: tuple[ModuleInfo, ast.expr]) -> tuple[str, ...]:
        module, expr = value
        items = expr.elts if isinstance(expr, ast.List | ast.Tuple) else [expr]
        names = []
        for item in items:
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                names.append(item.value)
            elif (dotted := dotted_name(item)) is not None:
                names.append(self.index.resolve_name(module.name, dotted) or dotted)
        return tuple(names)


def _is_register(func: ast.expr) -> bool:
    """`admin.register`, `admin.site.register`, `my_site.register`, `register`."""
    dotted = dotted_name(func) or ""
    return (
        dotted == "register"
        or dotted.endswith(".register")
        and "admin" in dotted.lower()
        or (dotted.endswith("site.register"))
    )
