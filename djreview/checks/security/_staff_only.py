"""Views only staff or superusers reach: their request data is the operators' own input.

A view counts when, resolved through the imports and the project's class
bases, it is decorated with `staff_member_required` or with
`user_passes_test` of a test that requires `is_staff` / `is_superuser`
(also through `method_decorator`), when its class (or a project ancestor)
is a `UserPassesTestMixin` whose `test_func` requires them, or has a
`dispatch` that returns or raises first when they are missing, or when it is
a `ModelAdmin` method the admin site wraps in its staff check.
`permission_required` does not count: a permission is granted to ordinary
accounts (editors, team members), not only to the site's operators.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from djreview.checks.security._post_fields import enclosing_view
from djreview.project.modules import dotted_name
from djreview.project.project_model import ProjectModel
from djreview.source.project import Project
from djreview.taint.function import Hit

_PRIVILEGES = frozenset({"is_staff", "is_superuser"})
_STAFF_DECORATOR = "django.contrib.admin.views.decorators.staff_member_required"
_TEST_DECORATOR = "django.contrib.auth.decorators.user_passes_test"
_METHOD_DECORATOR = "django.utils.decorators.method_decorator"
_TEST_MIXIN = frozenset({"django.contrib.auth.mixins.UserPassesTestMixin"})
_MODEL_ADMIN = frozenset(
    {
        "django.contrib.admin.ModelAdmin",
        "django.contrib.admin.options.ModelAdmin",
        "django.contrib.admin.options.BaseModelAdmin",
    }
)
_USERS = frozenset({"request.user", "self.request.user"})
Function = ast.FunctionDef | ast.AsyncFunctionDef
# The qualified name an expression refers to in the module being read.
_Resolve = Callable[[ast.expr], str | None]


def staff_only(project: Project, hit: Hit) -> bool:
    """Whether the hit's request data is read inside a view only staff or superusers reach."""
    where = hit.steps[0].location if hit.steps else None
    file = project.by_rel.get(where.path) if where is not None else None
    if where is None or file is None or file.tree is None:
        return False
    model = project.analysis(ProjectModel)
    module = model.module_for(file)
    view = enclosing_view(file.tree, where.start_line)
    if module is None or view is None:
        return False
    function, owner = view.function, view.cls

    def resolve(node: ast.expr) -> str | None:
        spelled = dotted_name(node)
        return model.resolve_name(module.name, spelled) if spelled else None

    if any(_staff_decorator(decorator, resolve) for decorator in function.decorator_list):
        return True
    return owner is not None and _staff_class(model, f"{module.name}.{owner.name}", function)


def _staff_decorator(decorator: ast.expr, resolve: _Resolve) -> bool:
    """`@staff_member_required`, `@user_passes_test(lambda u: u.is_staff)`, or either wrapped."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = resolve(target)
    if name == _STAFF_DECORATOR:
        return True
    if not isinstance(decorator, ast.Call):
        return False
    if name == _METHOD_DECORATOR and decorator.args:
        inner = decorator.args[0]
        wrapped = inner.elts if isinstance(inner, ast.List | ast.Tuple) else [inner]
        return any(_staff_decorator(item, resolve) for item in wrapped)
    if name == _TEST_DECORATOR:
        test = decorator.args[0] if decorator.args else None
        test = next((kw.value for kw in decorator.keywords if kw.arg == "test_func"), test)
        return (
            isinstance(test, ast.Lambda)
            and len(test.args.args) == 1
            and _requires_privilege(test.body, {test.args.args[0].arg})
        )
    return False


def _staff_class(model: ProjectModel, qualified: str, function: Function) -> bool:
    """The class (or a project ancestor) lets only staff or superusers through."""
    classes = model.classes
    if classes.is_subclass(qualified, _MODEL_ADMIN):
        return not _routed_unwrapped(model, qualified, function.name)
    for ancestor in classes.linearize(qualified):
        found = classes.get(ancestor)
        if found is None:
            continue
        info, node = found

        def resolve(expr: ast.expr, module: str = info.name) -> str | None:
            spelled = dotted_name(expr)
            return model.resolve_name(module, spelled) if spelled else None

        if any(_staff_decorator(decorator, resolve) for decorator in node.decorator_list):
            return True
    dispatch = classes.method(qualified, "dispatch")
    if dispatch is not None and _guarded_dispatch(dispatch[1]):
        return True
    test = classes.method(qualified, "test_func")
    return (
        test is not None
        and classes.is_subclass(qualified, _TEST_MIXIN)
        and _returns_privilege(test[1])
    )


def _routed_unwrapped(model: ProjectModel, qualified: str, method: str) -> bool:
    """`get_urls()` routes `self.<method>` without `admin_view()` (no staff check)."""
    found = model.classes.method(qualified, "get_urls")
    if found is None:
        return False
    wrapped = {
        id(node)
        for call in ast.walk(found[1])
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "admin_view"
        for node in ast.walk(call)
    }
    return any(
        isinstance(node, ast.Attribute) and node.attr == method and id(node) not in wrapped
        for node in ast.walk(found[1])
    )


def _guarded_dispatch(dispatch: Function) -> bool:
    """`if not request.user.is_staff: return/raise ...` before dispatch does anything else."""
    for statement in dispatch.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # the docstring
        if not isinstance(statement, ast.If) or statement.orelse:
            return False
        test = statement.test
        if (
            isinstance(test, ast.UnaryOp)
            and isinstance(test.op, ast.Not)
            and _requires_privilege(test.operand, _USERS)
            and isinstance(statement.body[-1], ast.Return | ast.Raise)
        ):
            return True
        if any(isinstance(node, ast.Return) for node in ast.walk(statement)):
            return False  # an earlier branch may hand the request on unchecked
    return False


def _returns_privilege(function: Function) -> bool:
    """Every `return` of `test_func` requires `is_staff` or `is_superuser`."""
    returns = [node for node in ast.walk(function) if isinstance(node, ast.Return)]
    return bool(returns) and all(
        node.value is not None and _requires_privilege(node.value, _USERS) for node in returns
    )


def _requires_privilege(test: ast.expr, users: set[str] | frozenset[str]) -> bool:
    """`test` is true only for a staff member or a superuser (`u.is_staff and u.is_active`)."""
    if isinstance(test, ast.BoolOp):
        parts = [_requires_privilege(value, users) for value in test.values]
        return any(parts) if isinstance(test.op, ast.And) else all(parts)
    return (
        isinstance(test, ast.Attribute)
        and test.attr in _PRIVILEGES
        and dotted_name(test.value) in users
    )
