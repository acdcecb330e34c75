"""Django REST framework: serializers and API views/viewsets, read statically."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from djreview.model import Location
from djreview.project.literals import (
    keyword,
    literal_bool,
    literal_int,
    literal_str,
    string_sequence,
)
from djreview.project.model_types import FunctionRef, ModelInfo
from djreview.project.modules import ModuleInfo, dotted_name

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel

SERIALIZER_ROOTS = frozenset(
    {
        "rest_framework.serializers.BaseSerializer",
        "rest_framework.serializers.Serializer",
        "rest_framework.serializers.ModelSerializer",
        "rest_framework.serializers.HyperlinkedModelSerializer",
        "rest_framework.serializers.ListSerializer",
    }
)
API_VIEW_ROOTS = frozenset({"rest_framework.views.APIView"})
RELATED_FIELDS = frozenset(
    {
        "PrimaryKeyRelatedField",
        "StringRelatedField",
        "SlugRelatedField",
        "HyperlinkedRelatedField",
        "HyperlinkedIdentityField",
        "RelatedField",
        "ManyRelatedField",
    }
)
_VIEW_LISTS = (
    "filterset_fields",
    "search_fields",
    "ordering_fields",
    "ordering",
    "filter_backends",
    "permission_classes",
    "authentication_classes",
    "throttle_classes",
    "renderer_classes",
    "parser_classes",
)


def _external_serializer(qualified: str) -> bool:
    return qualified.endswith("Serializer")


def _external_api_view(qualified: str) -> bool:
    return qualified.startswith(
        ("rest_framework.views.", "rest_framework.generics.", "rest_framework.viewsets.")
    )


@dataclass
class SerializerField:
    """A field declared on a serializer.

    `kind` is "serializer" (nested; `serializer` names its class), "method"
    (SerializerMethodField; `method` is its body), "related" (a related field)
    or "field". `source` is the `source=` path as written.
    """

    name: str
    kind: str
    field_class: str
    many: bool = False
    source: str | None = None
    serializer: str | None = None
    method: FunctionRef | None = None
    read_only: bool = False
    node: ast.Call | None = None
    location: Location | None = None


@dataclass
class SerializerInfo:
    """A serializer class: Meta.model/fields/exclude/depth and its declared fields."""

    qualified_name: str
    module: str
    file: str
    node: ast.ClassDef
    location: Location
    model: ModelInfo | None = None
    fields: tuple[str, ...] | str | None = None  # a tuple, "__all__", or None if unreadable
    exclude: tuple[str, ...] = ()
    depth: int = 0
    read_only_fields: tuple[str, ...] = ()
    declared: dict[str, SerializerField] = field(default_factory=dict)


@dataclass
class APIViewInfo:
    """A DRF view or viewset: queryset model, serializer class and the listed options."""

    qualified_name: str
    module: str
    file: str
    node: ast.ClassDef
    location: Location
    model: ModelInfo | None = None
    serializer_class: str | None = None
    get_serializer_class: FunctionRef | None = None
    get_queryset: FunctionRef | None = None
    # filterset_fields, search_fields, ordering_fields, ordering, permission_classes...:
    # strings for field names, qualified names for classes.
    options: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lookup_field: str | None = None
    pagination_class: str | None = None


class DRFCollector:
    """Finds serializers and API views (only in modules that mention rest_framework)."""

    def __init__(self, index: ProjectModel) -> None:
        self.index = index
        self.classes = index.classes

    def _candidates(self) -> list[tuple[ModuleInfo, ast.ClassDef]]:
        return [
            (module, node)
            for module in self.index.modules.values()
            if "rest_framework" in module.file.text or "Serializer" in module.file.text
            for node in module.classes()
            if node.bases
        ]

    def serializers(self) -> dict[str, SerializerInfo]:
        """Every serializer class by qualified name."""
        return {
            qualified: self._serializer(module, node, qualified)
            for module, node, qualified in self._subclasses(SERIALIZER_ROOTS, _external_serializer)
        }

    def views(self) -> dict[str, APIViewInfo]:
        """Every DRF APIView/GenericAPIView/ViewSet subclass by qualified name."""
        return {
            qualified: self._view(module, node, qualified)
            for module, node, qualified in self._subclasses(API_VIEW_ROOTS, _external_api_view)
        }

    def _subclasses(
        self, roots: frozenset[str], external: Callable[[str], bool]
    ) -> Iterator[tuple[ModuleInfo, ast.ClassDef, str]]:
        for module, node in self._candidates():
            qualified = f"{module.name}.{node.name}"
            if self.classes.is_subclass(qualified, roots, external):
                yield module, node, qualified

    def _serializer(self, module: ModuleInfo, node: ast.ClassDef, qualified: str) -> SerializerInfo:
        info = SerializerInfo(
            qualified,
            module.name,
            module.rel,
            node,
            module.file.node_location(node),
            model=self.index.class_model(qualified),
        )
        meta = self.classes.inner_attribute
        fields = meta(qualified, "Meta", "fields")
        if fields is not None:
            text = literal_str(fields[1])
            info.fields = text if text == "__all__" else string_sequence(fields[1])
        exclude = meta(qualified, "Meta", "exclude")
        info.exclude = string_sequence(exclude[1]) or () if exclude else ()
        depth = meta(qualified, "Meta", "depth")
        info.depth = literal_int(depth[1]) or 0 if depth else 0
        read_only = meta(qualified, "Meta", "read_only_fields")
        info.read_only_fields = string_sequence(read_only[1]) or () if read_only else ()
        for owner in reversed(self.classes.linearize(qualified)):
            found = self.classes.get(owner)
            if found is None:
                continue
            owner_module, owner_node = found
            for statement in owner_node.body:
                declared = self._declared(owner_module, statement, qualified)
                if declared is not None:
                    info.declared[declared.name] = declared
        return info

    def _declared(
        self, module: ModuleInfo, statement: ast.stmt, serializer: str
    ) -> SerializerField | None:
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, ast.Call)
        ):
            return None
        name, call = statement.targets[0].id, statement.value
        callee = dotted_name(call.func)
        if callee is None:
            return None
        qualified = self.index.resolve_name(module.name, callee) or callee
        class_name = qualified.rsplit(".", 1)[-1]
        declared = SerializerField(
            name,
            "field",
            class_name,
            many=literal_bool(keyword(call, "many")) is True,
            source=literal_str(keyword(call, "source")),
            read_only=literal_bool(keyword(call, "read_only")) is True,
            node=call,
            location=module.file.node_location(call),
        )
        if class_name == "SerializerMethodField":
            declared.kind = "method"
            method_name = (
                literal_str(keyword(call, "method_name"))
                or (literal_str(call.args[0]) if call.args else None)
                or f"get_{name}"
            )
            method = self.classes.method(serializer, method_name)
            declared.method = (method[0].rel, method[1]) if method else None
        elif self.classes.is_subclass(qualified, SERIALIZER_ROOTS, _external_serializer):
            declared.kind, declared.serializer = "serializer", qualified
        elif class_name in RELATED_FIELDS:
            declared.kind = "related"
        return declared

    def _view(self, module: ModuleInfo, node: ast.ClassDef, qualified: str) -> APIViewInfo:
        info = APIViewInfo(
            qualified,
            module.name,
            module.rel,
            node,
            module.file.node_location(node),
            model=self.index.class_model(qualified),
        )
        serializer = self.classes.attribute(qualified, "serializer_class")
        if serializer is not None:
            info.serializer_class = self._qualified(serializer)
        pagination = self.classes.attribute(qualified, "pagination_class")
        info.pagination_class = self._qualified(pagination) if pagination else None
        lookup = self.classes.attribute(qualified, "lookup_field")
        info.lookup_field = literal_str(lookup[1]) if lookup else None
        for option in _VIEW_LISTS:
            value = self.classes.attribute(qualified, option)
            if value is not None:
                info.options[option] = self._names(value)
        for method in ("get_serializer_class", "get_queryset"):
            found = self.classes.method(qualified, method)
            if found is not None:
                setattr(info, method, (found[0].rel, found[1]))
        return info

    def _qualified(self, value: tuple[ModuleInfo, ast.expr]) -> str | None:
        dotted = dotted_name(value[1])
        return self.index.resolve_name(value[0].name, dotted) if dotted else None

    def _names(self, value: tuple[ModuleInfo, ast.expr]) -> tuple[str, ...]:
        module, expr = value
        strings = string_sequence(expr)
        if strings is not None:
            return strings
        items = expr.elts if isinstance(expr, ast.List | ast.Tuple) else [expr]
        return tuple(
            self.index.resolve_name(module.name, dotted) or dotted
            for item in items
            if (dotted := dotted_name(item)) is not None
        )
