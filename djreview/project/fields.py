"""Reading model field declarations (`title = models.CharField(max_length=200)`)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from djreview.project.literals import keyword, literal_bool, literal_int, literal_str
from djreview.project.model_types import FieldInfo, Relation
from djreview.project.modules import dotted_name
from djreview.source.file import SourceFile


def relation_of(class_name: str) -> Relation | None:
    """The relation kind a field class name implies (also for TreeForeignKey and friends)."""
    if class_name == "GenericForeignKey":
        return "generic_fk"
    if class_name == "GenericRelation":
        return "generic_relation"
    if class_name == "TaggableManager":
        return "m2m"  # django-taggit: a many-to-many to the tag model through `through`
    if "ManyToMany" in class_name:
        return "m2m"
    if "OneToOne" in class_name:
        return "o2o"
    if class_name.endswith("ForeignKey"):
        return "fk"
    return None


def looks_like_field_class(class_name: str) -> bool:
    """Third-party field classes we cannot see into, recognised by their names."""
    return class_name.endswith(("Field", "ForeignKey")) or class_name in (
        "GenericForeignKey",
        "GenericRelation",
        "TaggableManager",
    )


class FieldClass(NamedTuple):
    """A model field class: its name, relation kind, and the Django (or third-party)
    class at the root of its project subclass chain (`SlugField` for `class
    MySlug(SlugField)`)."""

    name: str
    relation: Relation | None
    base_type: str
    # Options the class's own `__init__` switches on (`unique`, `db_index`).
    forced: frozenset[str] = frozenset()


FORCEABLE = frozenset({"unique", "db_index"})


def forced_options(node: ast.ClassDef) -> frozenset[str]:
    """The options a field class's `__init__` sets to True whatever the caller passes.

    Reads `kwargs["unique"] = True`, `kwargs.setdefault("unique", True)` and
    `super().__init__(..., unique=True)`, as custom uid fields do.
    """
    init = next(
        (s for s in node.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None
    )
    found: set[str] = set()
    for item in ast.walk(init) if init is not None else ():
        if isinstance(item, ast.Assign) and literal_bool(item.value) is True:
            for target in item.targets:
                if isinstance(target, ast.Subscript):
                    key = literal_str(target.slice)
                    found.update({key} & FORCEABLE if key else set())
        elif isinstance(item, ast.Call) and isinstance(item.func, ast.Attribute):
            args = item.args
            if item.func.attr == "setdefault" and len(args) == 2 and literal_bool(args[1]):
                key = literal_str(args[0])
                found.update({key} & FORCEABLE if key else set())
            elif item.func.attr == "__init__":
                found.update(
                    kw.arg
                    for kw in item.keywords
                    if kw.arg in FORCEABLE and literal_bool(kw.value) is True
                )
    return frozenset(found)


@dataclass
class Declaration:
    """A field assignment in a model body, kept so abstract children can re-read it."""

    name: str
    call: ast.Call
    module: str
    file: SourceFile
    kind: FieldClass


def target_expr(call: ast.Call, base_type: str = "") -> ast.expr | None:
    """The related-model argument of a relation field: first positional or `to=`.

    django-taggit's TaggableManager takes its verbose name first: only `to=` counts.
    """
    if call.args and base_type != "TaggableManager":
        return call.args[0]
    return keyword(call, "to")


def reference_text(expr: ast.expr | None) -> str | None:
    """A relation target as written: a string literal's text or a dotted name."""
    if expr is None:
        return None
    text = literal_str(expr)
    return text if text is not None else dotted_name(expr)


def _choices_count(
    value: ast.expr | None, count_members: Callable[[ast.expr], int | None]
) -> int | None:
    if isinstance(value, ast.List | ast.Tuple):
        return len(value.elts)
    if value is not None:
        return count_members(value)
    return None


def field_info(
    declaration: Declaration,
    model_label: str,
    count_members: Callable[[ast.expr], int | None],
) -> FieldInfo:
    """A FieldInfo for `declaration` belonging to `model_label` (target left unresolved)."""
    call, name, relation = declaration.call, declaration.name, declaration.kind.relation
    options = {kw.arg: kw.value for kw in call.keywords if kw.arg}
    db_column = literal_str(options.get("db_column"))
    if relation in ("fk", "o2o"):
        column: str | None = db_column or f"{name}_id"
    elif relation is None:
        column = db_column or name
    else:
        column = None
    choices = options.get("choices")
    primary_key = literal_bool(options.get("primary_key")) is True
    through = options.get("through")
    symmetrical = literal_bool(options.get("symmetrical"))
    return FieldInfo(
        name=name,
        field_type=declaration.kind.name,
        base_type=declaration.kind.base_type,
        model=model_label,
        column=column,
        # GenericRelation forces null=True (Django's own __init__ does).
        null=literal_bool(options.get("null")) is True or relation == "generic_relation",
        blank=literal_bool(options.get("blank")) is True,
        unique=literal_bool(options.get("unique")) is True
        or primary_key
        or relation == "o2o"
        or "unique" in declaration.kind.forced,
        db_index=True
        if "db_index" in declaration.kind.forced
        else literal_bool(options.get("db_index")),
        primary_key=primary_key,
        choices=choices is not None,
        choices_count=_choices_count(choices, count_members),
        max_length=literal_int(options.get("max_length")),
        relation=relation,
        target_raw=reference_text(target_expr(call, declaration.kind.base_type))
        if relation not in (None, "generic_fk")
        else None,
        related_name=literal_str(options.get("related_name")),
        related_query_name=literal_str(options.get("related_query_name")),
        through=reference_text(through),
        symmetrical=symmetrical,
        parent_link=literal_bool(options.get("parent_link")) is True,
        node=call,
        location=declaration.file.node_location(call),
    )


def field_assignment(statement: ast.stmt) -> tuple[str, ast.expr] | None:
    """(name, value) of `name = value` / `name: T = value` in a class body."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if isinstance(target, ast.Name):
            return target.id, statement.value
    if (
        isinstance(statement, ast.AnnAssign)
        and statement.value is not None
        and isinstance(statement.target, ast.Name)
    ):
        return statement.target.id, statement.value
    return None
