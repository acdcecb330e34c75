"""Admin changelists: `list_display` columns that query once per row (DJR130).

The changelist queryset is the model's default queryset plus what Django adds:
`list_select_related` (a list, or True for `select_related()`), or, when it is
left False, `select_related()` with no argument as soon as a ForeignKey is
shown directly as a column; that follows every non-null foreign key, so those
columns are never flagged. A `get_queryset()` override is evaluated on top.
Columns are field names (a nullable ForeignKey shows `str(obj.fk)`), `a__b`
lookups, `__str__`, model methods and properties, and admin methods taking
`obj`: their bodies are read like a loop body.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace

from djreview.model import RelatedLocation
from djreview.nplusone.evaluate import Evaluator, Scope
from djreview.nplusone.expr_shapes import class_assignment
from djreview.nplusone.querysets import Instance, Origin, QuerySetState
from djreview.nplusone.relation_map import FORWARD, Schema
from djreview.nplusone.rows import Access, RowReader
from djreview.project.admin import AdminInfo
from djreview.source.file import SourceFile

ADMIN_ROOTS = frozenset(
    {"django.contrib.admin.ModelAdmin", "django.contrib.admin.options.ModelAdmin"}
)


class AdminReader:
    """Finds list_display columns that query per row."""

    def __init__(self, schema: Schema, evaluator: Evaluator) -> None:
        self.schema = schema
        self.evaluator = evaluator
        self.reader = RowReader(schema)

    def problems(
        self, file: SourceFile
    ) -> Iterator[tuple[Access, ast.ClassDef, ast.AST, Origin | None]]:
        """(access, admin class, list_display entry, origin for list_select_related)."""
        info = self.schema.index.module_for(file)
        if info is None or file.tree is None:
            return
        registered: dict[str, list[AdminInfo]] = {}
        for admin in self.schema.index.admin:
            registered.setdefault(admin.admin_class or "", []).append(admin)
        for cls in (n for n in file.tree.body if isinstance(n, ast.ClassDef)):
            qualified = f"{info.name}.{cls.name}"
            if qualified not in registered or not self.schema.index.classes.is_subclass(
                qualified, ADMIN_ROOTS, lambda q: q in ADMIN_ROOTS
            ):
                continue
            display = class_assignment(cls, "list_display")
            if display is None or not isinstance(display.value, ast.List | ast.Tuple):
                continue
            for admin in registered[qualified]:
                state, fixable = self._changelist_state(file, info.name, cls, admin, display.value)
                if state is None:
                    continue
                origin = Origin(file, None, "", cls, display) if fixable else None
                for entry in display.value.elts:
                    if isinstance(entry, ast.Constant) and isinstance(entry.value, str):
                        seen: set[tuple[str, str]] = set()
                        for access in self._column(file, cls, entry.value, entry, state):
                            if (access.kind, access.path) not in seen:
                                seen.add((access.kind, access.path))
                                yield access, cls, entry, origin

    def _changelist_state(
        self,
        file: SourceFile,
        module: str,
        cls: ast.ClassDef,
        admin: AdminInfo,
        display: ast.List | ast.Tuple,
    ) -> tuple[QuerySetState | None, bool]:
        label = admin.model.label
        state = QuerySetState(label, None)
        chosen = admin.list_select_related
        fixable = True
        qualified = admin.admin_class or ""
        if chosen is None and self.schema.index.classes.attribute(qualified, "list_select_related"):
            return None, False  # set to something we cannot read
        if chosen is None or chosen is False:
            names = [str(e.value) for e in display.elts if isinstance(e, ast.Constant)]
            if any(self._is_fk_column(label, name) for name in names):
                state = replace(state, select_all=True)
                fixable = False
        elif chosen is True:
            state, fixable = replace(state, select_all=True), False
        else:
            state = replace(state, select=frozenset(chosen))
            # Inherited: a list_select_related written on this class would hide the base's.
            fixable = class_assignment(cls, "list_select_related") is not None
        # `queryset()` is the name of get_queryset() before Django 1.6.
        override = next(
            (
                i
                for i in cls.body
                if isinstance(i, ast.FunctionDef) and i.name in ("get_queryset", "queryset")
            ),
            None,
        )
        if override is not None:
            result = self.evaluator.returns(override, Scope(file, module, override, cls, state), 0)
            if not isinstance(result, QuerySetState):
                return None, False
            state, fixable = result, fixable and result.select == state.select
        return state, fixable

    def _is_fk_column(self, label: str, name: str) -> bool:
        model = self.schema.info(label)
        field = model.fields.get(name) if model is not None else None
        # Django's test is `isinstance(field.remote_field, ManyToOneRel)`: one-to-ones too.
        return field is not None and field.relation in ("fk", "o2o")

    def _column(
        self, file: SourceFile, cls: ast.ClassDef, name: str, entry: ast.AST, state: QuerySetState
    ) -> Iterator[Access]:
        row = Instance(state.model, state)
        method = next(
            (i for i in cls.body if isinstance(i, ast.FunctionDef) and i.name == name), None
        )
        if method is not None:
            params = [a.arg for a in method.args.args]
            if len(params) >= 2:
                yield from self.reader.scan(file, list(method.body), {params[1]: row})
            return
        relation = self.schema.relation(state.model, name)
        if relation is not None and relation.kind == FORWARD:
            if not state.covered(name, forward=True, null=relation.null):
                yield Access("select", file, entry, f"obj.{name}", name, state)
            return
        if "__" in name and all(part.isidentifier() for part in name.split("__")):
            expression = ast.parse("obj." + name.replace("__", "."), mode="eval").body
            # The synthetic expression has no place in the file: report at the column.
            for access in self.reader.scan(file, [expression], {"obj": row}):
                yield replace(access, node=entry)
            return
        if name == "__str__" or self.schema.function(state.model, name) is not None:
            yield from self.reader.follow(file, entry, row, name, "obj")


def admin_related(
    file: SourceFile, cls: ast.ClassDef, entry: ast.AST, access: Access
) -> tuple[RelatedLocation, ...]:
    """The admin class and, for a followed method, the line that queries."""
    related = [RelatedLocation(file.node_location(cls), f"the admin class {cls.name}")]
    if access.node is not entry:
        related.append(RelatedLocation(file.node_location(entry), "the list_display column"))
    if access.trigger is not None:
        trigger_file, trigger_node = access.trigger
        related.append(
            RelatedLocation(trigger_file.node_location(trigger_node), "the line that queries")
        )
    return tuple(related)
