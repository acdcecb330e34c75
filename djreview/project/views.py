"""Views: function views, class-based views and the templates they render.

A function view is any top-level function whose first parameter is
`request` (or that a URL pattern routes to); a class-based view is a class
deriving from Django's `View` or DRF's `APIView` (through project classes too).
For each, the index records the `render()` / `TemplateResponse()` /
`render_to_string()` / `get_template(...).render()` calls with the template
names and the context keys -> expressions, and for class-based views the
`model`, `queryset`, `template_name` (or Django's default
`<app>/<model><suffix>.html`), `context_object_name` and the context
`get_context_data` adds.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from djreview.model import Location
from djreview.project.literals import keyword, literal_str, string_sequence
from djreview.project.model_types import ModelInfo
from djreview.project.modules import ModuleInfo, dotted_name

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel

VIEW_ROOTS = frozenset(
    {
        "django.views.View",
        "django.views.generic.View",
        "django.views.generic.base.View",
        "rest_framework.views.APIView",
    }
)
_RENDER_FUNCTIONS = {
    # qualified callee -> (index of the template argument, index of the context argument)
    "django.shortcuts.render": (1, 2),
    "django.shortcuts.render_to_response": (0, 1),
    "django.template.response.TemplateResponse": (1, 2),
    "django.template.response.SimpleTemplateResponse": (0, 1),
    "django.template.loader.render_to_string": (0, 1),
    "django.template.loader.get_template": (0, -1),
    "django.template.loader.select_template": (0, -1),
}
# Context classes -> index of the argument holding the context dict.
_CONTEXT_CLASSES = {
    "django.template.RequestContext": 1,
    "django.template.context.RequestContext": 1,
    "django.template.Context": 0,
    "django.template.context.Context": 0,
}
# Generic view -> template name suffix Django appends by default.
_TEMPLATE_SUFFIXES = {
    "ListView": "_list",
    "ArchiveIndexView": "_archive",
    "YearArchiveView": "_archive_year",
    "MonthArchiveView": "_archive_month",
    "WeekArchiveView": "_archive_week",
    "DayArchiveView": "_archive_day",
    "TodayArchiveView": "_archive_day",
    "DateDetailView": "_detail",
    "DetailView": "_detail",
    "CreateView": "_form",
    "UpdateView": "_form",
    "DeleteView": "_confirm_delete",
}
_LIST_VIEWS = frozenset(
    {
        "ListView",
        "ArchiveIndexView",
        "YearArchiveView",
        "MonthArchiveView",
        "WeekArchiveView",
        "DayArchiveView",
        "TodayArchiveView",
    }
)
_OBJECT_VIEWS = frozenset({"DetailView", "UpdateView", "DeleteView", "DateDetailView"})


def _external_view(qualified: str) -> bool:
    return qualified.startswith(
        (
            "django.views.",
            "django.contrib.auth.views.",
            "rest_framework.views.",
            "rest_framework.generics.",
            "rest_framework.viewsets.",
        )
    )


@dataclass
class RenderCall:
    """One template rendering: template name(s), context key -> expression, where."""

    templates: tuple[str, ...]
    context: dict[str, ast.expr]
    location: Location
    node: ast.Call
    # The context argument when it is not a dict literal we could read (then keys are partial).
    opaque_context: bool = False


@dataclass
class ViewInfo:
    """A function or class-based view and what it renders."""

    qualified_name: str
    module: str
    file: str
    kind: str  # "function" or "class"
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    location: Location
    renders: list[RenderCall] = field(default_factory=list)
    # Class-based views only:
    generic: tuple[str, ...] = ()
    model: ModelInfo | None = None
    template_name: str | None = None
    default_templates: tuple[str, ...] = ()
    context_object_name: str | None = None
    # Keys `get_context_data` sets (context["x"] = ..., context.update(x=...), return {...}).
    extra_context: dict[str, ast.expr] = field(default_factory=dict)

    @property
    def templates(self) -> tuple[str, ...]:
        """Every template name the view may render (explicit, default and render() calls)."""
        names = [self.template_name] if self.template_name else list(self.default_templates)
        names.extend(name for call in self.renders for name in call.templates)
        return tuple(dict.fromkeys(names))

    def implicit_context(self) -> dict[str, str]:
        """Context names a generic view provides itself -> 'object' / 'object_list'."""
        if self.model is None:
            return {}
        names: dict[str, str] = {}
        if _LIST_VIEWS & set(self.generic):
            names["object_list"] = "object_list"
            names[self.context_object_name or f"{self.model.model_name}_list"] = "object_list"
        if _OBJECT_VIEWS & set(self.generic):
            names["object"] = "object"
            names[self.context_object_name or self.model.model_name] = "object"
        return names


def may_hold_views(module: ModuleInfo) -> bool:
    """Whether a module can define a view (a project module that mentions one)."""
    text = module.file.text
    return not module.rel.startswith("<") and ("request" in text or "View" in text)


class ViewCollector:
    """Finds the views of the project (one pass over each candidate module)."""

    def __init__(self, index: ProjectModel) -> None:
        self.index = index

    def collect(self) -> dict[str, ViewInfo]:
        """Every view by qualified name."""
        views: dict[str, ViewInfo] = {}
        for module in self.index.modules.values():
            if may_hold_views(module):
                views.update(self.module_views(module))
        return views

    def module_views(self, module: ModuleInfo) -> dict[str, ViewInfo]:
        """The views one module defines, by qualified name."""
        views: dict[str, ViewInfo] = {}
        for name, node in module.defs.items():
            qualified = f"{module.name}.{name}"
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _takes_request(node):
                views[qualified] = self.function_view(module, node)
            elif (
                isinstance(node, ast.ClassDef)
                and node.bases
                and self.index.classes.is_subclass(qualified, VIEW_ROOTS, _external_view)
            ):
                views[qualified] = self.class_view(module, node)
        return views

    def function_view(
        self, module: ModuleInfo, node: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> ViewInfo:
        """A function view and its render calls."""
        view = ViewInfo(
            f"{module.name}.{node.name}",
            module.name,
            module.rel,
            "function",
            node,
            module.file.node_location(node),
        )
        view.renders = list(self.render_calls(module, node))
        return view

    def class_view(self, module: ModuleInfo, node: ast.ClassDef) -> ViewInfo:
        """A class-based view: model, templates, context, render calls in its methods."""
        qualified = f"{module.name}.{node.name}"
        classes = self.index.classes
        view = ViewInfo(
            qualified, module.name, module.rel, "class", node, module.file.node_location(node)
        )
        view.generic = tuple(
            dict.fromkeys(
                base.rsplit(".", 1)[-1]
                for owner in classes.linearize(qualified)
                for base in classes.bases(owner)
                if classes.get(base) is None
            )
        )
        view.model = self.index.class_model(qualified)
        template = classes.attribute(qualified, "template_name")
        view.template_name = literal_str(template[1]) if template else None
        name = classes.attribute(qualified, "context_object_name")
        view.context_object_name = literal_str(name[1]) if name else None
        view.default_templates = self._default_templates(qualified, view)
        override = classes.method(qualified, "get_template_names")
        if override is not None:
            # The project chooses the template: the names it returns, not Django's default.
            returned = _returned_strings(override[1])
            if returned:
                view.template_name, view.default_templates = None, returned
            else:
                view.default_templates = ()
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                view.renders.extend(self.render_calls(module, item, qualified))
        context = classes.method(qualified, "get_context_data")
        if context is not None:
            view.extra_context = _context_assignments(context[1])
        return view

    def _default_templates(self, qualified: str, view: ViewInfo) -> tuple[str, ...]:
        if view.model is None:
            return ()
        suffix_value = self.index.classes.attribute(qualified, "template_name_suffix")
        suffix = literal_str(suffix_value[1]) if suffix_value else None
        if suffix is None:
            suffix = next(
                (_TEMPLATE_SUFFIXES[g] for g in view.generic if g in _TEMPLATE_SUFFIXES), None
            )
        if suffix is None:
            return ()
        return (f"{view.model.app_label}/{view.model.model_name}{suffix}.html",)

    def _class_template(self, class_name: str, template: ast.expr | None) -> tuple[str, ...]:
        """`self.template_name` / `self.get_template_name()` read from the view class."""
        if isinstance(template, ast.Call) and not template.args:
            template = template.func
        if not (
            isinstance(template, ast.Attribute)
            and isinstance(template.value, ast.Name)
            and template.value.id == "self"
        ):
            return ()
        attribute = template.attr.removeprefix("get_")
        found = self.index.classes.attribute(class_name, attribute)
        if found is None and attribute != "template_name":
            found = self.index.classes.attribute(class_name, "template_name")
        return (string_sequence(found[1]) or ()) if found is not None else ()

    def render_calls(
        self,
        module: ModuleInfo,
        function: ast.FunctionDef | ast.AsyncFunctionDef,
        class_name: str | None = None,
    ) -> Iterator[RenderCall]:
        """The template renderings inside one function (a method of `class_name`, if given)."""
        source = module.file.text_of_lines(function.lineno, function.end_lineno or function.lineno)
        if "render" not in source and "emplate" not in source:
            return
        local_dicts: dict[str, ast.Dict] = {}
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        local_dicts[target.id] = node.value
        for node in ast.walk(function):
            if isinstance(node, ast.Call):
                found = self._render_call(module, node, local_dicts, function, class_name)
                if found is not None:
                    yield found

    def _render_call(
        self,
        module: ModuleInfo,
        call: ast.Call,
        local_dicts: dict[str, ast.Dict],
        function: ast.FunctionDef | ast.AsyncFunctionDef,
        class_name: str | None,
    ) -> RenderCall | None:
        callee = dotted_name(call.func)
        if callee is None:
            return None
        qualified = self.index.resolve_name(module.name, callee)
        positions = _RENDER_FUNCTIONS.get(qualified or "")
        if positions is None:
            return None
        template_at, context_at = positions
        template = keyword(call, "template_name") or (
            call.args[template_at] if len(call.args) > template_at else None
        )
        names = _template_names(template, local_string_values(function))
        if not names and class_name is not None:
            names = self._class_template(class_name, template)
        context_node = keyword(call, "context") or (
            call.args[context_at] if 0 <= context_at < len(call.args) else None
        )
        context, opaque = _context_of(
            self._unwrapped_context(module, context_node), local_dicts, function
        )
        return RenderCall(names, context, module.file.node_location(call), call, opaque)

    def _unwrapped_context(self, module: ModuleInfo, node: ast.expr | None) -> ast.expr | None:
        """The dict inside `RequestContext(request, {...})` / `Context({...})`.

        Code written for Django < 1.10 passes its context wrapped:
        `render_to_response(name, RequestContext(request, {...}))`.
        """
        if not isinstance(node, ast.Call):
            return node
        callee = dotted_name(node.func)
        at = (
            _CONTEXT_CLASSES.get(self.index.resolve_name(module.name, callee) or "")
            if callee
            else None
        )
        if at is None:
            return node
        return keyword(node, "dict_") or (node.args[at] if len(node.args) > at else None)


def _returned_strings(function: ast.AST) -> tuple[str, ...]:
    """The string literals (or lists of them) a function returns."""
    found: list[str] = []
    for node in ast.walk(function):
        if isinstance(node, ast.Return):
            found.extend(string_sequence(node.value) or ())
    return tuple(dict.fromkeys(found))


def _takes_request(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    arguments = [*node.args.posonlyargs, *node.args.args]
    return bool(arguments) and arguments[0].arg in ("request", "req")


def local_string_values(function: ast.AST) -> dict[str, tuple[str, ...]]:
    """Local names assigned string literals (or lists of them) in a function.

    A parameter's string default counts too: `def view(request,
    template_name="x.html")` renders "x.html" unless a URL pattern passes another.
    """
    found: dict[str, tuple[str, ...]] = {}
    if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        for argument, default in _defaults(function.args):
            values = string_sequence(default)
            if values:
                found[argument.arg] = values
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            values = string_sequence(node.value)
            for target in node.targets:
                if isinstance(target, ast.Name) and values:
                    found[target.id] = found.get(target.id, ()) + values
    return found


def _defaults(arguments: ast.arguments) -> list[tuple[ast.arg, ast.expr]]:
    """(parameter, default) pairs of a signature."""
    positional = [*arguments.posonlyargs, *arguments.args]
    with_default = positional[len(positional) - len(arguments.defaults) :]
    pairs = list(zip(with_default, arguments.defaults, strict=True))
    pairs.extend(
        (argument, default)
        for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
        if default is not None
    )
    return pairs


def _template_names(node: ast.expr | None, strings: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    if node is None:
        return ()
    if isinstance(node, ast.IfExp):
        return _template_names(node.body, strings) + _template_names(node.orelse, strings)
    if isinstance(node, ast.Name):
        return strings.get(node.id, ())
    return string_sequence(node) or ()


def _dict_items(node: ast.Dict) -> dict[str, ast.expr]:
    return {
        key.value: value
        for key, value in zip(node.keys, node.values, strict=True)
        if isinstance(key, ast.Constant) and isinstance(key.value, str)
    }


def _context_of(
    node: ast.expr | None, local_dicts: dict[str, ast.Dict], function: ast.AST
) -> tuple[dict[str, ast.expr], bool]:
    if node is None:
        return {}, False
    if isinstance(node, ast.Dict):
        return _dict_items(node), any(key is None for key in node.keys)
    if isinstance(node, ast.Call) and dotted_name(node.func) == "dict":
        return {kw.arg: kw.value for kw in node.keywords if kw.arg}, bool(node.args)
    if isinstance(node, ast.Name) and node.id in local_dicts:
        context = _dict_items(local_dicts[node.id])
        context.update(subscript_assignments(function, node.id))
        return context, False
    if isinstance(node, ast.Call) and dotted_name(node.func) == "locals":
        return {}, True
    return {}, True


def subscript_assignments(function: ast.AST, name: str) -> dict[str, ast.expr]:
    """`name["key"] = value` and `name.update(key=value / {...})` in a function."""
    found: dict[str, ast.expr] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == name
                    and isinstance(target.slice, ast.Constant)
                    and isinstance(target.slice.value, str)
                ):
                    found[target.slice.value] = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
        ):
            found.update({kw.arg: kw.value for kw in node.keywords if kw.arg})
            for arg in node.args:
                if isinstance(arg, ast.Dict):
                    found.update(_dict_items(arg))
    return found


def _context_assignments(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, ast.expr]:
    """What `get_context_data` adds: `context[...] = ...`, `.update(...)`, returned dicts."""
    found: dict[str, ast.expr] = {}
    names = {"context", "ctx", "data", "kwargs"}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            names.add(node.targets[0].id)
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Dict):
            found.update(_dict_items(node.value))
    for name in names:
        found.update(subscript_assignments(function, name))
    return found
