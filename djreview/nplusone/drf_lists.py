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

from djreview.nplusone.context_keys import (
    CONTEXT_BUILDERS,
    DRF_CONTEXT,
    Written,
    needed_keys,
    never_held,
    written_keys,
)
from djreview.nplusone.evaluate import Evaluator, Scope
from djreview.nplusone.expr_shapes import is_super
from djreview.nplusone.loops import FunctionLoops, function_loops, own_nodes
from djreview.nplusone.querysets import Instance, QuerySetState
from djreview.nplusone.relation_map import FORWARD, MANY, Function, Schema
from djreview.nplusone.rows import RowReader
from djreview.project.drf import SerializerField, SerializerInfo
from djreview.project.model_types import FunctionRef
from djreview.project.modules import dotted_name
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
# What a view's own list() reads of the view when it lists the view's rows.
_VIEW_ROWS = frozenset({"get_queryset", "filter_queryset", "queryset", "object_list"})


@dataclass(frozen=True)
class Listing:
    """One serializer read a list does not cover: where the list is, who lists, its queryset."""

    at: ast.AST  # the list view class, or the `Serializer(..., many=True)` call
    owner: str  # `PostViewSet`, `ItemView.get`
    listing: str  # `the list view PostViewSet`, for the related location
    state: QuerySetState
    read: Read
    function: str = ""  # the function a hand-built serializer is called in


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
    # Serializer context keys the read runs only with (`if self.context.get("k"):`).
    context: frozenset[str] = frozenset()


def _serialised(serializer: SerializerInfo, name: str) -> bool:
    """Whether a declared field is in the output: `Meta.fields`/`exclude` narrow inherited ones.

    DRF drops a declared field that a subclass's `Meta.fields` leaves out (and
    one its `exclude` names), so a nested serializer that subclasses a full
    one and narrows `fields` reads only what it lists.
    """
    if name in serializer.exclude:
        return False
    return not isinstance(serializer.fields, tuple) or name in serializer.fields


class SerializerReader:
    """Reads serializers and list views; yields what each list view lacks."""

    def __init__(self, schema: Schema, evaluator: Evaluator) -> None:
        self.schema = schema
        self.evaluator = evaluator
        self.index = schema.index
        self.rows = RowReader(schema)
        self._written: Written | None = None

    def reads(self, serializer: SerializerInfo, depth: int = 0) -> Iterator[Read]:
        """Every relation path `serializer` reads per object (paths from its model)."""
        if serializer.model is None or depth > MAX_NESTING:
            return
        label = serializer.model.label
        for declared in serializer.declared.values():
            if _serialised(serializer, declared.name):
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
        needs = needed_keys(method[1])
        for access in self.rows.scan(file, body, {method[1].args.args[1].arg: row}):
            yield Read(
                file,
                access.node,
                access.path,
                access.kind == "prefetch" or access.many,
                access.text,
                access.trigger,
                access.kind == "bypass" or access.filtered,
                needs.get(id(access.node), frozenset()),
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
                        access.kind == "bypass" or access.filtered,
                    )

    def list_views(self, file: SourceFile) -> Iterator[Listing]:
        """The serializer reads each list in `file` does not cover.

        A list is a list view (its queryset, its `serializer_class` or the
        serializer `get_serializer_class()` returns for `list`), or a serializer
        built by hand on a queryset with `many=True` in any function
        (`ItemSerializer(items, many=True).data`).
        """
        info = self.index.module_for(file)
        if info is None or file.tree is None:
            return
        for cls in (n for n in file.tree.body if isinstance(n, ast.ClassDef)):
            qualified = f"{info.name}.{cls.name}"
            if not self.index.classes.is_subclass(
                qualified, LIST_VIEW_ROOTS, lambda q: q in LIST_VIEW_ROOTS
            ):
                continue
            serializer = self._view_serializer(qualified)
            if serializer is None or serializer.model is None:
                continue
            if self._list_refused(qualified) or self._lists_by_hand(info.name, file, cls):
                continue
            state = self.evaluator.class_queryset(self.evaluator.scope_for(file, None, cls), 0)
            if _listable(state, serializer):
                assert state is not None
                listing = f"the list view {cls.name}"
                context = self._view_context(qualified)
                yield from self._uncovered(cls, cls.name, listing, state, serializer, context)
        if "many=True" not in file.text:
            return
        for entry in function_loops(file):
            scope = self.evaluator.scope_for(file, entry.function, entry.cls)
            for node in own_nodes(entry.function):
                if isinstance(node, ast.Call):
                    yield from self._hand_built(info.name, scope, entry, node)

    def _list_refused(self, qualified: str) -> bool:
        """Whether the view's own `list()` does not list its queryset.

        `def list(...): raise Http404()` serves single objects only; a `list()`
        that neither calls `super().list()` nor reads the view's queryset
        (`self.get_queryset()`, `self.filter_queryset()`, `self.queryset`,
        `self.object_list`) serializes rows it builds itself (read as a
        hand-built serializer instead). A local variable named `queryset` is
        not the view's attribute.
        """
        found = self.index.classes.method(qualified, "list")
        if found is None:
            return False
        function = found[1]
        body = [s for s in function.body if not isinstance(s, ast.Expr)]  # docstrings
        if len(body) == 1 and isinstance(body[0], ast.Raise):
            return True
        return not _reads_view_rows(function)

    def _lists_by_hand(self, module: str, file: SourceFile, cls: ast.ClassDef) -> bool:
        """Whether the class's own `list()` serializes, by hand, rows the analysis can follow.

        `queryset = self.get_queryset().select_related("customer")` then
        `self.get_serializer(queryset, many=True)`: the serializer lists the
        local queryset, not the view's, and the hand-built reading reports it
        with those rows. When a serializer's rows cannot be followed the
        view's queryset stands for them.
        """
        own = next((n for n in cls.body if isinstance(n, Function) and n.name == "list"), None)
        if own is None or _calls_super_list(own):
            return False
        scope = self.evaluator.scope_for(file, own, cls)
        rows = [
            rows
            for node in own_nodes(own)
            if isinstance(node, ast.Call)
            and (rows := _listed_rows(node)) is not None
            and self._built_serializer(module, node, cls, own) is not None
        ]
        return bool(rows) and all(
            isinstance(self.evaluator.value(expr, scope), QuerySetState) for expr in rows
        )

    def _view_serializer(self, qualified: str) -> SerializerInfo | None:
        """The serializer a view lists with: `get_serializer_class()`'s, else `serializer_class`."""
        view = self.index.api_views.get(qualified)
        if view is None:
            return None
        if view.get_serializer_class is not None:
            chosen = self._chosen_serializer(view.get_serializer_class)
            if chosen is not None:
                return chosen
        return self.index.serializers.get(view.serializer_class or "")

    def _chosen_serializer(self, method: FunctionRef) -> SerializerInfo | None:
        """The serializer `get_serializer_class()` returns for the list action.

        The return under a test that names "list" (`if self.action == "list"`)
        wins; otherwise the method must return one serializer on every path.
        """
        info = self.index.module_for(self.schema.files[method[0]])
        if info is None:
            return None
        listed: list[SerializerInfo] = []
        returned: list[SerializerInfo | None] = []
        for node in ast.walk(method[1]):
            if isinstance(node, ast.If) and _names_list(node.test):
                listed.extend(self._returned(info.name, node.body))
            elif isinstance(node, ast.Return) and node.value is not None:
                returned.append(self._serializer_named(info.name, node.value))
        if listed:
            return listed[0]
        first = returned[0] if returned else None
        return first if all(r is not None and r is first for r in returned) else None

    def _returned(self, module: str, body: list[ast.stmt]) -> Iterator[SerializerInfo]:
        for statement in body:
            if isinstance(statement, ast.Return) and statement.value is not None:
                found = self._serializer_named(module, statement.value)
                if found is not None:
                    yield found

    def _serializer_named(self, module: str, expr: ast.expr) -> SerializerInfo | None:
        dotted = dotted_name(expr)
        qualified = self.index.resolve_name(module, dotted) if dotted else None
        return self.index.serializers.get(qualified or "")

    def _built_serializer(
        self, module: str, call: ast.Call, cls: ast.ClassDef | None, function: Function
    ) -> SerializerInfo | None:
        """The serializer a call in `function` builds: a serializer class, or the view's own."""
        if cls is not None and _own_get_serializer(call, function):
            return self._view_serializer(f"{module}.{cls.name}")
        return self._serializer_named(module, call.func)

    def _hand_built(
        self, module: str, scope: Scope, entry: FunctionLoops, call: ast.Call
    ) -> Iterator[Listing]:
        """`ItemSerializer(items, many=True)` on a queryset: the serializer lists its rows."""
        serializer = self._built_serializer(module, call, entry.cls, entry.function)
        if serializer is None or serializer.model is None:
            return
        rows = _listed_rows(call)
        if rows is None:
            return
        context = self._built_context(module, call, entry)
        state = self.evaluator.value(rows, scope)
        if not isinstance(state, QuerySetState) or not _listable(state, serializer):
            return
        owner = entry.function.name
        if entry.cls is not None:
            owner = f"{entry.cls.name}.{owner}"
        listing = f"the {serializer.node.name}(..., many=True) call in {owner}"
        for found in self._uncovered(call, owner, listing, state, serializer, context):
            yield replace(found, function=entry.function.name)

    def _built_context(
        self, module: str, call: ast.Call, entry: FunctionLoops
    ) -> frozenset[str] | None:
        """The keys the context of a serializer built by `call` holds (None: unknown).

        Built directly without `context=`, it gets an empty one; the view's
        `get_serializer()` gives DRF's own keys on a view that adds none.
        """
        if any(k.arg in ("context", None) for k in call.keywords):
            return None
        if entry.cls is not None and _own_get_serializer(call, entry.function):
            return self._view_context(f"{module}.{entry.cls.name}")
        return frozenset()

    def _uncovered(
        self,
        at: ast.AST,
        owner: str,
        listing: str,
        state: QuerySetState,
        serializer: SerializerInfo,
        context: frozenset[str] | None,
    ) -> Iterator[Listing]:
        """The reads of `serializer` the list's queryset does not cover and that run there.

        `context` holds the keys the list's serializer context has (None: unknown).
        """
        for read in self.reads(serializer):
            if read.context and never_held(read.context, context, self._serializer_writes()):
                continue  # a branch for a context key this list never sets
            # A filtered manager (`obj.translations.filter(...)`) builds a new query per
            # object: a prefetch of the relation does not serve it, so it is never covered.
            if read.filtered or not state.covered(read.path, forward=not read.many, null=False):
                yield Listing(at, owner, listing, state, read)

    def _serializer_writes(self) -> Written:
        """The context keys the project's serializers set themselves (once per run)."""
        if self._written is None:
            self._written = written_keys(
                function[1]
                for serializer in self.index.serializers.values()
                for _, function, _ in self.index.classes.functions(serializer.qualified_name)
            )
        return self._written

    def _view_context(self, qualified: str) -> frozenset[str] | None:
        """DRF's own context keys, when the view and its bases cannot add any (else None).

        Every base must be a project class or one of DRF's, and none may
        override a method that builds the serializer or its context.
        """
        classes = self.index.classes
        for owner in classes.linearize(qualified):
            found = classes.get(owner)
            if found is None:
                return None
            node = found[1]
            bases = classes.bases(owner)
            if len(bases) != len(node.bases) or any(
                classes.get(b) is None and not b.startswith("rest_framework.") for b in bases
            ):
                return None
            if any(
                isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and item.name in CONTEXT_BUILDERS
                for item in node.body
            ):
                return None
        return DRF_CONTEXT


def _listed_rows(call: ast.Call) -> ast.expr | None:
    """The rows of `ItemSerializer(rows, many=True)` / `self.get_serializer(rows, many=True)`.

    None when the call lists nothing (no `many=True`).
    """
    if not any(
        k.arg == "many" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in call.keywords
    ):
        return None
    rows = call.args[0] if call.args else None
    return next((k.value for k in call.keywords if k.arg == "instance"), rows)


def _own_get_serializer(call: ast.Call, function: Function) -> bool:
    """`self.get_serializer(...)` in a view method: the view's own serializer (and context)."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "get_serializer"
        and isinstance(func.value, ast.Name)
        and func.value.id == _receiver(function)
    )


def _listable(state: QuerySetState | None, serializer: SerializerInfo) -> bool:
    """A queryset of the serializer's model with rows to list."""
    return (
        state is not None
        and serializer.model is not None
        and not (state.values or state.empty or state.few)
        and state.model == serializer.model.label
    )


def _names_list(test: ast.expr) -> bool:
    """`self.action == "list"`, `self.action in ("list", ...)`: a test for the list action."""
    return any(isinstance(n, ast.Constant) and n.value == "list" for n in ast.walk(test))


def _receiver(function: Function) -> str:
    """The name a method's instance goes by (its first parameter, `self` by convention)."""
    params = [*function.args.posonlyargs, *function.args.args]
    return params[0].arg if params else ""


def _calls_super_list(function: Function) -> bool:
    """`super().list(request)`: DRF's own list() serializes the view's queryset."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "list"
        and is_super(node.func.value)
        for node in ast.walk(function)
    )


def _reads_view_rows(function: Function) -> bool:
    """Whether a view method reaches the view's rows: its queryset, or `super().list()`."""
    me = _receiver(function)
    return _calls_super_list(function) or any(
        isinstance(node, ast.Attribute)
        and node.attr in _VIEW_ROWS
        and isinstance(node.value, ast.Name)
        and node.value.id == me
        for node in ast.walk(function)
    )
