"""Model fields whose values cannot hold markup, read through the project's types.

`obj.status` of a field with `choices`, `obj.pk`, `obj.created.year`-like
numbers, dates, UUIDs, IP addresses and booleans: text the code (or the
database's type) fixes. In a registered `ModelAdmin`, the display method's
`obj` is an instance of the admin's model.
"""

from __future__ import annotations

import ast

from djreview.checks.security._safe_html import Constrained, FunctionNode, Resolve
from djreview.project.project_model import ProjectModel
from djreview.project.types import ExprType, Scope
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis

_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "FloatField",
        "DecimalField",
        "BooleanField",
        "NullBooleanField",
        "DateField",
        "DateTimeField",
        "TimeField",
        "DurationField",
        "UUIDField",
        "GenericIPAddressField",
        "IPAddressField",
    }
)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def markup_context(project: Project, file: SourceFile) -> tuple[Resolve, Constrained]:
    """What `SafeMarkup` needs to judge one file's values: its callees and model fields."""
    index = project.analysis(TaintAnalysis)

    def resolve(
        call: ast.Call, enclosing: FunctionNode | None
    ) -> tuple[SourceFile, FunctionNode] | None:
        return index.callee_of(file, call, enclosing)

    return resolve, constrained_fields(project.analysis(ProjectModel), file)


def constrained_fields(model: ProjectModel, file: SourceFile) -> Constrained:
    """A `Constrained` test for the expressions of one file."""
    module = model.module_for(file)
    module_name = module.name if module is not None else ""
    admins = {info.admin_class: info.model for info in model.admin if info.admin_class}

    def constrained(node: ast.Attribute, scopes: list[ast.AST]) -> bool:
        function = next((s for s in scopes if isinstance(s, _FUNCTIONS)), None)
        tree = scopes[-1] if scopes else None
        if function is None or not module_name or not isinstance(tree, ast.Module):
            return False
        owner = class_defining(tree, function)
        scope = Scope(module_name, function, owner.name if owner is not None else None)
        admin_model = admins.get(f"{module_name}.{owner.name}") if owner is not None else None
        params = function.args.args
        if admin_model is not None and len(params) >= 2 and params[0].arg == "self":
            scope.known[params[1].arg] = ExprType(admin_model, "instance")  # def shown(self, obj)
        typed = model.types.type_of(node.value, scope)
        if typed is None or typed.kind != "instance":
            return False
        field = typed.model.fields.get(node.attr)
        if field is None:
            return False
        return field.choices or bool({field.field_type, field.base_type} & _PLAIN_TYPES)

    return constrained


def class_defining(tree: ast.Module, function: ast.AST) -> ast.ClassDef | None:
    """The class whose body defines `function` directly, if any."""
    return next(
        (
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef) and any(item is function for item in node.body)
        ),
        None,
    )
