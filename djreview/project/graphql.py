"""GraphQL schema facts, read statically: graphene-django and strawberry-django types.

`GraphQLCollector(index).collect()` finds object types (graphene `ObjectType`
subclasses, `DjangoObjectType` and project bases carrying `Meta.model`,
`@strawberry.type` and `@strawberry_django.type(Model)` classes), their fields
(list and connection fields, `resolve_<field>` methods, `resolver=`, strawberry
field methods, relations exposed through `Meta.fields` or annotations), the
optimizer hints they carry, their `get_queryset` hooks, and whether a
strawberry schema installs `DjangoOptimizerExtension`. Names are resolved
through the modules' imports; the schema is never imported. A project whose
modules import neither graphene nor strawberry pays one scan of its import
tables (`uses_graphql`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from djreview.model import Location
from djreview.project.graphql_fields import FieldReader, GraphQLField, Resolver
from djreview.project.graphql_names import (
    GRAPHENE_OBJECT_ROOTS,
    OPTIMIZER_EXTENSIONS,
    SCHEMA_CALLS,
    STRAWBERRY_TYPE_DECORATORS,
    external_object_type,
)
from djreview.project.model_types import ModelInfo
from djreview.project.modules import ModuleInfo, dotted_name, module_statements

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel

GRAPHQL_PACKAGES = ("graphene", "graphene_django", "strawberry", "strawberry_django")


@dataclass
class GraphQLType:
    """One GraphQL object type: its library, model (when it has one) and fields."""

    qualified_name: str
    module: str
    file: str
    node: ast.ClassDef
    location: Location
    library: str  # "graphene" or "strawberry"
    model: ModelInfo | None = None
    fields: dict[str, GraphQLField] = field(default_factory=dict)
    # A `get_queryset(cls, queryset, info)` hook applied to the type's default lists.
    get_queryset: Resolver | None = None


@dataclass
class GraphQLSchema:
    """Every GraphQL type of the project, and the strawberry optimizer installs."""

    types: dict[str, GraphQLType] = field(default_factory=dict)
    optimizer: tuple[Location, ...] = ()
    # The digest of the schema's shape, once computed (a session keeps the schema).
    shape_digest: str | None = field(default=None, compare=False, repr=False)

    def by_model(self, label: str) -> GraphQLType | None:
        """The first graphene-django type of a model (what graphene's registry maps it to)."""
        return next(
            (t for t in self.types.values() if t.model is not None and t.model.label == label),
            None,
        )


def uses_graphql(modules: dict[str, ModuleInfo]) -> bool:
    """Whether any module imports graphene or strawberry (the collector's cheap gate)."""
    return any(
        value.partition(".")[0] in GRAPHQL_PACKAGES
        for module in modules.values()
        for value in module.imports.values()
    )


class GraphQLCollector:
    """Builds the `GraphQLSchema` of a project from its modules."""

    def __init__(self, index: ProjectModel) -> None:
        self.index = index
        self.classes = index.classes
        self.fields = FieldReader(index)

    def collect(self) -> GraphQLSchema:
        """The schema facts (empty without a module importing a GraphQL library)."""
        schema = GraphQLSchema()
        if not uses_graphql(self.index.modules):
            return schema
        optimizer: list[Location] = []
        for module in self.index.modules.values():
            if module.file.tree is None:
                continue
            for node in module.classes():
                found = self._type(module, node)
                if found is not None:
                    schema.types[found.qualified_name] = found
            optimizer.extend(self._optimizer(module))
        schema.optimizer = tuple(optimizer)
        for graphql_type in schema.types.values():
            self.fields.read(graphql_type, schema)
        return schema

    def _type(self, module: ModuleInfo, node: ast.ClassDef) -> GraphQLType | None:
        qualified = f"{module.name}.{node.name}"
        library = self._strawberry(module, node)
        model: ModelInfo | None = None
        if library is not None:
            model = library[1]
        elif node.bases and self.classes.is_subclass(
            qualified, GRAPHENE_OBJECT_ROOTS, external_object_type
        ):
            meta = self.classes.inner_attribute(qualified, "Meta", "model")
            model = self.index.model_of_expr(meta[0].name, meta[1]) if meta else None
        else:
            return None
        found = GraphQLType(
            qualified,
            module.name,
            module.rel,
            node,
            module.file.node_location(node),
            "strawberry" if library is not None else "graphene",
            model,
        )
        if model is not None:
            method = self.classes.method(qualified, "get_queryset")
            if method is not None and len(method[1].args.args) >= 2:
                owner = self.classes.get(f"{method[0].name}.{_owner_name(method[0], method[1])}")
                found.get_queryset = Resolver(
                    method[0].rel,
                    method[0].name,
                    method[1],
                    owner[1] if owner else None,
                    method[1].args.args[1].arg,
                )
        return found

    def _strawberry(
        self, module: ModuleInfo, node: ast.ClassDef
    ) -> tuple[str, ModelInfo | None] | None:
        """("strawberry", model) for a `@strawberry.type` / `@strawberry_django.type(M)` class."""
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            dotted = dotted_name(call.func if call else decorator)
            qualified = self.index.resolve_name(module.name, dotted) if dotted else None
            kind = STRAWBERRY_TYPE_DECORATORS.get(qualified or "")
            if kind is None:
                continue
            if kind == "plain" or call is None:
                return "strawberry", None
            model_expr = call.args[0] if call.args else None
            model_expr = model_expr or next(
                (k.value for k in call.keywords if k.arg == "model"), None
            )
            model = self.index.model_of_expr(module.name, model_expr) if model_expr else None
            return "strawberry", model
        return None

    def _optimizer(self, module: ModuleInfo) -> list[Location]:
        """Locations of `DjangoOptimizerExtension` in a strawberry `Schema(extensions=...)`."""
        assert module.file.tree is not None
        found: list[Location] = []
        for statement in module_statements(module.file.tree.body):
            if not isinstance(statement, ast.Assign) or not isinstance(statement.value, ast.Call):
                continue
            call = statement.value
            callee = dotted_name(call.func)
            if not callee or self.index.resolve_name(module.name, callee) not in SCHEMA_CALLS:
                continue
            extensions = next((k.value for k in call.keywords if k.arg == "extensions"), None)
            items = extensions.elts if isinstance(extensions, ast.List | ast.Tuple) else []
            for item in items:
                target = item.func if isinstance(item, ast.Call) else item
                dotted = dotted_name(target)
                if dotted and self.index.resolve_name(module.name, dotted) in OPTIMIZER_EXTENSIONS:
                    found.append(module.file.node_location(item))
        return found


def _owner_name(module: ModuleInfo, function: ast.AST) -> str:
    """The name of the top-level class of `module` whose body holds `function`."""
    for node in module.classes():
        if function in node.body:
            return node.name
    return ""
