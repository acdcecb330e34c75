"""Managers and custom QuerySets: `objects = X()`, `QS.as_manager()`, `M.from_queryset(QS)()`."""

from __future__ import annotations

import ast

from djreview.project.classes import ClassTable, from_queryset_call
from djreview.project.model_types import FunctionRef, ManagerInfo

MANAGER_ROOTS = frozenset(
    {
        "django.db.models.Manager",
        "django.db.models.manager.Manager",
        "django.db.models.manager.BaseManager",
        "django.db.models.BaseManager",
    }
)
QUERYSET_ROOTS = frozenset({"django.db.models.QuerySet", "django.db.models.query.QuerySet"})
DEFAULT_MANAGER = "django.db.models.Manager"


def _external_manager(qualified: str) -> bool:
    return qualified.rsplit(".", 1)[-1].endswith("Manager")


def _external_queryset(qualified: str) -> bool:
    return qualified.rsplit(".", 1)[-1].endswith("QuerySet")


class ManagerReader:
    """Recognises manager expressions in a model body and collects their methods."""

    def __init__(self, classes: ClassTable) -> None:
        self.classes = classes

    def is_manager_class(self, qualified: str) -> bool:
        """A Manager subclass (project, Django or a third-party `...Manager`)."""
        if self.classes.assignment(qualified) is not None:
            return self._class_queryset(qualified) is not None or self._aliased_manager(qualified)
        return self.classes.is_subclass(qualified, MANAGER_ROOTS, _external_manager)

    def is_queryset_class(self, qualified: str) -> bool:
        """A QuerySet subclass (project, Django or a third-party `...QuerySet`)."""
        return self.classes.is_subclass(qualified, QUERYSET_ROOTS, _external_queryset)

    def _aliased_manager(self, qualified: str) -> bool:
        found = self.classes.assignment(qualified)
        if found is None:
            return False
        info, value = found
        target = self.classes.resolve_expr(info.name, value)
        return target is not None and target != qualified and self.is_manager_class(target)

    def _class_queryset(self, qualified: str, depth: int = 0) -> str | None:
        """The QuerySet a manager class is built from (from_queryset, or inherited)."""
        if depth > 20:
            return None
        assigned = self.classes.assignment(qualified)
        if assigned is not None:
            info, value = assigned
            pair = from_queryset_call(value)
            if pair is not None:
                return self.classes.resolve_expr(info.name, pair[1])
            target = self.classes.resolve_expr(info.name, value)
            return (
                self._class_queryset(target, depth + 1) if target and target != qualified else None
            )
        found = self.classes.get(qualified)
        if found is None:
            return None
        info, node = found
        for base in node.bases:
            pair = from_queryset_call(base)
            if pair is not None:
                return self.classes.resolve_expr(info.name, pair[1])
        built = self._built_queryset(info.name, node)
        if built is not None:
            return built
        for base_name in self.classes.bases(qualified):
            inherited = self._class_queryset(base_name, depth + 1)
            if inherited is not None:
                return inherited
        return None

    def _built_queryset(self, module: str, node: ast.ClassDef) -> str | None:
        """`def get_queryset(self): return MyQuerySet(self.model, using=self._db)`.

        Also the pre-1.6 spelling `get_query_set`.
        """
        for item in node.body:
            if not (
                isinstance(item, ast.FunctionDef) and item.name in ("get_queryset", "get_query_set")
            ):
                continue
            for statement in ast.walk(item):
                if isinstance(statement, ast.Return) and isinstance(statement.value, ast.Call):
                    target = self.classes.resolve_expr(module, statement.value.func)
                    if target is not None and self.is_queryset_class(target):
                        return target
        return None

    def read(self, module: str, name: str, value: ast.expr) -> ManagerInfo | None:
        """The manager `name = value` declares in a model body, or None if it is not one."""
        if not isinstance(value, ast.Call):
            return None
        func = value.func
        # QuerySet.as_manager()
        if isinstance(func, ast.Attribute) and func.attr == "as_manager":
            queryset = self.classes.resolve_expr(module, func.value)
            if queryset is None or not self.is_queryset_class(queryset):
                return None
            return self._info(name, DEFAULT_MANAGER, queryset)
        # Manager.from_queryset(QuerySet)()
        pair = from_queryset_call(func)
        if pair is not None:
            manager = self.classes.resolve_expr(module, pair[0])
            queryset = self.classes.resolve_expr(module, pair[1])
            return self._info(name, manager, queryset)
        manager = self.classes.resolve_expr(module, func)
        if manager is None or not self.is_manager_class(manager):
            return None
        return self._info(name, manager, self._class_queryset(manager))

    def _info(self, name: str, manager: str | None, queryset: str | None) -> ManagerInfo:
        methods: dict[str, FunctionRef] = {}
        for owner in (manager, queryset):
            if owner is None:
                continue
            for method, ref, _ in self.classes.functions(self._class_of(owner)):
                methods.setdefault(method, ref)
        return ManagerInfo(
            name=name, manager_class=manager, queryset_class=queryset, methods=methods
        )

    def _class_of(self, qualified: str) -> str:
        """The class whose methods a manager alias has: `M.from_queryset(Q)` stands for M."""
        assigned = self.classes.assignment(qualified)
        if assigned is None:
            return qualified
        info, value = assigned
        pair = from_queryset_call(value)
        target = self.classes.resolve_expr(info.name, pair[0] if pair else value)
        return target or qualified
