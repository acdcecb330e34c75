"""GraphQL list fields whose per-object resolvers query once per listed object (DJR150).

A list or connection field (`graphene.List`, `DjangoListField`,
`DjangoConnectionField`, relay connections, strawberry `list[T]` fields) runs
the resolvers of its element type once per object. Each resolver body is read
like a loop body with its root parameter bound to a row of the list
resolver's queryset (after the type's `get_queryset` hook), so relation reads
the queryset does not select or prefetch are found; so are relations served
by the libraries' default resolvers (`Meta.fields`, strawberry annotations),
and hand-written queries keyed by the root (`Model.objects.filter(x=root)`),
which only a DataLoader batches. Optimizer hints, `graphene_django_optimizer
.query()` and strawberry's `DjangoOptimizerExtension` cover the relations they
know about. Types come from the project model (`ProjectModel.graphql`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from djreview.nplusone.evaluate import Evaluator, Scope
from djreview.nplusone.querysets import Instance, PrefetchReader, QuerySetState, apply_call
from djreview.nplusone.relation_map import MANY, Schema
from djreview.nplusone.rows import RowReader, chain
from djreview.project.graphql import GraphQLSchema, GraphQLType
from djreview.project.graphql_fields import GraphQLField, Resolver
from djreview.project.graphql_names import OPTIMIZER_QUERY
from djreview.project.modules import dotted_name
from djreview.source.file import SourceFile


@dataclass(frozen=True)
class Listing:
    """A list field of `owner` that lists `element`, and the rows its resolver returns."""

    owner: GraphQLType
    field: GraphQLField
    element: GraphQLType
    state: QuerySetState | None
    optimized: bool = False
    # A list read through each owner object's relation (`Workspace.boards`): its name.
    through: str = ""
    # A list whose resolver returns a DataLoader's `load(...)`: rows of its batch query.
    loaded: bool = False
    # A nested list's: the listing that shows the owner objects (None: one object).
    parent: Listing | None = None

    def anchor(self, path: str) -> tuple[Listing, str]:
        """The listing whose queryset can load `path` of this one's rows, and the path there.

        A nested list read through relations (`Workspace.boards`) is loaded by
        the first list above it with a known queryset: `boards__sections`.
        """
        listing = self
        while listing.through and listing.parent is not None:
            path = f"{listing.through}__{path}"
            listing = listing.parent
            if listing.state is not None and listing.state.origin is not None:
                break
        return listing, path


@dataclass(frozen=True)
class Read:
    """One per-object query of an element type's field."""

    kind: str  # "select", "prefetch" (a plain prefetch serves it) or "query"
    file: SourceFile
    node: ast.AST
    text: str
    path: str
    field: GraphQLField
    default: bool = False  # served by the library's default resolver
    # Read with the field's optimizer hints as the rows' loads: the same for every list.
    hinted: bool = False


class GraphQLReader:
    """Finds the listings of a schema and the per-object reads each one leaves uncovered."""

    def __init__(self, schema: Schema, evaluator: Evaluator, graphql: GraphQLSchema) -> None:
        self.schema = schema
        self.evaluator = evaluator
        self.graphql = graphql
        self.rows = RowReader(schema)

    def listings(self) -> Iterator[Listing]:
        """Every (list field, element type) pair, with the rows the field's resolver returns.

        Root lists first; then the lists of listed types (`Workspace.boards`),
        whose rows a related manager of each parent object returns: a fresh
        queryset per parent, with what the parents' querysets prefetch below it.
        """
        parents: dict[str, list[Listing]] = {}
        nested: list[tuple[GraphQLType, GraphQLField, GraphQLType]] = []
        for owner in self.graphql.types.values():
            for field in owner.fields.values():
                element = self._element(owner, field)
                if element is None or element.model is None:
                    continue
                if owner.model is not None:
                    nested.append((owner, field, element))
                    continue
                state, optimized = self._rows(owner, field, element)
                listing = Listing(owner, field, element, state, optimized)
                parents.setdefault(element.qualified_name, []).append(listing)
                yield listing
        # Each pass reaches one level deeper: one listing per list of the owner type (its
        # rows' prefetches differ); a type no list shows is read one object at a time.
        pending = nested
        for _ in range(len(nested)):
            later = []
            for owner, field, element in pending:
                if owner.qualified_name not in parents and any(
                    e.qualified_name == owner.qualified_name for _, _, e in pending
                ):
                    later.append((owner, field, element))
                    continue
                above: list[Listing | None] = list(parents.get(owner.qualified_name, []))
                for parent in above or [None]:
                    listing = self._nested(owner, field, element, parent)
                    parents.setdefault(element.qualified_name, []).append(listing)
                    yield listing
            if not later or len(later) == len(pending):
                for owner, field, element in later:
                    yield Listing(owner, field, element, None)
                break
            pending = later

    def _nested(
        self, owner: GraphQLType, field: GraphQLField, element: GraphQLType, parent: Listing | None
    ) -> Listing:
        """The listing of `owner.field` for the owner objects one `parent` list shows."""
        if parent is not None and (parent.state is None or parent.optimized):
            return Listing(owner, field, element, None, parent=parent)
        found = self._nested_rows(owner, field, element, parent.state if parent else None)
        if found is None:
            return Listing(owner, field, element, None, parent=parent)
        state, through = found
        return Listing(
            owner, field, element, state, through=through, loaded=not through, parent=parent
        )

    def _nested_rows(
        self,
        owner: GraphQLType,
        field: GraphQLField,
        element: GraphQLType,
        above: QuerySetState | None,
    ) -> tuple[QuerySetState, str] | None:
        """(rows, relation) a listed object's related manager gives one list field of its type.

        `above` is the owner objects' queryset (None: one object, nothing
        prefetched). None (unknown) when the field's resolver returns anything
        but `root.<to-many relation>` or `root.<relation>.all()`. A DataLoader's
        `load(...)` gives related rows too, batched, with nothing prefetched.
        """
        assert owner.model is not None and element.model is not None
        name = field.relation
        label = element.model.label
        if field.resolver is not None:
            returns = [
                node.value
                for node in ast.walk(field.resolver.function)
                if isinstance(node, ast.Return) and node.value is not None
            ]
            if returns and all(_loaded(value) for value in returns):
                return QuerySetState(label, None), ""
            names = {_manager_name(value, field.resolver.root) for value in returns}
            name = names.pop() if len(names) == 1 else None
        relation = self.schema.relation(owner.model.label, name) if name else None
        if relation is None or relation.kind != MANY or relation.target != label:
            return None
        prefix = relation.name + "__"
        below = {
            path[len(prefix) :]
            for path in (above.prefetch | above.nested | above.select if above else ())
            if path.startswith(prefix)
        }
        return QuerySetState(label, None, prefetch=frozenset(below)), relation.name

    def _element(self, owner: GraphQLType, field: GraphQLField) -> GraphQLType | None:
        if field.many and field.target is not None:
            return self.graphql.types.get(field.target)
        if field.relation is None or owner.model is None or owner.library != "graphene":
            return None
        relation = self.schema.relation(owner.model.label, field.relation)
        if relation is None or relation.kind != MANY:
            return None
        return self.graphql.by_model(relation.target)

    def _rows(
        self, owner: GraphQLType, field: GraphQLField, element: GraphQLType
    ) -> tuple[QuerySetState | None, bool]:
        """The queryset a list field lists (None when unknown or read through a parent row)."""
        assert element.model is not None
        label = element.model.label
        if owner.model is not None:
            return None, False
        state: QuerySetState | None = None
        optimized = False
        if field.resolver is not None:
            resolver = field.resolver
            file = self.schema.files[resolver.rel]
            scope = self.evaluator.scope_for(file, resolver.function, resolver.class_node)
            values = []
            for node in ast.walk(resolver.function):
                if not isinstance(node, ast.Return) or node.value is None:
                    continue
                value = node.value
                if (
                    isinstance(value, ast.Call)
                    and value.args
                    and self._optimizer_query(scope, value)
                ):
                    value, optimized = value.args[0], True
                values.append(self.evaluator.value(value, scope))
            found = values[0] if values and all(v == values[0] for v in values) else None
            state = found if isinstance(found, QuerySetState) else None
        elif field.default_list:
            state = QuerySetState(label, None)
        if state is None or state.model != label or state.values:
            return None, optimized
        return self._hooked(element, state), optimized

    def _optimizer_query(self, scope: Scope, call: ast.Call) -> bool:
        dotted = dotted_name(call.func)
        resolved = self.schema.index.resolve_name(scope.module, dotted) if dotted else None
        return resolved in OPTIMIZER_QUERY

    def _hooked(self, element: GraphQLType, state: QuerySetState) -> QuerySetState | None:
        """The rows after the type's `get_queryset(cls, queryset, info)` hook."""
        hook = element.get_queryset
        if hook is None:
            return state
        file = self.schema.files[hook.rel]
        scope = self.evaluator.scope_for(file, hook.function, hook.class_node)
        results = {
            self._chained(state, node.value, hook.root, scope)
            for node in ast.walk(hook.function)
            if isinstance(node, ast.Return) and node.value is not None
        }
        return results.pop() if len(results) == 1 else None

    def _chained(
        self, state: QuerySetState, expr: ast.expr, param: str, scope: Scope
    ) -> QuerySetState | None:
        calls: list[ast.Call] = []
        while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            calls.append(expr)
            expr = expr.func.value
        if not (isinstance(expr, ast.Name) and expr.id == param):
            return None
        reader = PrefetchReader(lambda node: self.evaluator.value(node, scope))
        result: QuerySetState | None = state
        for call in reversed(calls):
            assert isinstance(call.func, ast.Attribute)
            result = apply_call(result, call, call.func.attr, reader) if result else None
        return result

    def reads(self, listing: Listing) -> Iterator[Read]:
        """Every per-object query of the listed type the listing's rows leave uncovered."""
        element = listing.element
        for field in element.fields.values():
            if field.resolver is not None:
                if _batches(field.resolver.function):
                    continue  # reads beside a DataLoader's load() are its rare fallbacks
                hints = field.hints or field.resolver.hints
                if hints is None:
                    yield from self._resolver_reads(listing, field, field.resolver)
                else:
                    yield from self._hinted_reads(listing, field, field.resolver, hints)
            elif field.relation is not None and listing.state is not None:
                yield from self._default_read(listing, field)

    def _default_read(self, listing: Listing, field: GraphQLField) -> Iterator[Read]:
        element, state = listing.element, listing.state
        assert element.model is not None and state is not None and field.relation is not None
        relation = self.schema.relation(element.model.label, field.relation)
        if relation is None or field.hints is not None or listing.optimized:
            return
        if element.library == "strawberry" and self.graphql.optimizer:
            return
        if element.library == "graphene" and self.graphql.by_model(relation.target) is None:
            return  # graphene-django leaves out relations to models without a type
        many = relation.kind == MANY
        if state.covered(relation.name, forward=not many, null=relation.null):
            return
        yield Read(
            "prefetch" if many else "select",
            self.schema.files[element.file],
            field.node,
            f"{element.node.name}.{field.name}",
            relation.name,
            field,
            default=True,
        )

    def _resolver_reads(
        self, listing: Listing, field: GraphQLField, resolver: Resolver
    ) -> Iterator[Read]:
        assert listing.element.model is not None
        file = self.schema.files[resolver.rel]
        body: list[ast.AST] = list(resolver.function.body)
        if (
            listing.state is not None
            and not listing.optimized
            and self._root_model(resolver) in (None, listing.element.model.label)
        ):
            row = Instance(listing.element.model.label, listing.state)
            for access in self.rows.scan(file, body, {resolver.root: row}):
                if access.kind not in ("select", "prefetch", "bypass"):
                    continue
                kind = "query" if access.kind == "bypass" or access.filtered else access.kind
                yield Read(kind, file, access.node, access.text, access.path, field)
            yield from self._returned_managers(listing, field, resolver, file)
        scope = self.evaluator.scope_for(file, resolver.function, resolver.class_node)
        for node, outer in _root_queries(self.evaluator, scope, resolver):
            yield Read("query", file, node, _clip(outer), "", field)

    def _hinted_reads(
        self, listing: Listing, field: GraphQLField, resolver: Resolver, hints: tuple[str, ...]
    ) -> Iterator[Read]:
        """Queries a resolver runs although its hints load the relations with the list.

        The rows are taken to carry exactly the hinted paths (an optimizer or
        the list's own queryset loads them); a read outside them, or a
        hinted relation queried anew (`root.items.order_by(...)`), still
        costs a query per object, whatever list shows the type.
        """
        assert listing.element.model is not None
        label = listing.element.model.label
        if self._root_model(resolver) not in (None, label):
            return
        file = self.schema.files[resolver.rel]
        state = QuerySetState(label, None, prefetch=frozenset(hints))
        body: list[ast.AST] = list(resolver.function.body)
        for access in self.rows.scan(file, body, {resolver.root: Instance(label, state)}):
            if access.kind not in ("select", "prefetch", "bypass"):
                continue
            kind = "query" if access.kind == "bypass" or access.filtered else access.kind
            yield Read(kind, file, access.node, access.text, access.path, field, hinted=True)

    def _root_model(self, resolver: Resolver) -> str | None:
        """The model `root: models.Order` names; a wrapper (`Context[Order]`) is not the row."""
        params = [*resolver.function.args.posonlyargs, *resolver.function.args.args]
        annotation = next((p.annotation for p in params if p.arg == resolver.root), None)
        if annotation is None:
            return None
        if isinstance(annotation, ast.Subscript):
            return "wrapper"
        found = self.schema.model_of(resolver.module, annotation)
        return found if found is not None else None

    def _returned_managers(
        self, listing: Listing, field: GraphQLField, resolver: Resolver, file: SourceFile
    ) -> Iterator[Read]:
        """`return root.comments`: graphene-django lists the manager, one query per object."""
        assert listing.element.model is not None and listing.state is not None
        for node in ast.walk(resolver.function):
            if not isinstance(node, ast.Return) or node.value is None:
                continue
            found = chain(node.value)
            if found is None or found[0] != resolver.root or len(found[1]) != 1:
                continue
            name = found[1][0][0]
            relation = self.schema.relation(listing.element.model.label, name)
            if relation is None or relation.kind != MANY:
                continue
            if not listing.state.covered(name, forward=False, null=True):
                yield Read("prefetch", file, node.value, ast.unparse(node.value), name, field)


def _root_queries(
    evaluator: Evaluator, scope: Scope, resolver: Resolver
) -> Iterator[tuple[ast.Call, ast.Call]]:
    """(call, the whole expression) of queries on a model's manager keyed by the root object."""
    outermost: dict[int, ast.Call] = {}
    for node in ast.walk(resolver.function):
        if isinstance(node, ast.Call):
            inner: ast.expr = node.func
            while isinstance(inner, ast.Attribute | ast.Call | ast.Subscript):
                if isinstance(inner, ast.Call):
                    outermost.setdefault(id(inner), outermost.get(id(node), node))
                inner = inner.func if isinstance(inner, ast.Call) else inner.value
    seen: set[int] = set()
    for node in ast.walk(resolver.function):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        arguments = [*node.args, *(k.value for k in node.keywords)]
        if not any(
            isinstance(name, ast.Name) and name.id == resolver.root
            for argument in arguments
            for name in ast.walk(argument)
        ):
            continue
        outer = outermost.get(id(node), node)
        if id(outer) in seen:
            continue
        if isinstance(evaluator.value(node.func.value, scope), QuerySetState):
            seen.add(id(outer))
            yield node, outer


def _clip(node: ast.AST, limit: int = 60) -> str:
    text = ast.unparse(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _manager_name(value: ast.expr, root: str) -> str | None:
    """`root.boards.all()` / `root.boards.filter(...)` -> "boards"; anything else None."""
    found = chain(value)
    if found is None or found[0] != root or not found[1]:
        return None
    steps = [name for name, _ in found[1]]
    if len(steps) == 1 or (len(steps) == 3 and steps[1] in ("all",) and steps[2] == "()"):
        return steps[0]
    return None


def _loaded(value: ast.expr) -> bool:
    """`loader.load(key)` / `load_many(keys)` (then `.then(f)`): a DataLoader's promise."""
    while (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "then"
    ):
        value = value.func.value
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in ("load", "load_many")
    )


def _batches(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether some return of a resolver is a DataLoader's promise: it is written to batch."""
    return any(
        isinstance(node, ast.Return) and node.value is not None and _loaded(node.value)
        for node in ast.walk(function)
    )
