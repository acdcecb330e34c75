"""Expression typing, enough for the checks: which model an expression is about.

`ExprType(model, kind)` says whether an expression is the model class, a
manager, a queryset, a related manager (`author.posts`), an instance, or a
list of instances. Handled: `Model.objects...` chains (custom managers and
QuerySet methods included), related managers and foreign keys on instances,
`get_object_or_404(Model, ...)`, `self.get_queryset()` / `self.get_object()` /
`self.object` / `self.model` in class-based views and DRF views, parameters
with model annotations, `request.user` (the user model), and local variables
assigned once. Anything else is None: unknown stays unknown.

This is resolution only; queryset state (select_related...) is left to the
checks that need it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from djreview.project.model_types import ModelInfo, ReverseRelation
from djreview.project.modules import dotted_name, record_import

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel

Kind = Literal["class", "manager", "queryset", "related_manager", "instance", "instances", "values"]

QUERYSET_METHODS = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "order_by",
        "select_related",
        "prefetch_related",
        "annotate",
        "alias",
        "distinct",
        "only",
        "defer",
        "using",
        "reverse",
        "none",
        "select_for_update",
        "extra",
        "complex_filter",
        "union",
        "intersection",
        "difference",
        "filter_by",
        "with_cte",
    }
)
VALUES_METHODS = frozenset({"values", "values_list", "dates", "datetimes"})
INSTANCE_METHODS = frozenset(
    {
        "get",
        "first",
        "last",
        "earliest",
        "latest",
        "create",
        "get_object",
        "aget",
        "afirst",
        "alast",
        "acreate",
    }
)
INSTANCE_GETTERS = frozenset(
    {
        "django.shortcuts.get_object_or_404",
        "rest_framework.generics.get_object_or_404",
    }
)
LIST_GETTERS = frozenset({"django.shortcuts.get_list_or_404"})
QUERYSET_KINDS = frozenset({"manager", "queryset", "related_manager"})


@dataclass(frozen=True)
class ExprType:
    """What an expression is, in model terms: `kind` of `model`.

    `relation` is set for a related manager or related instance reached
    through a field or reverse accessor (`author.posts` -> the `posts` reverse).
    """

    model: ModelInfo
    kind: Kind
    relation: ReverseRelation | None = None

    @property
    def is_queryset(self) -> bool:
        """A manager, queryset or related manager: something that runs a query when iterated."""
        return self.kind in QUERYSET_KINDS

    def as_kind(self, kind: Kind) -> ExprType:
        """The same model with another kind."""
        return ExprType(self.model, kind, self.relation)


@dataclass
class Scope:
    """Where an expression sits: its module, enclosing function and class (for `self`)."""

    module: str
    function: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    class_name: str | None = None
    # Local name -> the expressions assigned to it in the function (filled lazily).
    assignments: dict[str, list[ast.expr]] | None = field(default=None, repr=False)
    loop_targets: dict[str, ast.expr] | None = field(default=None, repr=False)
    # Names imported inside the function (`from .models import Post`, against import cycles).
    imports: dict[str, str] = field(default_factory=dict, repr=False)
    # Local names already typed in this scope (None: unknown), and those being typed now.
    known: dict[str, ExprType | None] = field(default_factory=dict, repr=False)
    resolving: set[str] = field(default_factory=set, repr=False)


def _function_bindings(scope: Scope, package: str) -> None:
    assignments: dict[str, list[ast.expr]] = {}
    loops: dict[str, ast.expr] = {}
    if scope.function is not None:
        for node in _walk_function(scope.function):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assignments.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(
                node.target, ast.Name
            ):
                if node.value is not None:
                    assignments.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
                if isinstance(node.target, ast.Name):
                    loops[node.target.id] = node.iter
            elif isinstance(node, ast.NamedExpr):
                assignments.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                record_import(node, package, scope.imports)
    scope.assignments, scope.loop_targets = assignments, loops


def _walk_function(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function body, not descending into nested functions or classes."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))


class TypeResolver:
    """Answers `type_of(expr, scope)` against the project model."""

    def __init__(self, index: ProjectModel) -> None:
        self.index = index

    def type_of(self, expr: ast.expr, scope: Scope, _depth: int = 0) -> ExprType | None:
        """The model-level type of `expr` in `scope`, or None when unknown."""
        if _depth > 25:
            return None
        if isinstance(expr, ast.Name):
            return self._name(expr.id, scope, _depth)
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr, scope, _depth)
        if isinstance(expr, ast.Call):
            return self._call(expr, scope, _depth)
        if isinstance(expr, ast.Subscript):
            base = self.type_of(expr.value, scope, _depth + 1)
            if base is None or not (base.is_queryset or base.kind == "instances"):
                return None
            return base.as_kind("queryset" if isinstance(expr.slice, ast.Slice) else "instance")
        if isinstance(expr, ast.Await):
            return self.type_of(expr.value, scope, _depth + 1)
        return None

    # -- names -------------------------------------------------------------------

    def _name(self, name: str, scope: Scope, depth: int) -> ExprType | None:
        if scope.function is None:
            model = self.index.model_of_expr(scope.module, ast.Name(id=name))
            return ExprType(model, "class") if model is not None else None
        if name in scope.known:
            return scope.known[name]
        if name in scope.resolving:
            return None
        scope.resolving.add(name)
        found = self._local(name, scope, depth)
        scope.resolving.discard(name)
        scope.known[name] = found
        return found

    def _local(self, name: str, scope: Scope, depth: int) -> ExprType | None:
        if scope.assignments is None:
            module = self.index.modules.get(scope.module)
            _function_bindings(scope, module.package if module is not None else "")
        assert scope.assignments is not None and scope.loop_targets is not None
        values = scope.assignments.get(name)
        if values:
            types = set()
            for value in values:
                typed = self.type_of(value, scope, depth + 1)
                # `qs = qs.filter(...)` keeps the type the other assignments give.
                if typed is None and _mentions(value, name):
                    continue
                types.add(typed)
            return types.pop() if len(types) == 1 else None
        if name in scope.loop_targets:
            iterated = self.type_of(scope.loop_targets[name], scope, depth + 1)
            if iterated is not None and (iterated.is_queryset or iterated.kind == "instances"):
                return iterated.as_kind("instance")
            return None
        parameter = self._parameter(name, scope)
        if parameter is not None:
            return parameter
        if name in scope.imports:
            model = self.index.model_for_class(scope.imports[name])
            return ExprType(model, "class") if model is not None else None
        model = self.index.model_of_expr(scope.module, ast.Name(id=name))
        return ExprType(model, "class") if model is not None else None

    def _parameter(self, name: str, scope: Scope) -> ExprType | None:
        function = scope.function
        assert function is not None
        arguments = function.args
        for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            if argument.arg != name or argument.annotation is None:
                continue
            return self._annotation(argument.annotation, scope)
        return None

    def _annotation(self, annotation: ast.expr, scope: Scope) -> ExprType | None:
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(annotation, ast.Subscript):
            container = (dotted_name(annotation.value) or "").rsplit(".", 1)[-1]
            inner = annotation.slice
            if isinstance(inner, ast.Tuple) and inner.elts:
                inner = inner.elts[0]
            model = self.index.model_of_expr(scope.module, inner)
            if model is None:
                return None
            if container in ("QuerySet", "Manager", "BaseManager"):
                return ExprType(model, "queryset")
            if container in ("list", "List", "Sequence", "Iterable", "Iterator", "tuple"):
                return ExprType(model, "instances")
            if container in ("type", "Type"):
                return ExprType(model, "class")
            return None
        model = self.index.model_of_expr(scope.module, annotation)
        return ExprType(model, "instance") if model is not None else None

    # -- attributes --------------------------------------------------------------

    def _attribute(self, expr: ast.Attribute, scope: Scope, depth: int) -> ExprType | None:
        attr = expr.attr
        if isinstance(expr.value, ast.Name) and expr.value.id == "self" and scope.class_name:
            found = self._self_attribute(attr, scope)
            if found is not None:
                return found
        if attr == "user" and self._is_request(expr.value):
            user = self.index.user_model
            return ExprType(user, "instance") if user is not None else None
        base = self.type_of(expr.value, scope, depth + 1)
        if base is None:
            # A model class reached through a module: `models.Post`.
            model = self.index.model_of_expr(scope.module, expr)
            return ExprType(model, "class") if model is not None else None
        if base.kind == "class":
            if attr in base.model.managers or attr in ("_default_manager", "_base_manager"):
                return base.as_kind("manager")
            return None
        if base.kind == "instance":
            return self._instance_attribute(base.model, attr)
        return None

    def _instance_attribute(self, model: ModelInfo, attr: str) -> ExprType | None:
        found = model.fields.get(attr) or model.reverse.get(attr)
        if found is None:
            return None
        if isinstance(found, ReverseRelation):
            related = self.index.model(found.model)
            if related is None:
                return None
            return ExprType(related, "related_manager" if found.multiple else "instance", found)
        if found.target is None or found.relation is None:
            return None
        target = self.index.model(found.target)
        if target is None:
            return None
        if found.relation in ("m2m", "generic_relation"):
            return ExprType(target, "related_manager")
        return ExprType(target, "instance")

    def _self_attribute(self, attr: str, scope: Scope) -> ExprType | None:
        view_model = self.class_model(scope)
        if view_model is None:
            model = self.index.model_for_class(scope.class_name or "")
            # `self` inside a model's own method is an instance of it.
            return self._instance_attribute(model, attr) if model is not None else None
        if attr == "model":
            return ExprType(view_model, "class")
        if attr == "object":
            return ExprType(view_model, "instance")
        if attr in ("object_list", "queryset"):
            return ExprType(view_model, "queryset")
        return None

    def class_model(self, scope: Scope) -> ModelInfo | None:
        """The model the enclosing view, form or admin class works on (see index.class_model)."""
        if scope.class_name is None:
            return None
        return self.index.class_model(scope.class_name)

    def _is_request(self, expr: ast.expr) -> bool:
        if isinstance(expr, ast.Name):
            return expr.id == "request"
        return (
            isinstance(expr, ast.Attribute)
            and expr.attr == "request"
            and isinstance(expr.value, ast.Name)
            and expr.value.id == "self"
        )

    # -- calls -------------------------------------------------------------------

    def _call(self, expr: ast.Call, scope: Scope, depth: int) -> ExprType | None:
        func = expr.func
        if isinstance(func, ast.Attribute):
            method = func.attr
            if isinstance(func.value, ast.Name) and func.value.id == "self" and scope.class_name:
                model = self.class_model(scope)
                if model is not None and method in ("get_queryset", "filter_queryset"):
                    return ExprType(model, "queryset")
                if model is not None and method == "get_object":
                    return ExprType(model, "instance")
            if isinstance(func.value, ast.Call) and dotted_name(func.value.func) == "super":
                model = self.class_model(scope)
                if model is not None and method == "get_queryset":
                    return ExprType(model, "queryset")
                return None
            base = self.type_of(func.value, scope, depth + 1)
            if base is None:
                return None
            if base.kind == "class" and method in ("as_manager",):
                return None
            if base.is_queryset:
                return self._queryset_method(base, method)
            return None
        callee = dotted_name(func)
        if callee is None:
            return None
        qualified = self.index.resolve_name(scope.module, callee)
        if qualified in INSTANCE_GETTERS or qualified in LIST_GETTERS:
            if not expr.args:
                return None
            target = self.type_of(expr.args[0], scope, depth + 1)
            if target is None:
                return None
            return target.as_kind("instance" if qualified in INSTANCE_GETTERS else "instances")
        called = self.type_of(func, scope, depth + 1)
        if called is not None and called.kind == "class":
            return called.as_kind("instance")
        return None

    def _queryset_method(self, base: ExprType, method: str) -> ExprType | None:
        if method in QUERYSET_METHODS:
            return base.as_kind("queryset")
        if method in INSTANCE_METHODS:
            return base.as_kind("instance")
        if method in VALUES_METHODS:
            return base.as_kind("values")
        if method in ("get_or_create", "update_or_create", "count", "exists", "aggregate"):
            return None
        return self._custom_method(base, method)

    def _custom_method(self, base: ExprType, method: str) -> ExprType | None:
        """A custom manager/QuerySet method returns a queryset when it returns `self...`."""
        for manager in base.model.managers.values():
            ref = manager.methods.get(method)
            if ref is None:
                continue
            returns = [
                node.value
                for node in _walk_function(ref[1])
                if isinstance(node, ast.Return) and node.value is not None
            ]
            if returns and all(_rooted_at_self(value) for value in returns):
                terminal = [_last_method(value) for value in returns]
                if all(name in INSTANCE_METHODS for name in terminal):
                    return base.as_kind("instance")
                if all(
                    name not in INSTANCE_METHODS and name not in VALUES_METHODS for name in terminal
                ):
                    return base.as_kind("queryset")
            return None
        return None


def _mentions(expr: ast.expr, name: str) -> bool:
    return any(isinstance(node, ast.Name) and node.id == name for node in ast.walk(expr))


def _rooted_at_self(expr: ast.expr) -> bool:
    while isinstance(expr, ast.Call | ast.Attribute | ast.Subscript):
        expr = expr.func if isinstance(expr, ast.Call) else expr.value
    return isinstance(expr, ast.Name) and expr.id == "self"


def _last_method(expr: ast.expr) -> str:
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        return expr.func.attr
    return ""
