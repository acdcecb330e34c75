"""The index-relevant view of the project's models, taken from the shared project model.

The index rules need per model: each field's column and whether it is
indexed alone, the indexes Meta declares (as field tuples, conditional or
not), the ordering, and where the model class and its file are (to edit it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from djreview.model import Location
from djreview.project.meta import meta_class
from djreview.project.model_types import FieldInfo, ModelInfo
from djreview.project.modules import dotted_name
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project

# Containment, full-text and geometry columns: GIN/GiST territory, not B-tree.
NON_BTREE_FIELDS = frozenset(
    {
        "ArrayField",
        "JSONField",
        "HStoreField",
        "SearchVectorField",
        "PointField",
        "PolygonField",
        "MultiPolygonField",
        "GeometryField",
        "LineStringField",
        "RangeField",
        "IntegerRangeField",
        "BigIntegerRangeField",
        "DateRangeField",
        "DateTimeRangeField",
        "DecimalRangeField",
    }
)
LOW_CARDINALITY_FIELDS = frozenset({"BooleanField", "NullBooleanField"})
# A choices list this short cannot make a B-tree selective on its own.
LOW_CARDINALITY_CHOICES = 5


def dotted(node: ast.AST) -> str:
    """`a.b.c` for a Name/Attribute chain, else ''."""
    return (dotted_name(node) or "") if isinstance(node, ast.expr) else ""


def literal_strings(node: ast.AST | None) -> list[str]:
    """The string items of a list/tuple literal (or one string), others skipped."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
    return []


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value of keyword argument `name`, if given."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


@dataclass
class FieldDef:
    """One model field as far as indexes care."""

    name: str
    kind: str
    call: ast.Call | None = None
    primary_key: bool = False
    unique: bool = False
    db_index: bool | None = None
    relation: bool = False
    target: str = ""
    choices_count: int | None = None
    has_choices: bool = False
    # The Django class at the root of a project field subclass (`SlugField`).
    base_type: str = ""
    # Where the field is declared (an abstract base's file for an inherited field).
    location: Location | None = None

    @property
    def column(self) -> str:
        """The database column Django derives from the field name."""
        return f"{self.name}_id" if self.relation else self.name

    @property
    def indexed(self) -> bool:
        """Whether the field alone gets an index from Django."""
        if self.primary_key or self.unique or self.db_index:
            return True
        return (self.relation or self.base_type == "SlugField") and self.db_index is not False

    @property
    def text_base(self) -> bool:
        """Whether the column holds unbounded text (a `TextField` or a subclass)."""
        return "TextField" in (self.kind, self.base_type)

    @property
    def low_cardinality(self) -> bool:
        """Booleans and short choice lists: an index on them alone rarely pays off."""
        if self.kind in LOW_CARDINALITY_FIELDS or self.base_type in LOW_CARDINALITY_FIELDS:
            return True
        # Choices the index cannot count (a ChoiceSet class, a function) are
        # still an enumeration: status-like, so treated as coarse.
        return self.has_choices and (
            self.choices_count is None or self.choices_count <= LOW_CARDINALITY_CHOICES
        )

    @property
    def nullable(self) -> bool:
        """Whether the declaration says `null=True` (a column NULL until something happens)."""
        return self.call is not None and any(
            kw.arg == "null" and isinstance(kw.value, ast.Constant) and kw.value.value is True
            for kw in self.call.keywords
        )

    @property
    def btree(self) -> bool:
        """Whether a plain B-tree index is the right tool for the column's type."""
        return self.kind not in NON_BTREE_FIELDS


@dataclass(frozen=True)
class IndexDef:
    """An index (or unique constraint) over field names, in order."""

    fields: tuple[str, ...]
    origin: str
    conditional: bool = False
    # For a partial index `condition=Q(a=..., b__isnull=True)`: the fields a query
    # must filter on for the index to apply (empty when the condition is not that simple).
    condition_fields: tuple[str, ...] = ()


@dataclass
class ModelDef:
    """A concrete or abstract model class and what creates indexes on it."""

    app: str
    name: str
    file: SourceFile
    node: ast.ClassDef
    fields: dict[str, FieldDef] = field(default_factory=dict)
    indexes: list[IndexDef] = field(default_factory=list)
    ordering: list[tuple[str, ast.AST]] = field(default_factory=list)
    # The rows' default order, also when an abstract base's Meta sets it.
    default_order: tuple[str, ...] = ()
    # No Meta of its own, options from an abstract base's: a plain `class Meta:` drops them.
    inherits_meta: bool = False
    latest_by: list[tuple[str, ast.AST]] = field(default_factory=list)
    abstract: bool = False
    meta: ast.ClassDef | None = None
    db_table: str = ""
    # False for `Meta.managed = False`: Django's migrations emit no SQL for the table.
    managed: bool = True

    @property
    def key(self) -> str:
        """`app_label.ModelName`."""
        return f"{self.app}.{self.name}"

    @property
    def table(self) -> str:
        """The database table name."""
        return self.db_table or f"{self.app}_{self.name.lower()}"

    def field(self, name: str) -> FieldDef | None:
        """A field by name; `pk` and `<fk>_id` resolve too."""
        if name == "pk":
            return next((f for f in self.fields.values() if f.primary_key), None)
        found = self.fields.get(name)
        if found is None and name.endswith("_id"):
            candidate = self.fields.get(name[:-3])
            if candidate is not None and candidate.relation:
                return candidate
        return found


def app_folder(rel: str) -> str:
    """The app folder of a models module path (`blog/models.py` or `blog/models/post.py`)."""
    path = PurePosixPath(rel)
    folder = path.parent.parent if path.parent.name == "models" else path.parent
    return folder.as_posix()


def _field(info: FieldInfo) -> FieldDef:
    return FieldDef(
        name=info.name,
        kind=info.field_type,
        call=info.node,
        primary_key=info.primary_key,
        unique=info.unique,
        db_index=info.db_index,
        relation=info.relation in ("fk", "o2o"),
        target=info.target or "",
        choices_count=info.choices_count if info.choices else None,
        has_choices=info.choices,
        base_type=info.base_type,
        location=None if info.implicit else info.location,
    )


def _meta_list(node: ast.ClassDef | None, name: str) -> ast.AST | None:
    """The value node of `Meta.<name>` in the class body (for a finding's location)."""
    body = node.body if node is not None else []
    meta = next((s for s in body if isinstance(s, ast.ClassDef) and s.name == "Meta"), None)
    for statement in meta.body if meta else []:
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in statement.targets
        ):
            return statement.value
    return None


def _names(fields: tuple[str, ...]) -> tuple[str, ...]:
    """Field names without the `-` of a descending index column (it serves both directions)."""
    return tuple(name.lstrip("-") for name in fields)


def _items(listed: ast.AST | None) -> list[ast.expr]:
    """The items of a list/tuple literal, also through `Base.Meta.indexes + [...]`."""
    if isinstance(listed, ast.List | ast.Tuple):
        return list(listed.elts)
    if isinstance(listed, ast.BinOp) and isinstance(listed.op, ast.Add):
        return _items(listed.left) + _items(listed.right)
    return []


def _conditions(node: ast.ClassDef | None) -> dict[str, tuple[str, ...]]:
    """Index/constraint name -> fields of a plain `condition=Q(field=..., ...)` in Meta."""
    found: dict[str, tuple[str, ...]] = {}
    for option in ("indexes", "constraints"):
        for call in _items(_meta_list(node, option)):
            if not isinstance(call, ast.Call):
                continue
            condition, name = keyword(call, "condition"), keyword(call, "name")
            if (
                isinstance(condition, ast.Call)
                and dotted(condition.func).split(".")[-1] == "Q"
                and not condition.args
                and isinstance(name, ast.Constant)
            ):
                fields = (kw.arg.split("__")[0] for kw in condition.keywords if kw.arg)
                found[str(name.value)] = tuple(fields)
    return found


def _model(info: ModelInfo, file: SourceFile) -> ModelDef:
    assert info.node is not None
    meta = info.meta
    model = ModelDef(
        info.app_label,
        info.name,
        file,
        info.node,
        abstract=info.abstract,
        db_table=meta.db_table or "",
    )
    model.fields = {name: _field(f) for name, f in info.fields.items() if f.relation != "m2m"}
    conditions = _conditions(info.node)
    model.indexes = [
        IndexDef(_names(i.fields), "Meta.indexes", i.condition, conditions.get(i.name or "", ()))
        for i in meta.indexes
        if i.fields and not i.expressions and i.kind == "btree"
    ]
    model.indexes += [
        IndexDef(c.fields, "UniqueConstraint", c.condition, conditions.get(c.name or "", ()))
        for c in meta.constraints
        if c.fields and not c.expressions
    ]
    model.indexes += [IndexDef(t, "unique_together") for t in meta.unique_together if t]
    model.indexes += [IndexDef(t, "index_together") for t in meta.index_together if t]
    model.managed = meta.managed
    model.default_order = tuple(meta.ordering)
    # Only an abstract base's Meta is lost to a plain `class Meta:` (a concrete parent's
    # ordering is inherited whatever the child declares).
    abstract_base = any(
        base not in info.concrete_parents and base != "django.db.models.Model"
        for base in info.model_bases
    )
    model.inherits_meta = (
        meta_class(info.node) is None
        and abstract_base
        and bool(
            meta.ordering
            or meta.indexes
            or meta.constraints
            or meta.unique_together
            or meta.index_together
            or meta.get_latest_by
        )
    )
    ordering = _meta_list(info.node, "ordering")
    if ordering is not None:
        model.ordering = [(name, ordering) for name in meta.ordering]
    latest = _meta_list(info.node, "get_latest_by")
    if latest is not None and meta.get_latest_by:
        model.latest_by = [(meta.get_latest_by, latest)]
    return model


@dataclass
class Schema:
    """The project's own models (from the shared project model), by `app.Model` label."""

    index: ProjectModel
    models: dict[str, ModelDef] = field(default_factory=dict)
    app_dirs: dict[str, str] = field(default_factory=dict)
    # Unmanaged model -> the one managed model whose table it maps (`managed = False`
    # with that model's `db_table`): the table, its rows and its indexes are that model's.
    table_owners: dict[str, str] = field(default_factory=dict)

    def of_expr(self, file: SourceFile, expr: ast.expr) -> ModelDef | None:
        """The project model an expression naming a model class refers to in `file`."""
        module = self.index.module_for(file)
        info = self.index.model_of_expr(module.name, expr) if module is not None else None
        return self.models.get(info.label) if info is not None else None

    def table_owner(self, model: ModelDef) -> ModelDef | None:
        """The managed model owning the table an unmanaged `model` maps, if exactly one does."""
        owner = self.table_owners.get(model.key)
        return self.models.get(owner) if owner is not None else None

    def target(self, relation: FieldDef) -> ModelDef | None:
        """The project model a relation points to (None for Django's own or unresolved)."""
        return self.models.get(relation.target)


def read_schema(project: Project) -> Schema:
    """The index-relevant view of every project model of the shared project model."""
    index = project.analysis(ProjectModel)
    schema = Schema(index)
    for info in index.models.values():
        file = project.by_rel.get(info.file)
        if info.builtin or info.proxy or info.node is None or file is None:
            continue
        schema.models[info.label] = _model(info, file)
        if not info.abstract:
            schema.app_dirs.setdefault(info.app_label, app_folder(info.file))
    schema.table_owners = _table_owners(schema.models.values())
    return schema


def _table_owners(models: Iterable[ModelDef]) -> dict[str, str]:
    """Unmanaged model -> the managed model of the same table (a read-only or shadow view of
    another app's table: `class Meta: managed = False; db_table = "logger_xform"`)."""
    managed: dict[str, list[str]] = {}
    for model in models:
        if model.managed and not model.abstract:
            managed.setdefault(model.table, []).append(model.key)
    return {
        model.key: owners[0]
        for model in models
        if not model.managed
        and not model.abstract
        and len(owners := managed.get(model.table, [])) == 1
    }
