"""A request value that has just matched a stored row on a field whose values hold no markup.

`get_object_or_404(XForm, id_string__exact=id_string)` or
`Form.objects.get(slug=slug)` raises unless a row holds exactly that value,
so every later use of the name holds a stored slug, UUID or number: the
field's type (its validators, its database type) restricts the characters.
The lookup must be a statement of the function's own body (not in a branch
or a `try`), between the one binding of the name and the sink, in the same
function; the field is resolved through the model the lookup names.

Stored values are trusted to obey their field's validators (a `SlugField`
holds letters, digits, `-` and `_`): code that writes such a field around
its validation is not what a reflected-XSS rule can see.
"""

from __future__ import annotations

import ast
import re

from djreview.checks.security._model_values import INTEGER_TYPES
from djreview.checks.security._post_fields import enclosing_view
from djreview.project.project_model import ProjectModel
from djreview.project.types import Scope
from djreview.source.project import Project
from djreview.taint.function import Hit
from djreview.taint.names import module_names, qualified_callee

# Field types whose stored (or convertible) values hold no markup character.
_MARKUP_FREE = INTEGER_TYPES | {"SlugField", "UUIDField"}
_GETTERS = frozenset({"django.shortcuts.get_object_or_404"})
_URL_PARAMETER = re.compile(r"URL parameter `(\w+)`")
_ASSIGNED = re.compile(r"assigned to `(\w+)`")


def matched_before_sink(project: Project, hit: Hit) -> bool:
    """The hit's only request read is a name that matched a markup-free field first."""
    if not hit.one_source or not hit.steps or hit.file.tree is None:
        return False
    source = hit.steps[0]
    if source.location.path != hit.file.rel:
        return False
    name, binding_line = _bound_name(hit)
    if name is None:
        return False
    view = enclosing_view(hit.file.tree, source.location.start_line)
    sink_line = hit.sink.call.lineno
    if view is None or not _spans(view.function, sink_line) or _rebound(view.function, name):
        return False
    model = project.analysis(ProjectModel)
    module = model.module_for(hit.file)
    if module is None:
        return False
    scope = Scope(module.name, view.function, view.cls.name if view.cls is not None else None)
    names = module_names(hit.file.tree)
    return any(
        binding_line < statement.lineno
        and (statement.end_lineno or statement.lineno) < sink_line
        and _matches(model, scope, names, statement, name)
        for statement in view.function.body
    )


def _bound_name(hit: Hit) -> tuple[str | None, int]:
    """The name the request value is bound to first: a URL parameter, or the variable the
    read is assigned to on its own line; and the line of that binding."""
    source = hit.steps[0]
    parameter = _URL_PARAMETER.match(source.message)
    if parameter is not None:
        return parameter.group(1), source.location.start_line
    if len(hit.steps) > 1:
        assigned = _ASSIGNED.match(hit.steps[1].message)
        where = hit.steps[1].location
        if assigned is not None and where.start_line == source.location.start_line:
            return assigned.group(1), where.start_line
    return None, 0


def _spans(node: ast.stmt, line: int) -> bool:
    return node.lineno <= line <= (node.end_lineno or node.lineno)


def _rebound(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """The name is bound more than once in the function (or declared global/nonlocal)."""
    bindings = 0
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            bindings += 1
        elif isinstance(node, ast.Global | ast.Nonlocal) and name in node.names:
            return True
        elif isinstance(node, ast.arg) and node.arg == name:
            bindings += 1
    return bindings > 1


def _matches(
    model: ProjectModel, scope: Scope, names: dict[str, str], statement: ast.stmt, name: str
) -> bool:
    """`statement` is (or assigns) a lookup that raises unless `name` equals a stored value
    of a markup-free field."""
    call = statement.value if isinstance(statement, ast.Expr | ast.Assign) else None
    if not isinstance(call, ast.Call):
        return False
    if qualified_callee(call.func, names) in _GETTERS and call.args:
        target: ast.expr = call.args[0]
    elif isinstance(call.func, ast.Attribute) and call.func.attr == "get" and not call.args:
        target = call.func.value
    else:
        return False
    typed = model.types.type_of(target, scope)
    if typed is None or typed.kind not in ("class", "manager", "queryset"):
        return False
    for keyword in call.keywords:
        if not (isinstance(keyword.value, ast.Name) and keyword.value.id == name):
            continue
        # `slug` or `slug__exact`: only a row holding exactly that value matches.
        field_name = (keyword.arg or "").removesuffix("__exact")
        if field_name == "pk":
            field_name = next((f.name for f in typed.model.fields.values() if f.primary_key), "")
        field = typed.model.fields.get(field_name) if "__" not in field_name else None
        if field is not None and {field.field_type, field.base_type} & _MARKUP_FREE:
            return True
    return False
