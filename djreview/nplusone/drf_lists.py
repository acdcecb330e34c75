"""DRF list endpoints whose serializer reads relations the view's queryset lacks (DJR120).

A serializer's per-object reads: nested serializers (their own reads under the
field's path), `source="fk.attr"`, related fields (`StringRelatedField`,
`SlugRelatedField`, `PrimaryKeyRelatedField(many=True)`...), many-to-many
names in `Meta.fields`, model properties in `Meta.fields`, and the bodies of
`SerializerMethodField` methods (read like a loop body). Serializers, their
declared fields (inherited ones too) and a view's `serializer_class` come from
the project model. A list view (ListAPIView, a viewset with list) serializes
every row of its queryset, so each read must be covered by
select_related/prefetch_related.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, replace

from djreview.nplusone.evaluate import Evaluator
from djreview.nplusone.querysets import Instance, QuerySetState
from djreview.nplusone.relation_map import FORWARD, MANY, Schema
from djreview.nplusone.rows import RowReader
from djreview.project.drf import SerializerField, SerializerInfo
from djreview.project.model_types import FunctionRef
from djreview.source.file import SourceFile

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
    # A manager re-queried per object (`.filter()`, `.values_list()`): a prefetch does not serve it.
    filtered: bool = False


class SerializerReader:
    """Reads serializers and list views; yields what each list view lacks."""

    def __init__(self, schema: Schema, evaluator: Evaluator) -> None:
        self.schema = schema
        self.evaluator = evaluator
        self.index = schema.index
        self.rows = RowReader(schema)

    def reads(self, serializer: SerializerInfo, depth: int = 0) -> Iterator[Read]:
        """Every relation path `serializer` reads per object (paths from its model)."""
        if serializer.model is None or depth > MAX_NESTING:
            return
        label = serializer.model.label
        for declared in serializer.declared.values():
            yield from self._declared(serializer, label, declared, depth)
        yield from self._meta_fields(serializer, label)

    def _declared(
        self, serializer: SerializerInfo, label: str, field: SerializerField, depth: int
    ) -> Iterator[Read]:
        if field.node is None or field.location is None:
            return
        file = self.schema.files[field.location.path]
        name, call = field.name, field.node
        source = field.source if field.source is not None else name
        text = f"{serializer.node.name}.{name}"
        if source == "*":
            return
        if field.kind == "method":
            yield from self._method(field.method, label)
            return
        nested = self.index.serializers.get(field.serializer or "")
        if field.kind == "serializer" and nested is not None:
            relation = self.schema.relation(label, source)
            if relation is None:
                return
            many = relation.kind == MANY
            yield Read(file, call, source, many, text)
            for inner in self.reads(nested, depth + 1):
                head, _, rest = inner.path.partition("__")
                if relation.back and head == relation.back:
                    # `child.parent` of a nested child: Django filled it with the parent.
                    if rest:
                        yield replace(inner, path=rest)
                    continue
                yield replace(inner, path=f"{source}__{inner.path}", many=inner.many or many)
            return
        if field.kind == "related":
            relation = self.schema.relation(label, source)
            kind = field.field_class
            if relation is None or (relation.kind == FORWARD and kind not in _READS_OBJECT):
                return
            yield Read(file, call, source, relation.kind == MANY, text)
            return
        yield from self._source_path(file, call, label, source, text)

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

    def _method(self, method: FunctionRef | None, label: str) -> Iterator[Read]:
        """A SerializerMethodField's method body, read like a loop body over `obj`."""
        if method is None or len(method[1].args.args) < 2:
            return
        file = self.schema.files[method[0]]
        row = Instance(label, QuerySetState(label, None))
        body: list[ast.AST] = list(method[1].body)
        for access in self.rows.scan(file, body, {method[1].args.args[1].arg: row}):
            yield Read(
                file,
                access.node,
                access.path,
                access.kind == "prefetch" or access.many,
                access.text,
                access.trigger,
                access.kind == "bypass" or access.filtered,
            )

    def _meta_fields(self, serializer: SerializerInfo, label: str) -> Iterator[Read]:
        """Many-to-many names and model properties listed in Meta.fields."""
        fields = self.index.classes.inner_attribute(serializer.qualified_name, "Meta", "fields")
        if fields is None or not isinstance(fields[1], ast.List | ast.Tuple):
            return
        file = fields[0].file
        for entry in fields[1].elts:
            if not isinstance(entry, ast.Constant) or entry.value in serializer.declared:
                continue
            name = str(entry.value)
            relation = self.schema.relation(label, name)
            if relation is not None and relation.kind == MANY:
                yield Read(file, entry, name, True, f"{serializer.node.name}.{name}")
            elif self.schema.is_property(label, name):
                row = Instance(label, QuerySetState(label, None))
                for access in self.rows.follow(file, entry, row, name, "obj"):
                    yield Read(
                        file,
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
            qualified = f"{info.name}.{cls.name}"
            if not self.index.classes.is_subclass(
                qualified, LIST_VIEW_ROOTS, lambda q: q in LIST_VIEW_ROOTS
            ):
                continue
            view = self.index.api_views.get(qualified)
            serializer = self.index.serializers.get(
                view.serializer_class or "" if view is not None else ""
            )
            if serializer is None or serializer.model is None:
                continue
            state = self.evaluator.class_queryset(self.evaluator.scope_for(file, None, cls), 0)
            if (
                state is None
                or state.values
                or state.empty
                or state.model != serializer.model.label
            ):
                continue
            for read in self.reads(serializer):
                if not state.covered(read.path, forward=not read.many, null=False):
                    yield cls, state, read
