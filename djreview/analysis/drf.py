"""DRF list endpoints whose serializer reads relations the view's queryset lacks (DJR120).

A serializer's per-object reads: nested serializers (their own reads under the
field's path), `source="fk.attr"`, related fields (`StringRelatedField`,
`SlugRelatedField`, `PrimaryKeyRelatedField(many=True)`...), many-to-many
names in `Meta.fields`, model properties in `Meta.fields`, and the bodies of
`SerializerMethodField` methods (read like a loop body). A list view
(ListAPIView, a viewset with list) serializes every row of its queryset, so
each read must be covered by select_related/prefetch_related.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, replace

from djreview.analysis.evaluate import Evaluator
from djreview.analysis.querysets import Instance, QuerySetState
from djreview.analysis.rows import RowReader
from djreview.analysis.schema import FORWARD, MANY, Schema
from djreview.engine.source import SourceFile
from djreview.project.modules import ModuleInfo, dotted_name

SERIALIZER_ROOTS = frozenset(
    {
        "rest_framework.serializers.Serializer",
        "rest_framework.serializers.ModelSerializer",
        "rest_framework.serializers.HyperlinkedModelSerializer",
        "rest_framework.serializers.BaseSerializer",
    }
)
LIST_VIEW_ROOTS = frozenset(
    {
        "rest_framework.generics.ListAPIView",
        "rest_framework.generics.ListCreateAPIView",
        "rest_framework.mixins.ListModelMixin",
        "rest_framework.viewsets.ModelViewSet",
        "rest_framework.viewsets.ReadOnlyModelViewSet",
    }
)
# Related fields that read the related object (not just its key) per row.
_READS_OBJECT = frozenset({"StringRelatedField", "SlugRelatedField", "HyperlinkedRelatedField"})
_RELATED = _READS_OBJECT | {"PrimaryKeyRelatedField", "HyperlinkedIdentityField", "RelatedField"}
MAX_NESTING = 3


@dataclass(frozen=True)
class Read:
    """One relation path a serializer reads per object, and where it says so."""

    file: SourceFile
    node: ast.AST
    path: str
    many: bool
    text: str
    trigger: tuple[SourceFile, ast.AST] | None = None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


class SerializerReader:
    """Reads serializers and list views; yields what each list view lacks."""

    def __init__(self, schema: Schema, evaluator: Evaluator) -> None:
        self.schema = schema
        self.evaluator = evaluator
        self.index = schema.index
        self.rows = RowReader(schema)

    def _class(self, module: str, expr: ast.expr) -> tuple[ModuleInfo, ast.ClassDef] | None:
        qualified = self.index.classes.resolve_expr(module, expr)
        return self.index.classes.get(qualified) if qualified else None

    def _is(self, info: ModuleInfo, cls: ast.ClassDef, roots: frozenset[str]) -> bool:
        return self.index.classes.is_subclass(
            f"{info.name}.{cls.name}", roots, lambda q: q in roots
        )

    def _model(self, info: ModuleInfo, cls: ast.ClassDef) -> str | None:
        for item in cls.body:
            if isinstance(item, ast.ClassDef) and item.name == "Meta":
                for statement in item.body:
                    if (
                        isinstance(statement, ast.Assign)
                        and isinstance(statement.targets[0], ast.Name)
                        and statement.targets[0].id == "model"
                    ):
                        return self.schema.model_of(info.name, statement.value)
        return None

    def reads(self, info: ModuleInfo, cls: ast.ClassDef, depth: int = 0) -> Iterator[Read]:
        """Every relation path serializer `cls` reads per object (paths from its model)."""
        label = self._model(info, cls)
        if label is None or depth > MAX_NESTING:
            return
        declared: set[str] = set()
        for item in cls.body:
            if (
                isinstance(item, ast.Assign)
                and isinstance(item.targets[0], ast.Name)
                and isinstance(item.value, ast.Call)
            ):
                declared.add(item.targets[0].id)
                yield from self._declared(info, cls, label, item.targets[0].id, item.value, depth)
        yield from self._meta_fields(info, cls, label, declared)

    def _declared(
        self, info: ModuleInfo, cls: ast.ClassDef, label: str, name: str, call: ast.Call, depth: int
    ) -> Iterator[Read]:
        file = info.file
        kind = (dotted_name(call.func) or "").rsplit(".", 1)[-1]
        source_node = _keyword(call, "source")
        source = source_node.value if isinstance(source_node, ast.Constant) else name
        if not isinstance(source, str) or source == "*":
            return
        if kind == "SerializerMethodField":
            method_name = (
                source_node.value if isinstance(source_node, ast.Constant) else f"get_{name}"
            )
            yield from self._method(info, cls, label, str(method_name))
            return
        nested = self._class(info.name, call.func)
        if nested is not None and self._is(*nested, SERIALIZER_ROOTS):
            relation = self.schema.relation(label, source)
            if relation is None:
                return
            many = relation.kind == MANY
            yield Read(file, call, source, many, f"{cls.name}.{name}")
            for inner in self.reads(nested[0], nested[1], depth + 1):
                yield replace(inner, path=f"{source}__{inner.path}", many=inner.many or many)
            return
        if kind in _RELATED:
            relation = self.schema.relation(label, source)
            if relation is None or (relation.kind == FORWARD and kind not in _READS_OBJECT):
                return
            yield Read(file, call, source, relation.kind == MANY, f"{cls.name}.{name}")
            return
        yield from self._source_path(file, call, label, source, f"{cls.name}.{name}")

    def _source_path(
        self, file: SourceFile, node: ast.AST, label: str, source: str, text: str
    ) -> Iterator[Read]:
        """`source="a.b.c"`: the relation hops before the last attribute."""
        hops = source.split(".")
        path: list[str] = []
        model, many = label, False
        for hop in hops[:-1]:
            relation = self.schema.relation(model, hop)
            if relation is None:
                break
            path.append(hop)
            many = many or relation.kind == MANY
            model = relation.target
        if path:
            yield Read(file, node, "__".join(path), many, text)

    def _method(self, info: ModuleInfo, cls: ast.ClassDef, label: str, name: str) -> Iterator[Read]:
        method = next(
            (i for i in cls.body if isinstance(i, ast.FunctionDef) and i.name == name), None
        )
        if method is None or len(method.args.args) < 2:
            return
        row = Instance(label, QuerySetState(label, None))
        for access in self.rows.scan(info.file, list(method.body), {method.args.args[1].arg: row}):
            yield Read(
                info.file,
                access.node,
                access.path,
                access.kind == "prefetch" or access.many,
                access.text,
                access.trigger,
            )

    def _meta_fields(
        self, info: ModuleInfo, cls: ast.ClassDef, label: str, declared: set[str]
    ) -> Iterator[Read]:
        """Many-to-many names and model properties listed in Meta.fields."""
        for item in cls.body:
            if not (isinstance(item, ast.ClassDef) and item.name == "Meta"):
                continue
            for statement in item.body:
                if not (
                    isinstance(statement, ast.Assign)
                    and isinstance(statement.targets[0], ast.Name)
                    and statement.targets[0].id == "fields"
                    and isinstance(statement.value, ast.List | ast.Tuple)
                ):
                    continue
                for entry in statement.value.elts:
                    if not isinstance(entry, ast.Constant) or entry.value in declared:
                        continue
                    name = str(entry.value)
                    relation = self.schema.relation(label, name)
                    if relation is not None and relation.kind == MANY:
                        yield Read(info.file, entry, name, True, f"{cls.name}.{name}")
                    elif self.schema.is_property(label, name):
                        row = Instance(label, QuerySetState(label, None))
                        for access in self.rows.follow(info.file, entry, row, name, "obj"):
                            yield Read(
                                info.file,
                                entry,
                                access.path,
                                access.kind == "prefetch" or access.many,
                                access.text,
                                access.trigger,
                            )

    def list_views(self, file: SourceFile) -> Iterator[tuple[ast.ClassDef, QuerySetState, Read]]:
        """(view, its queryset, a serializer read it does not cover) for list views in `file`."""
        info = self.index.module_for(file)
        if info is None or file.tree is None:
            return
        for cls in (n for n in file.tree.body if isinstance(n, ast.ClassDef)):
            if not self._is(info, cls, LIST_VIEW_ROOTS):
                continue
            serializer = next(
                (
                    i.value
                    for i in cls.body
                    if isinstance(i, ast.Assign)
                    and isinstance(i.targets[0], ast.Name)
                    and i.targets[0].id == "serializer_class"
                ),
                None,
            )
            found = self._class(info.name, serializer) if serializer is not None else None
            if found is None or not self._is(*found, SERIALIZER_ROOTS):
                continue
            state = self.evaluator.class_queryset(self.evaluator.scope_for(file, None, cls), 0)
            if state is None or state.values or state.model != self._model(*found):
                continue
            for read in self.reads(*found):
                if not state.covered(read.path, forward=not read.many, null=False):
                    yield cls, state, read
