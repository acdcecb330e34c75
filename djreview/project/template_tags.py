"""Custom template tags and filters: the functions `{% load %}` makes callable in a template.

A library is a module under a `templatetags/` package; its name is the
module's (`{% load shop_tags %}`). Registered with `@register.simple_tag`,
`@register.assignment_tag`, `@register.inclusion_tag("x.html")`,
`@register.filter` or `@register.tag` (each with `name=` or a positional
name), a tag is recorded with its function, its kind and, for an inclusion
tag, the template it renders; for a compiled `@register.tag`, the keys the
`render()` of the `Node` it returns writes into the context
(`context["tabs"] = ...`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from djreview.project.literals import keyword, literal_str
from djreview.project.modules import ModuleInfo
from djreview.project.views import subscript_assignments

_KINDS = {
    "simple_tag": "simple",
    "assignment_tag": "simple",
    "inclusion_tag": "inclusion",
    "filter": "filter",
    "tag": "compiled",
}
Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class TemplateTag:
    """One registered tag or filter."""

    library: str
    name: str
    kind: str  # "simple", "inclusion", "filter" or "compiled"
    module: ModuleInfo
    function: Function
    takes_context: bool = False
    template: str | None = None
    # Compiled tags: the Node's render() and the context keys it assigns.
    render: Function | None = None
    assigns: dict[str, ast.expr] = field(default_factory=dict)

    @property
    def parameters(self) -> list[str]:
        """The parameters a template passes (after `context` for takes_context tags)."""
        names = [a.arg for a in (*self.function.args.posonlyargs, *self.function.args.args)]
        return names[1:] if self.takes_context else names


def template_tags(modules: dict[str, ModuleInfo]) -> dict[tuple[str, str], TemplateTag]:
    """(library, tag name) -> the tag, for every project tag library."""
    found: dict[tuple[str, str], TemplateTag] = {}
    for module in modules.values():
        parts = module.name.split(".")
        if len(parts) < 2 or parts[-2] != "templatetags" or module.rel.startswith("<"):
            continue
        for node in module.defs.values():
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in node.decorator_list:
                    tag = _registered(module, parts[-1], node, decorator)
                    if tag is not None:
                        found[(tag.library, tag.name)] = tag
    return found


def _registered(
    module: ModuleInfo, library: str, function: Function, decorator: ast.expr
) -> TemplateTag | None:
    call = decorator if isinstance(decorator, ast.Call) else None
    target = call.func if call is not None else decorator
    if not (isinstance(target, ast.Attribute) and target.attr in _KINDS):
        return None
    kind = _KINDS[target.attr]
    name = function.name
    template = None
    takes_context = False
    if call is not None:
        named = keyword(call, "name")
        first = call.args[0] if call.args else None
        if kind == "inclusion":
            template = literal_str(keyword(call, "filename") or first)
        elif first is not None and literal_str(first):
            name = literal_str(first) or name
        if named is not None and literal_str(named):
            name = literal_str(named) or name
        context_flag = keyword(call, "takes_context")
        takes_context = isinstance(context_flag, ast.Constant) and context_flag.value is True
    render, assigns = _node_render(module, function) if kind == "compiled" else (None, {})
    return TemplateTag(
        library, name, kind, module, function, takes_context, template, render, assigns
    )


def _node_render(
    module: ModuleInfo, function: Function
) -> tuple[Function | None, dict[str, ast.expr]]:
    """The render() of the Node class a compile function returns, and its context writes."""
    for node in ast.walk(function):
        if not (
            isinstance(node, ast.Return)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
        ):
            continue
        cls = module.defs.get(node.value.func.id)
        if not isinstance(cls, ast.ClassDef):
            continue
        for item in cls.body:
            if isinstance(item, ast.FunctionDef) and item.name == "render":
                return item, _context_writes(item)
    return None, {}


def _context_writes(render: Function) -> dict[str, ast.expr]:
    """`context["key"] = value` / `context.update(...)` in a Node's render()."""
    arguments = render.args.args
    return subscript_assignments(render, arguments[1].arg if len(arguments) > 1 else "context")
