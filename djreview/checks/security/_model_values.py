"""Model fields whose values cannot hold markup, read through the project's types.

`obj.status` of a field with `choices`, `obj.pk`, `obj.created.year`-like
numbers, dates, UUIDs, IP addresses and booleans: text the code (or the
database's type) fixes. In a registered `ModelAdmin`, the display method's
`obj` is an instance of the admin's model.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from djreview.checks.security._safe_html import Constrained, FunctionNode, Resolve
from djreview.project.model_types import ModelInfo
from djreview.project.project_model import ProjectModel
from djreview.project.types import ExprType, Scope
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis

INTEGER_TYPES = frozenset(
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
    }
)
_PLAIN_TYPES = INTEGER_TYPES | frozenset(
    {
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
        # django-colorfield: its validators admit only a hex or rgb(a) colour.
        "ColorField",
    }
)
# Fields whose `.url` is the storage's URL: `filepath_to_uri()` quotes `"`, `<` and `>`.
_FILE_TYPES = frozenset({"FileField", "ImageField"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# `get_status_display`: the method Django's `Field.contribute_to_class()` adds for `status`.
_CHOICES_LABEL = re.compile(r"get_(\w+)_display")


def markup_context(project: Project, file: SourceFile) -> tuple[Resolve, Constrained]:
    """What `SafeMarkup` needs to judge one file's values: its callees and model fields."""
    index = project.analysis(TaintAnalysis)

    def resolve(
        call: ast.Call, enclosing: FunctionNode | None
    ) -> tuple[SourceFile, FunctionNode] | None:
        return index.callee_of(file, call, enclosing)

    defined = project.analysis(DefinedFunctions).names
    return resolve, constrained_fields(project.analysis(ProjectModel), file, defined)


class DefinedFunctions:
    """The name of every function and method the project defines, read once per run."""

    @classmethod
    def build(cls, project: Project) -> DefinedFunctions:
        """Every `def` name of `project`'s modules."""
        return cls(
            frozenset(node.name for file in project.python_files for node in file.functions())
        )

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names


def file_fields(model: ProjectModel, file: SourceFile) -> Constrained:
    """A test for `obj.f` where `f` is a `FileField` / `ImageField` of `obj`'s model."""
    field_of = _typed_fields(model, file)

    def is_file(node: ast.Attribute, scopes: list[ast.AST]) -> bool:
        typed = field_of(node.value, scopes)
        field = typed.model.fields.get(node.attr) if typed is not None else None
        return field is not None and bool({field.field_type, field.base_type} & _FILE_TYPES)

    return is_file


def _typed_fields(
    model: ProjectModel, file: SourceFile
) -> Callable[[ast.expr, list[ast.AST]], ExprType | None]:
    """The type of an expression in one file's functions (a display method's `obj` typed)."""
    module = model.module_for(file)
    module_name = module.name if module is not None else ""
    admins = {info.admin_class: info.model for info in model.admin if info.admin_class}

    def type_of(node: ast.expr, scopes: list[ast.AST]) -> ExprType | None:
        function = next((s for s in scopes if isinstance(s, _FUNCTIONS)), None)
        tree = scopes[-1] if scopes else None
        if function is None or not module_name or not isinstance(tree, ast.Module):
            return None
        owner = class_defining(tree, function)
        scope = Scope(module_name, function, owner.name if owner is not None else None)
        admin_model = admins.get(f"{module_name}.{owner.name}") if owner is not None else None
        params = function.args.args
        if admin_model is not None and len(params) >= 2 and params[0].arg == "self":
            scope.known[params[1].arg] = ExprType(admin_model, "instance")  # def shown(self, obj)
        typed = model.types.type_of(node, scope)
        return typed if typed is not None and typed.kind == "instance" else None

    return type_of


def constrained_fields(
    model: ProjectModel, file: SourceFile, defined: frozenset[str] = frozenset()
) -> Constrained:
    """A `Constrained` test for the expressions of one file; `defined` names the project's
    functions (an object of unknown type has Django's `get_FOO_display()` only when no
    project function has that name and some model's field `FOO` has choices)."""
    type_of = _typed_fields(model, file)

    def constrained(node: ast.Attribute, scopes: list[ast.AST]) -> bool:
        typed = type_of(node.value, scopes)
        label = _CHOICES_LABEL.fullmatch(node.attr)
        if label is not None and typed is None:
            # Unknown object: the label of some model's field with choices, unless the
            # project defines a function of that name (which may be what runs).
            return node.attr not in defined and any(
                _generated_label(info, label.group(1), node.attr) for info in model.models.values()
            )
        if typed is None:
            return False
        if label is not None:
            return _generated_label(typed.model, label.group(1), node.attr)
        field = typed.model.fields.get(node.attr)
        if field is None:
            return False
        return field.choices or bool({field.field_type, field.base_type} & _PLAIN_TYPES)

    return constrained


def _generated_label(info: ModelInfo, field_name: str, method: str) -> bool:
    """Django generates `method` for `info`: its field has choices, and neither the model nor
    a project class it derives from defines a method or property of that name (Django keeps
    those)."""
    field = info.fields.get(field_name)
    return (
        field is not None
        and field.choices
        and method not in info.methods
        and method not in info.properties
    )


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
