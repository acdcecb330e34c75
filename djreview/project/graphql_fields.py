"""The fields of GraphQL types: what each returns, who resolves it, which relation it reads."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from djreview.model import Location
from djreview.project.graphql_names import (
    CONNECTION_FIELDS,
    DEFAULT_LIST_FIELDS,
    HINT_KEYWORDS,
    LIST_ANNOTATIONS,
    LIST_FIELDS,
    NON_NULL,
    OPTIMIZER_FIELD,
    OPTIMIZER_HINTS,
    RELAY_CONNECTIONS,
    STRAWBERRY_AUTO,
    STRAWBERRY_CONNECTIONS,
    STRAWBERRY_FIELDS,
)
from djreview.project.literals import keyword, literal_str, string_sequence
from djreview.project.modules import ModuleInfo, dotted_name

if TYPE_CHECKING:
    from djreview.project.graphql import GraphQLSchema, GraphQLType
    from djreview.project.project_model import ProjectModel

Function = ast.FunctionDef | ast.AsyncFunctionDef
LISTING_FIELDS = LIST_FIELDS | CONNECTION_FIELDS
_GRAPHENE = ("graphene.", "graphene_django.")
_NO_ROOTS: frozenset[str] = frozenset()
STRAWBERRY_DJANGO = ("strawberry_django.", "strawberry.django.")


@dataclass(frozen=True)
class Resolver:
    """A resolver function; `root` names its parameter bound to the parent object."""

    rel: str
    module: str
    function: Function
    class_node: ast.ClassDef | None
    root: str
    # graphene-django-optimizer / strawberry-django hints: the paths they load.
    hints: tuple[str, ...] | None = None


@dataclass(frozen=True)
class GraphQLField:
    """One field of a type: its element type, list-ness, resolver and relation."""

    name: str
    owner: str
    location: Location
    node: ast.AST
    target: str | None = None  # qualified name of the object type it returns
    many: bool = False  # a list or a connection of `target`
    connection: bool = False
    resolver: Resolver | None = None
    relation: str | None = None  # the model attribute a default resolver reads
    hints: tuple[str, ...] | None = None
    # No resolver and a field class that lists `target`'s model by itself.
    default_list: bool = False


class FieldReader:
    """Reads the declared fields of graphene and strawberry types."""

    def __init__(self, index: ProjectModel) -> None:
        self.index = index
        self.classes = index.classes

    def _qualified(self, module: ModuleInfo, expr: ast.expr) -> str | None:
        dotted = dotted_name(expr)
        return self.index.resolve_name(module.name, dotted) or dotted if dotted else None

    def read(self, graphql_type: GraphQLType, schema: GraphQLSchema) -> None:
        """Fill `graphql_type.fields`, nearest class first (inherited fields included)."""
        for owner in self.classes.linearize(graphql_type.qualified_name):
            found = self.classes.get(owner)
            if found is None:
                continue
            module, node = found
            for statement in node.body:
                read = (
                    self._strawberry(graphql_type, module, node, statement)
                    if graphql_type.library == "strawberry"
                    else self._graphene(graphql_type, module, node, statement)
                )
                if read is not None and read.name not in graphql_type.fields:
                    graphql_type.fields[read.name] = read
        if graphql_type.library == "graphene" and graphql_type.model is not None:
            self._meta_fields(graphql_type)

    # -- graphene ---------------------------------------------------------------------

    def _graphene(
        self, owner: GraphQLType, module: ModuleInfo, cls: ast.ClassDef, statement: ast.stmt
    ) -> GraphQLField | None:
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, ast.Call)
        ):
            return None
        name, call = statement.targets[0].id, statement.value
        callee = self._qualified(module, call.func) or ""
        hints = None
        if callee in OPTIMIZER_FIELD and call.args and isinstance(call.args[0], ast.Call):
            hints = _hint_paths(call)
            call = call.args[0]
            callee = self._qualified(module, call.func) or ""
        if not self._graphene_field_class(callee):
            return None
        target, many = (None, False)
        if self.classes.is_subclass(callee, LISTING_FIELDS, LISTING_FIELDS.__contains__):
            target, _ = self._graphene_type(module, call.args[0]) if call.args else (None, False)
            many = True
        elif call.args:
            target, many = self._graphene_type(module, call.args[0])
        resolver = self._graphene_resolver(owner, module, cls, name, keyword(call, "resolver"))
        return GraphQLField(
            name,
            owner.qualified_name,
            module.file.node_location(statement),
            statement,
            target,
            many,
            self.classes.is_subclass(callee, CONNECTION_FIELDS, CONNECTION_FIELDS.__contains__),
            resolver,
            hints=hints,
            default_list=resolver is None and callee in DEFAULT_LIST_FIELDS,
        )

    def _graphene_field_class(self, callee: str) -> bool:
        """graphene's field classes, and project subclasses of them (`NonNullList`)."""
        return callee.startswith(_GRAPHENE) or (
            self.classes.get(callee) is not None
            and self.classes.is_subclass(callee, _NO_ROOTS, lambda q: q.startswith(_GRAPHENE))
        )

    def _graphene_type(self, module: ModuleInfo, expr: ast.expr) -> tuple[str | None, bool]:
        """(object type, wrapped in a list) of a field's type argument."""
        if isinstance(expr, ast.Lambda):
            return self._graphene_type(module, expr.body)
        if isinstance(expr, ast.Call) and expr.args:
            callee = self._qualified(module, expr.func) or ""
            if callee in NON_NULL:
                return self._graphene_type(module, expr.args[0])
            if self.classes.is_subclass(callee, LIST_FIELDS, LIST_FIELDS.__contains__):
                return self._graphene_type(module, expr.args[0])[0], True
            return None, False
        text = literal_str(expr)
        qualified = (
            self.index.resolve_name(module.name, text) if text else self._qualified(module, expr)
        )
        if qualified is None and text and "." in text:
            # graphene's lazy reference by import path: "app.schema.types.BoardType".
            owner, _, attribute = text.rpartition(".")
            found = self.index.modules.get(owner)
            qualified = text if found is not None and attribute in found.defs else None
        if qualified and self.classes.is_subclass(
            qualified, RELAY_CONNECTIONS, RELAY_CONNECTIONS.__contains__
        ):
            node = self.classes.inner_attribute(qualified, "Meta", "node")
            return (self._qualified(node[0], node[1]) if node else None), True
        return qualified, False

    def _graphene_resolver(
        self,
        owner: GraphQLType,
        module: ModuleInfo,
        cls: ast.ClassDef,
        name: str,
        given: ast.expr | None,
    ) -> Resolver | None:
        if given is not None:
            qualified = self._qualified(module, given) or ""
            owner_name, _, attribute = qualified.rpartition(".")
            target = self.index.modules.get(owner_name)
            function = target.defs.get(attribute) if target is not None else None
            if target is not None and isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                return self._resolver(target, function, None, 0)
            found = self.classes.method(owner_name, attribute) if owner_name else None
            return self._resolver(found[0], found[1], None, 0) if found else None
        method = self.classes.method(owner.qualified_name, f"resolve_{name}")
        if method is None:
            return None
        return self._resolver(method[0], method[1], cls, 0)

    def _resolver(
        self, module: ModuleInfo, function: Function, cls: ast.ClassDef | None, position: int
    ) -> Resolver | None:
        params = [*function.args.posonlyargs, *function.args.args]
        named = next((p.arg for p in params if p.arg == "root"), None)
        if named is None and len(params) <= position:
            return None
        hints = None
        for decorator in function.decorator_list:
            if (
                isinstance(decorator, ast.Call)
                and self._qualified(module, decorator.func) in OPTIMIZER_HINTS | STRAWBERRY_FIELDS
            ):
                hints = _hint_paths(decorator) or hints
        root = named or params[position].arg
        return Resolver(module.rel, module.name, function, cls, root, hints)

    def _meta_fields(self, graphql_type: GraphQLType) -> None:
        """`Meta.fields = ("author", ...)`: fields served by graphene-django's resolvers."""
        qualified = graphql_type.qualified_name
        found = self.classes.inner_attribute(qualified, "Meta", "fields")
        names = string_sequence(found[1]) if found is not None else None
        if found is None or names is None or literal_str(found[1]) == "__all__":
            return
        module = found[0]
        for name in names:
            if name in graphql_type.fields:
                continue
            method = self.classes.method(qualified, f"resolve_{name}")
            resolver = self._resolver(method[0], method[1], None, 0) if method else None
            node: ast.AST = next(
                (e for e in getattr(found[1], "elts", ()) if literal_str(e) == name), found[1]
            )
            graphql_type.fields[name] = GraphQLField(
                name,
                qualified,
                module.file.node_location(node),
                node,
                resolver=resolver,
                relation=name if resolver is None else None,
            )

    # -- strawberry ------------------------------------------------------------------

    def _strawberry(
        self, owner: GraphQLType, module: ModuleInfo, cls: ast.ClassDef, statement: ast.stmt
    ) -> GraphQLField | None:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in statement.decorator_list:
                callee = self._qualified(
                    module, decorator.func if isinstance(decorator, ast.Call) else decorator
                )
                if callee in STRAWBERRY_FIELDS:
                    target, many = self._annotation(module, statement.returns)
                    return GraphQLField(
                        statement.name,
                        owner.qualified_name,
                        module.file.node_location(statement),
                        statement,
                        target,
                        many,
                        callee in STRAWBERRY_CONNECTIONS,
                        self._resolver(module, statement, cls, 0),
                    )
            return None
        if not isinstance(statement, ast.AnnAssign) or not isinstance(statement.target, ast.Name):
            return None
        name = statement.target.id
        target, many = self._annotation(module, statement.annotation)
        call = statement.value if isinstance(statement.value, ast.Call) else None
        callee = self._qualified(module, call.func) if call else None
        if call is not None and callee not in STRAWBERRY_FIELDS:
            return None
        resolver = None
        hints = _hint_paths(call) if call is not None else None
        relation = name
        given = keyword(call, "resolver") if call is not None else None
        if call is not None:
            relation = literal_str(keyword(call, "field_name")) or name
            if given is not None:
                resolver = self._graphene_resolver(owner, module, cls, name, given)
        auto = self._qualified(module, statement.annotation) in STRAWBERRY_AUTO
        return GraphQLField(
            name,
            owner.qualified_name,
            module.file.node_location(statement),
            statement,
            target,
            many,
            callee in STRAWBERRY_CONNECTIONS,
            resolver,
            relation=relation if owner.model is not None and not auto else None,
            hints=hints or None,
            # `strawberry_django.field()` without a resolver lists the type's model.
            default_list=given is None
            and (callee or "").startswith(STRAWBERRY_DJANGO)
            and owner.model is None
            and many,
        )

    def _annotation(self, module: ModuleInfo, node: ast.expr | None) -> tuple[str | None, bool]:
        """(object type, a list of it) of a strawberry annotation."""
        if node is None:
            return None, False
        text = literal_str(node)
        if text is not None:
            try:
                node = ast.parse(text, mode="eval").body
            except SyntaxError:
                return None, False
        if isinstance(node, ast.Subscript):
            outer = dotted_name(node.value) or ""
            inner = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
            found = self._annotation(module, inner)
            return found[0], found[1] or outer in LIST_ANNOTATIONS or outer.endswith("Connection")
        if isinstance(node, ast.BinOp):
            left = self._annotation(module, node.left)
            return left if left[0] else self._annotation(module, node.right)
        qualified = self._qualified(module, node)
        return (qualified, False) if qualified and self.classes.get(qualified) else (None, False)


def _hint_paths(call: ast.Call) -> tuple[str, ...] | None:
    """The relation paths an optimizer hint names (`prefetch_related=["a"]`, `model_field="b"`)."""
    paths: list[str] = []
    seen = False
    for name in HINT_KEYWORDS:
        value = keyword(call, name)
        if value is not None:
            seen = True
            paths.extend(string_sequence(value) or ())
    return tuple(paths) if seen else None
