"""What the index knows about one Django model: fields, relations, Meta, managers.

These are the stable, documented shapes the checks code against (see
docs/project-model.md). They are plain dataclasses holding ast nodes; the
index builds them once per run and nobody mutates them afterwards.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Literal

from djreview.model import Location

# Django field classes whose db_index defaults to True.
INDEXED_BY_DEFAULT = frozenset({"SlugField", "ForeignKey", "OneToOneField"})
Relation = Literal["fk", "o2o", "m2m", "generic_fk", "generic_relation"]
# A function or method definition together with the project-relative file it lives in.
FunctionRef = tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]


@dataclass
class FieldInfo:
    """One model field as declared (or implied: the automatic `id`, MTI `<parent>_ptr`).

    `target` is the related model's label ("blog.Post") when resolved, else
    None; `target_raw` is the reference as written ("self", "Post",
    "settings.AUTH_USER_MODEL", "blog.models.Post"). `model` is the label of the
    model the field belongs to (the concrete child for abstract-inherited fields,
    the parent for multi-table-inherited ones). `db_index` is None when not given.
    """

    name: str
    field_type: str
    model: str
    column: str | None = None
    # The Django (or third-party) class a project field subclass derives from.
    base_type: str = ""
    null: bool = False
    blank: bool = False
    unique: bool = False
    db_index: bool | None = None
    primary_key: bool = False
    choices: bool = False
    choices_count: int | None = None
    max_length: int | None = None
    relation: Relation | None = None
    target: str | None = None
    target_raw: str | None = None
    related_name: str | None = None
    related_query_name: str | None = None
    through: str | None = None
    symmetrical: bool | None = None
    parent_link: bool = False
    implicit: bool = False
    node: ast.Call | None = None
    location: Location | None = None

    @property
    def is_relation(self) -> bool:
        """True for foreign keys, one-to-ones, many-to-manys and generic relations."""
        return self.relation is not None

    @property
    def indexed(self) -> bool:
        """Whether the database has an index starting with this column from the field alone."""
        if self.primary_key or self.unique or self.db_index:
            return True
        return self.db_index is None and (
            self.relation in ("fk", "o2o") or self.base_type in INDEXED_BY_DEFAULT
        )


@dataclass(frozen=True)
class ReverseRelation:
    """The reverse side of a relation, as seen from the related model.

    `accessor` is the attribute on instances (`posts`, `comment_set`,
    `profile`), `query_name` the name used in lookups (`posts__title`). `model`
    is the label of the model that declares the field and `field` its name.
    `multiple` is False only for the reverse of a one-to-one.
    """

    accessor: str
    query_name: str
    model: str
    field: str
    multiple: bool
    via_m2m: bool = False
    generic: bool = False
    # The reverse of a multi-table child's link to its parent (`place.restaurant`).
    parent_link: bool = False


@dataclass
class IndexInfo:
    """An entry of `Meta.indexes` (or an implied index); `kind` is btree, gin, gist..."""

    fields: tuple[str, ...]
    name: str | None = None
    condition: bool = False
    kind: str = "btree"
    expressions: bool = False
    location: Location | None = None


@dataclass
class UniqueInfo:
    """A `UniqueConstraint` of `Meta.constraints`; `condition` marks a partial constraint."""

    fields: tuple[str, ...]
    name: str | None = None
    condition: bool = False
    expressions: bool = False
    location: Location | None = None


@dataclass
class ModelMeta:
    """The Meta options that matter for queries and indexes (inheritance applied)."""

    ordering: tuple[str, ...] = ()
    indexes: list[IndexInfo] = field(default_factory=list)
    unique_together: tuple[tuple[str, ...], ...] = ()
    index_together: tuple[tuple[str, ...], ...] = ()
    constraints: list[UniqueInfo] = field(default_factory=list)
    db_table: str | None = None
    get_latest_by: str | None = None
    default_manager: str | None = None
    default_related_name: str | None = None
    app_label: str | None = None
    abstract: bool = False
    proxy: bool = False
    swappable: str | None = None
    # Only a literal `managed = False` makes the table unmanaged (Django's default is True).
    managed: bool = True
    # Meta options written as code the index cannot read (so "unknown", not "none").
    dynamic: tuple[str, ...] = ()


@dataclass
class ManagerInfo:
    """A manager attribute of a model: `objects = PostQuerySet.as_manager()` and friends.

    `queryset_class` is the qualified name of the custom QuerySet when known;
    `methods` gathers the manager's and its QuerySet's own methods (by name).
    """

    name: str
    manager_class: str | None = None
    queryset_class: str | None = None
    methods: dict[str, FunctionRef] = field(default_factory=dict)
    implicit: bool = False


@dataclass(eq=False, repr=False)
class ModelInfo:
    """One Django model class, concrete, abstract or proxy (or one of Django's own).

    `label` is "app_label.ModelName"; `module` the dotted module; `file` the
    project-relative path; `bases` the qualified names of the direct bases.
    `fields` holds own fields plus those inherited from abstract bases and
    concrete parents, with the implicit `id` when no primary key is declared;
    `reverse` the reverse accessors other models' relations add (own and
    inherited). `methods` and `properties` follow the project's base classes.
    Compared and hashed by identity: the index holds one ModelInfo per model.
    """

    label: str
    app_label: str
    name: str
    module: str
    file: str
    qualified_name: str
    node: ast.ClassDef | None = None
    location: Location | None = None
    builtin: bool = False
    abstract: bool = False
    proxy: bool = False
    bases: tuple[str, ...] = ()
    # Project or Django model classes among the bases (qualified names), in order.
    model_bases: tuple[str, ...] = ()
    # Bases from third-party packages the index cannot see into (their fields are unknown).
    external_bases: tuple[str, ...] = ()
    concrete_parents: tuple[str, ...] = ()
    fields: dict[str, FieldInfo] = field(default_factory=dict)
    reverse: dict[str, ReverseRelation] = field(default_factory=dict)
    meta: ModelMeta = field(default_factory=ModelMeta)
    managers: dict[str, ManagerInfo] = field(default_factory=dict)
    methods: dict[str, FunctionRef] = field(default_factory=dict)
    properties: dict[str, FunctionRef] = field(default_factory=dict)
    # The concrete model this proxy stands for (its own label when not a proxy).
    concrete_label: str = ""

    def __repr__(self) -> str:
        return f"ModelInfo({self.label})"

    @property
    def model_name(self) -> str:
        """The lower-cased class name Django uses (`_meta.model_name`)."""
        return self.name.lower()

    @property
    def db_table(self) -> str:
        """The table name: `Meta.db_table` or Django's `<app_label>_<model_name>`."""
        return self.meta.db_table or f"{self.app_label}_{self.model_name}"

    @property
    def pk(self) -> FieldInfo | None:
        """The primary key field, when known (a multi-table child's own parent link)."""
        keys = [f for f in self.fields.values() if f.primary_key]
        return next((f for f in keys if f.model == self.label), keys[0] if keys else None)

    @property
    def fields_complete(self) -> bool:
        """False when a third-party base may add fields the index cannot see."""
        return not self.external_bases

    def attribute(self, name: str) -> FieldInfo | ReverseRelation | None:
        """The forward field or reverse accessor called `name` (following inheritance).

        Also accepts a foreign key's `<name>_id` attribute, returning the field.
        """
        found = self.fields.get(name) or self.reverse.get(name)
        if found is not None:
            return found
        if name.endswith("_id"):
            relation = self.fields.get(name[:-3])
            if relation is not None and relation.relation in ("fk", "o2o"):
                return relation
        return None

    def field_by_query_name(self, name: str) -> FieldInfo | ReverseRelation | None:
        """The field or reverse relation a lookup path segment (`posts__title`) names."""
        if name in self.fields:
            return self.fields[name]
        if name == "pk":
            return self.pk
        return next((r for r in self.reverse.values() if r.query_name == name), None)
