"""The index-relevant part of a project's models, read statically from `models.py`.

This is the smallest reader the index rules need (fields, their indexes, the
Meta options that create indexes or orderings); it stands in until the shared
project model (`djreview.project.index`) is available, and deliberately reads
nothing else.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from djreview.engine.project import Project
from djreview.engine.source import SourceFile

RELATION_FIELDS = frozenset({"ForeignKey", "OneToOneField", "ParentalKey"})
MANY_FIELDS = frozenset({"ManyToManyField", "ParentalManyToManyField", "GenericRelation"})
LOW_CARDINALITY_FIELDS = frozenset({"BooleanField", "NullBooleanField"})
# A choices list this short cannot make a B-tree selective on its own.
LOW_CARDINALITY_CHOICES = 5


def dotted(node: ast.AST) -> str:
    """`a.b.c` for a Name/Attribute chain, else ''."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


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


def _flag(call: ast.Call, name: str) -> bool | None:
    value = keyword(call, name)
    if isinstance(value, ast.Constant) and isinstance(value.value, bool):
        return value.value
    return None if value is None else True


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

    @property
    def column(self) -> str:
        """The database column Django derives from the field name."""
        return f"{self.name}_id" if self.relation else self.name

    @property
    def indexed(self) -> bool:
        """Whether the field alone gets an index from Django."""
        if self.primary_key or self.unique or self.db_index:
            return True
        return self.relation and self.db_index is not False

    @property
    def low_cardinality(self) -> bool:
        """Booleans and short choice lists: an index on them alone rarely pays off."""
        if self.kind in LOW_CARDINALITY_FIELDS:
            return True
        return self.choices_count is not None and self.choices_count <= LOW_CARDINALITY_CHOICES


@dataclass(frozen=True)
class IndexDef:
    """An index (or unique constraint) over field names, in order."""

    fields: tuple[str, ...]
    origin: str
    conditional: bool = False


@dataclass
class ModelDef:
    """A concrete or abstract model class and what creates indexes on it."""

    app: str
    name: str
    file: SourceFile
    node: ast.ClassDef
    bases: list[str]
    fields: dict[str, FieldDef] = field(default_factory=dict)
    indexes: list[IndexDef] = field(default_factory=list)
    ordering: list[tuple[str, ast.AST]] = field(default_factory=list)
    latest_by: list[tuple[str, ast.AST]] = field(default_factory=list)
    abstract: bool = False
    meta: ast.ClassDef | None = None
    db_table: str = ""

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


def app_of(rel: str) -> tuple[str, str] | None:
    """(app label, app folder) for a models module path, else None."""
    path = PurePosixPath(rel)
    parts = path.parts
    if path.name == "models.py" and len(parts) >= 2:
        return parts[-2], str(path.parent)
    if "models" in parts[:-1]:
        at = len(parts) - 1 - parts[::-1].index("models")
        if at >= 1:
            return parts[at - 1], str(PurePosixPath(*parts[:at]))
    return None


def _choices_count(value: ast.expr | None, classes: dict[str, ast.ClassDef]) -> int | None:
    if isinstance(value, ast.List | ast.Tuple):
        return len(value.elts)
    name = dotted(value) if value is not None else ""
    if name.endswith(".choices"):
        enum = classes.get(name.split(".")[-2])
        if enum is not None:
            return sum(isinstance(s, ast.Assign) for s in enum.body)
    return None


def _field(name: str, call: ast.Call, classes: dict[str, ast.ClassDef]) -> FieldDef | None:
    kind = dotted(call.func).split(".")[-1]
    if not (kind.endswith("Field") or kind in RELATION_FIELDS or kind == "ForeignKey"):
        return None
    target = ""
    if kind in RELATION_FIELDS and (call.args or keyword(call, "to") is not None):
        arg = call.args[0] if call.args else keyword(call, "to")
        assert arg is not None
        target = (
            arg.value
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            else dotted(arg)
        )
    return FieldDef(
        name=name,
        kind=kind,
        call=call,
        primary_key=bool(_flag(call, "primary_key")),
        unique=bool(_flag(call, "unique")) or kind == "OneToOneField",
        db_index=_flag(call, "db_index"),
        relation=kind in RELATION_FIELDS,
        target=target,
        choices_count=_choices_count(keyword(call, "choices"), classes),
    )


def _index_fields(call: ast.Call) -> tuple[str, ...]:
    names = literal_strings(keyword(call, "fields"))
    if not names:
        # Functional indexes: F("x") / "x" expressions as positional arguments.
        for arg in call.args:
            if isinstance(arg, ast.Call) and dotted(arg.func).endswith("F"):
                names += literal_strings(arg.args[0] if arg.args else None)
            else:
                break
    return tuple(n.lstrip("-") for n in names)


def _read_meta(model: ModelDef, meta: ast.ClassDef) -> None:
    model.meta = meta
    for stmt in meta.body:
        if not isinstance(stmt, ast.Assign) or not isinstance(stmt.targets[0], ast.Name):
            continue
        name, value = stmt.targets[0].id, stmt.value
        if name == "abstract" and isinstance(value, ast.Constant):
            model.abstract = bool(value.value)
        elif (
            name == "db_table" and isinstance(value, ast.Constant) and isinstance(value.value, str)
        ):
            model.db_table = value.value
        elif name == "ordering":
            model.ordering = [(s, value) for s in literal_strings(value)]
        elif name == "get_latest_by":
            model.latest_by = [(s, value) for s in literal_strings(value)]
        elif name in ("unique_together", "index_together") and isinstance(
            value, ast.List | ast.Tuple
        ):
            groups = (
                value.elts
                if value.elts and isinstance(value.elts[0], ast.List | ast.Tuple)
                else [value]
            )
            for group in groups:
                model.indexes.append(IndexDef(tuple(literal_strings(group)), name))
        elif name in ("indexes", "constraints") and isinstance(value, ast.List | ast.Tuple):
            for item in value.elts:
                if not isinstance(item, ast.Call):
                    continue
                kind = dotted(item.func).split(".")[-1]
                if name == "constraints" and kind != "UniqueConstraint":
                    continue
                fields = _index_fields(item)
                if fields:
                    conditional = keyword(item, "condition") is not None
                    model.indexes.append(IndexDef(fields, f"Meta.{name}", conditional))


def _read_model(app: str, file: SourceFile, node: ast.ClassDef) -> ModelDef:
    classes = {c.name: c for c in node.body if isinstance(c, ast.ClassDef)}
    model = ModelDef(app, node.name, file, node, [dotted(b).split(".")[-1] for b in node.bases])
    for stmt in node.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
            _read_meta(model, stmt)
        target = value = None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign):
            target, value = stmt.target, stmt.value
        if isinstance(target, ast.Name) and isinstance(value, ast.Call):
            found = _field(target.id, value, classes)
            if found is not None:
                model.fields[found.name] = found
    return model


@dataclass
class Schema:
    """Every model of the project, by `app.Model` key and by class name."""

    models: dict[str, ModelDef] = field(default_factory=dict)
    app_dirs: dict[str, str] = field(default_factory=dict)

    def by_name(self, name: str, app_hint: str = "") -> ModelDef | None:
        """A model by class name, `app.Model` string, preferring `app_hint`'s app."""
        if "." in name:
            return self.models.get(name) or self.by_name(name.split(".")[-1])
        matches = [m for m in self.models.values() if m.name == name]
        preferred = [m for m in matches if m.app == app_hint]
        if preferred:
            return preferred[0]
        return matches[0] if len(matches) == 1 else None

    def target(self, model: ModelDef, relation: FieldDef) -> ModelDef | None:
        """The model a relation points to (string, class, 'self'; not swappable settings)."""
        if relation.target == "self":
            return model
        return self.by_name(relation.target, model.app)


def _inherit(schema: Schema) -> None:
    """Copy abstract parents' fields and Meta indexes into their children (once, in order)."""
    done: set[str] = set()

    def resolve(model: ModelDef) -> None:
        if model.key in done:
            return
        done.add(model.key)
        for base_name in model.bases:
            base = schema.by_name(base_name, model.app)
            if base is None or base is model:
                continue
            resolve(base)
            for name, inherited in base.fields.items():
                model.fields.setdefault(name, inherited)
            if base.abstract:
                model.indexes.extend(base.indexes)
                if not model.ordering:
                    model.ordering = base.ordering
                if not model.latest_by:
                    model.latest_by = base.latest_by

    for model in list(schema.models.values()):
        resolve(model)


def read_schema(project: Project) -> Schema:
    """Read every model class of the project's models modules."""
    schema = Schema()
    candidates: list[tuple[str, SourceFile, ast.ClassDef]] = []
    for file in project.python_files:
        where = app_of(file.rel)
        if where is None or file.tree is None or "/migrations/" in f"/{file.rel}":
            continue
        schema.app_dirs.setdefault(where[0], where[1])
        for node in file.tree.body:
            if isinstance(node, ast.ClassDef) and node.bases:
                candidates.append((where[0], file, node))
    # A class is a model when a base is models.Model or, transitively, another model.
    known = {"Model"}
    changed = True
    while changed:
        changed = False
        for _, _, node in candidates:
            if node.name not in known and any(
                dotted(b).split(".")[-1] in known for b in node.bases
            ):
                known.add(node.name)
                changed = True
    for app, file, node in candidates:
        if node.name in known:
            model = _read_model(app, file, node)
            schema.models.setdefault(model.key, model)
    _inherit(schema)
    for model in schema.models.values():
        if not any(f.primary_key for f in model.fields.values()):
            model.fields["id"] = FieldDef("id", "AutoField", primary_key=True)
    return schema
