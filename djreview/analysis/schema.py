"""The relations the N+1 analysis needs: which attribute of a model is a relation.

This is a narrow reader of model classes (fields, relations, reverse accessors,
methods and properties) built from the shared `ast` trees, until the project
index (djreview/project/index.py) offers the same facts; only what the N+1
rules ask is here.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from djreview.engine.source import SourceFile

FORWARD = "forward"  # ForeignKey, OneToOneField: one object, select_related
REVERSE_ONE = "reverse_one"  # the other side of a OneToOneField: select_related too
MANY = "many"  # reverse ForeignKey, ManyToManyField (both sides): prefetch_related

_SINGLE = {"ForeignKey", "OneToOneField", "ParentalKey"}
_MULTI = {"ManyToManyField", "ParentalManyToManyField", "TaggableManager"}
_PLAIN_SUFFIXES = ("Field",)
_MODEL_BASES = {
    "Model",
    "AbstractUser",
    "AbstractBaseUser",
    "MP_Node",
    "MPTTModel",
    "TimeStampedModel",
}
# django.contrib.auth's User: what a project's ForeignKey(settings.AUTH_USER_MODEL) reaches.
_USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "password",
    "is_staff",
    "is_active",
    "is_superuser",
    "last_login",
    "date_joined",
)


@dataclass
class Relation:
    """One relation attribute of a model."""

    name: str
    kind: str
    target: str
    null: bool = False
    node: ast.AST | None = None


@dataclass
class ModelClass:
    """What the analysis knows about one model class."""

    name: str
    file: SourceFile | None
    node: ast.ClassDef | None
    relations: dict[str, Relation] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    methods: dict[str, ast.FunctionDef] = field(default_factory=dict)
    properties: dict[str, ast.FunctionDef] = field(default_factory=dict)
    bases: list[str] = field(default_factory=list)
    abstract: bool = False
    # Manager attributes: name -> the project class that defines them ("" if unknown).
    managers: dict[str, str] = field(default_factory=dict)

    def attribute_kind(self, name: str) -> str:
        """ "relation", "field", "fk_id", "method", "property" or "unknown"."""
        if name in self.relations:
            return "relation"
        if name in self.fields or name in ("pk", "id"):
            return "field"
        if (
            name.endswith("_id")
            and self.relations.get(name[:-3], Relation("", "", "")).kind == FORWARD
        ):
            return "fk_id"
        if name in self.properties:
            return "property"
        if name in self.methods:
            return "method"
        return "unknown"


def _name_of(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _target_name(call: ast.Call) -> str:
    node = call.args[0] if call.args else _keyword(call, "to")
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.rsplit(".", 1)[-1]
    if isinstance(node, ast.Attribute) and node.attr == "AUTH_USER_MODEL":
        return "User"
    if isinstance(node, ast.Call) and _name_of(node.func) == "get_user_model":
        return "User"
    return _name_of(node)


def _is_property(function: ast.FunctionDef) -> bool:
    return any(_name_of(d) in ("property", "cached_property") for d in function.decorator_list)


def _read_class(file: SourceFile, node: ast.ClassDef) -> ModelClass:
    model = ModelClass(node.name, file, node, bases=[_name_of(b) for b in node.bases])
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef):
            bucket = model.properties if _is_property(statement) else model.methods
            bucket[statement.name] = statement
        elif isinstance(statement, ast.ClassDef) and statement.name == "Meta":
            model.abstract = any(
                isinstance(s, ast.Assign)
                and _name_of(s.targets[0]) == "abstract"
                and isinstance(s.value, ast.Constant)
                and s.value.value is True
                for s in statement.body
            )
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            _read_field(model, statement.targets[0], statement.value)
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            _read_field(model, statement.target, statement.value)
    return model


def _read_field(model: ModelClass, target: ast.expr, value: ast.expr) -> None:
    if not isinstance(target, ast.Name) or not isinstance(value, ast.Call):
        return
    kind = _name_of(value.func)
    if kind in _SINGLE:
        null = _keyword(value, "null")
        model.relations[target.id] = Relation(
            target.id,
            FORWARD,
            _target_name(value),
            isinstance(null, ast.Constant) and null.value is True,
            value,
        )
    elif kind in _MULTI:
        model.relations[target.id] = Relation(target.id, MANY, _target_name(value), node=value)
    elif kind.endswith(_PLAIN_SUFFIXES) or kind in ("GenericForeignKey",):
        model.fields.add(target.id)
    elif kind.endswith("Manager"):
        model.managers[target.id] = kind
    elif kind in ("as_manager", "from_queryset") or (
        isinstance(value.func, ast.Call) and _name_of(value.func.func) == "from_queryset"
    ):
        model.managers[target.id] = ""


class Schema:
    """Every model class of the project, its relations and their reverse accessors."""

    def __init__(self, files: list[SourceFile]) -> None:
        self.models: dict[str, ModelClass] = {}
        self._ambiguous: set[str] = set()
        classes: list[tuple[SourceFile, ast.ClassDef]] = []
        for file in files:
            if file.tree is None or "/migrations/" in f"/{file.rel}":
                continue
            classes.extend(
                (file, node) for node in file.tree.body if isinstance(node, ast.ClassDef)
            )
        candidates = {node.name: node for _, node in classes}
        for file, node in classes:
            if self._is_model(node, candidates, set()):
                if node.name in self.models:
                    self._ambiguous.add(node.name)
                self.models[node.name] = _read_class(file, node)
        for name in self._ambiguous:
            del self.models[name]
        if "User" not in self.models and "User" not in self._ambiguous:
            self.models["User"] = ModelClass("User", None, None, fields=set(_USER_FIELDS))
            self.models["User"].relations["groups"] = Relation("groups", MANY, "Group")
        self._inherit()
        self._add_reverse()

    def _is_model(
        self, node: ast.ClassDef, candidates: dict[str, ast.ClassDef], seen: set[str]
    ) -> bool:
        for base in node.bases:
            name = _name_of(base)
            if name in _MODEL_BASES and name != node.name:
                return True
            parent = candidates.get(name)
            if parent is not None and name not in seen and parent is not node:
                seen.add(name)
                if self._is_model(parent, candidates, seen):
                    return True
        return False

    def _inherit(self) -> None:
        """Copy fields, relations and methods of abstract (and concrete) project parents."""

        def merged(model: ModelClass, depth: int) -> None:
            for base in model.bases:
                parent = self.models.get(base)
                if parent is None or parent is model or depth > 8:
                    continue
                merged(parent, depth + 1)
                for name, relation in parent.relations.items():
                    model.relations.setdefault(name, relation)
                model.fields |= parent.fields
                for name, method in parent.methods.items():
                    model.methods.setdefault(name, method)
                for name, prop in parent.properties.items():
                    model.properties.setdefault(name, prop)
                for name, manager in parent.managers.items():
                    model.managers.setdefault(name, manager)

        for model in list(self.models.values()):
            merged(model, 0)

    def _add_reverse(self) -> None:
        for model in list(self.models.values()):
            if model.abstract:
                continue
            for relation in list(model.relations.values()):
                target = self.models.get(self.resolve(relation.target, model.name))
                if target is None or relation.node is None:
                    continue
                related_name = _keyword(relation.node, "related_name")  # type: ignore[arg-type]
                if isinstance(related_name, ast.Constant) and isinstance(related_name.value, str):
                    accessor = related_name.value
                    if accessor.endswith("+") or "%(" in accessor:
                        continue
                else:
                    is_one = _name_of(relation.node.func) == "OneToOneField"  # type: ignore[attr-defined]
                    accessor = model.name.lower() if is_one else f"{model.name.lower()}_set"
                kind = REVERSE_ONE if _name_of(relation.node.func) == "OneToOneField" else MANY  # type: ignore[attr-defined]
                target.relations.setdefault(accessor, Relation(accessor, kind, model.name, True))

    def resolve(self, name: str, context: str = "") -> str:
        """A model class name as written ("self", "app.Model", "Model") to its key."""
        if name == "self":
            return context
        name = name.rsplit(".", 1)[-1]
        return name if name in self.models else ""

    def model(self, name: str) -> ModelClass | None:
        """The model class named `name`, when it is known and unambiguous."""
        return self.models.get(name)

    def managers(self, model: str) -> dict[str, str]:
        """The manager attributes a model class declares (inherited ones included)."""
        info = self.models.get(model)
        return info.managers if info is not None else {}

    def relation(self, model: str, attribute: str) -> Relation | None:
        """The relation `attribute` of `model`, with its target resolved."""
        info = self.models.get(model)
        if info is None:
            return None
        relation = info.relations.get(attribute)
        if relation is None:
            return None
        target = self.resolve(relation.target, model)
        return (
            Relation(relation.name, relation.kind, target, relation.null, relation.node)
            if target
            else None
        )
