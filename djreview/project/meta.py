"""Reading a model's `class Meta` and applying Django's Meta inheritance rules."""

from __future__ import annotations

import ast
import dataclasses

from djreview.project.literals import (
    call_name,
    keyword,
    literal_bool,
    literal_str,
    nested_string_sequences,
    string_sequence,
)
from djreview.project.model_types import IndexInfo, ModelMeta, UniqueInfo
from djreview.source.file import SourceFile

# Index class name -> access method; anything else ending in "Index" is reported lower-cased.
_INDEX_KINDS = {
    "Index": "btree",
    "BTreeIndex": "btree",
    "GinIndex": "gin",
    "GistIndex": "gist",
    "BrinIndex": "brin",
    "HashIndex": "hash",
    "SpGistIndex": "spgist",
    "BloomIndex": "bloom",
}


def meta_class(node: ast.ClassDef) -> ast.ClassDef | None:
    """The `class Meta` nested in a model class body, if any."""
    return next(
        (item for item in node.body if isinstance(item, ast.ClassDef) and item.name == "Meta"), None
    )


def _index(call: ast.Call, file: SourceFile) -> IndexInfo | None:
    kind_name = call_name(call) or ""
    if not kind_name.endswith("Index"):
        return None
    fields = string_sequence(keyword(call, "fields")) or ()
    return IndexInfo(
        fields=fields,
        name=literal_str(keyword(call, "name")),
        condition=keyword(call, "condition") is not None,
        kind=_INDEX_KINDS.get(kind_name, kind_name.removesuffix("Index").lower() or "btree"),
        expressions=bool(call.args),
        location=file.node_location(call),
    )


def _constraint(call: ast.Call, file: SourceFile) -> UniqueInfo | None:
    if call_name(call) != "UniqueConstraint":
        return None
    return UniqueInfo(
        fields=string_sequence(keyword(call, "fields")) or (),
        name=literal_str(keyword(call, "name")),
        condition=keyword(call, "condition") is not None,
        expressions=bool(call.args),
        location=file.node_location(call),
    )


def _calls(value: ast.expr) -> list[ast.Call] | None:
    """The calls of a list literal; of `Base.Meta.indexes + [...]`, the literal part's."""
    if isinstance(value, ast.List | ast.Tuple):
        return [item for item in value.elts if isinstance(item, ast.Call)]
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        left, right = _calls(value.left), _calls(value.right)
        if left is not None or right is not None:
            return (left or []) + (right or [])
    return None


def read_meta(node: ast.ClassDef | None, file: SourceFile) -> tuple[ModelMeta, set[str]]:
    """The options a Meta class sets, and the names of the options it sets at all."""
    meta = ModelMeta()
    declared: set[str] = set()
    if node is None:
        return meta, declared
    dynamic: list[str] = []
    for statement in node.body:
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
            continue
        target = statement.targets[0]
        if not isinstance(target, ast.Name):
            continue
        name, value = target.id, statement.value
        declared.add(name)
        if name in ("abstract", "proxy"):
            setattr(meta, name, bool(literal_bool(value)))
        elif name in (
            "db_table",
            "get_latest_by",
            "app_label",
            "swappable",
            "default_related_name",
        ):
            setattr(meta, name, literal_str(value))
        elif name == "managed":
            meta.managed = literal_bool(value) is not False
        elif name == "default_manager_name":
            meta.default_manager = literal_str(value)
        elif name == "ordering":
            ordering = string_sequence(value)
            meta.ordering = ordering if ordering is not None else ()
            if ordering is None:
                dynamic.append(name)
        elif name in ("unique_together", "index_together"):
            groups = nested_string_sequences(value)
            setattr(meta, name, groups or ())
            if groups is None:
                dynamic.append(name)
        elif name in ("indexes", "constraints"):
            calls = _calls(value)
            if calls is None:
                dynamic.append(name)
                continue
            if name == "indexes":
                meta.indexes = [i for i in (_index(c, file) for c in calls) if i is not None]
            else:
                meta.constraints = [u for u in (_constraint(c, file) for c in calls) if u]
    meta.dynamic = tuple(dynamic)
    return meta, declared


def inherit_meta(
    own: ModelMeta,
    declared: set[str],
    has_meta: bool,
    extends_parent_meta: bool,
    abstract_parent: ModelMeta | None,
    concrete_parent: ModelMeta | None,
) -> ModelMeta:
    """Apply Django's rules: an abstract parent's Meta is inherited when the child
    declares none (or subclasses it); a concrete parent passes on `ordering` and
    `get_latest_by` only."""
    if abstract_parent is not None and (not has_meta or extends_parent_meta):
        merged = dataclasses.replace(abstract_parent, abstract=False, proxy=False, db_table=None)
        for name in declared:
            key = "default_manager" if name == "default_manager_name" else name
            if hasattr(own, key):
                setattr(merged, key, getattr(own, key))
        merged.abstract, merged.proxy = own.abstract, own.proxy
        own = merged
    if concrete_parent is not None:
        if "ordering" not in declared and not own.ordering:
            own.ordering = concrete_parent.ordering
        if "get_latest_by" not in declared and own.get_latest_by is None:
            own.get_latest_by = concrete_parent.get_latest_by
    return own
