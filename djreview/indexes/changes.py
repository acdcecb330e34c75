"""Index fixes: one model edit plus one migration each, merged per app when applied together.

Each fix carries only its own index: the model edit and a migration
numbered after the app's leaf (NNNN+1) that depends on the leaf alone. When
one `djreview fix` run applies several fixes of an app, their migrations are
merged into one file named for what it adds (djreview/fix/migration_merge.py),
so a run writes at most one migration per app.

Single columns get `db_index=True` and an AlterField when the field's
definition can be copied statically; otherwise, and for composite and
partial indexes, an entry in `Meta.indexes` and an AddIndex. Each entry is
its own fix, written as pieces (djreview.indexes.meta_pieces) that merge
with the model's other entries when a run applies several.

Applicability follows the index's safety: a B-tree on unbounded text
(`TextField`) is only a suggestion (PostgreSQL refuses index rows over
about 2.7 kB), so is a low-cardinality column (boolean, short choices)
alone (a partial index `condition=Q(flag=...)` is the right shape; with a
range or order-by column after it, the composite is safe), and a model
Django does not manage (`managed = False`) gets no fix, since its
migrations emit no SQL.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from djreview.indexes.meta_pieces import Piece, hides_inherited, index_pieces, verified_pieces
from djreview.indexes.migration_leaf import AppMigrations
from djreview.indexes.migration_writer import (
    add_index_operation,
    alter_field_operation,
    index_source,
    migration_name,
    migration_text,
)
from djreview.indexes.model_defs import ModelDef
from djreview.indexes.model_edit import add_db_index, add_meta_indexes, edit_at, edit_between
from djreview.indexes.ranking import Need
from djreview.model import Applicability, Edit, Fix, Location
from djreview.source.code_style import style_for
from djreview.source.project import Project

MODELS_IMPORTED = re.compile(r"^\s*from\s+django\.db\s+import\s+[^\n]*\bmodels\b", re.MULTILINE)


@dataclass
class Change:
    """The model edits of one index and the migration operation that matches them."""

    model: ModelDef
    edits: tuple[Edit, ...]
    operation: str
    fragment: str
    summary: str
    # The composable pieces of a `Meta.indexes` entry (djreview.indexes.meta_pieces),
    # and the entry they add.
    pieces: tuple[Piece, ...] | None = None
    entry: str = ""


def _db_index_change(need: Need) -> Change | None:
    model = need.model
    found = model.field(need.fields[0])
    if found is None:
        return None
    operation = alter_field_operation(model, found)
    new = add_db_index(model.file.text, model.name, found.name) if operation else None
    if operation is None or new is None:
        return None
    return Change(
        model,
        (edit_between(model.file.rel, model.file.text, new),),
        operation[0],
        operation[1],
        f"db_index=True on {model.name}.{found.name}",
    )


def _meta_change(need: Need) -> Change | None:
    """`need`'s own `Meta.indexes` entry: composable pieces, or one whole edit if the layout
    is unusual (correct alone; it conflicts with the model's other fixes, which are skipped)."""
    model = need.model
    if hides_inherited(model.file.text, model.name) or model.inherits_meta:
        return None  # a Meta or list of its own would drop the options its Meta inherits
    entry = index_source(model, need.fields, need.condition)
    width = style_for(model.file.path).line_length
    pieces = index_pieces(model.file.text, model.name, entry, width)
    if pieces is not None:
        edits = tuple(edit_at(model.file.rel, model.file.text, *piece) for piece in pieces)
    else:
        new = add_meta_indexes(model.file.text, model.name, [entry], width)
        if new is None:
            return None
        edits = (edit_between(model.file.rel, model.file.text, new),)
    operation, fragment = add_index_operation(model, need.fields, need.condition)
    listed = ", ".join(need.fields)
    where = f" where {need.condition}" if need.condition else ""
    summary = f"Meta.indexes ({listed}){where} on {model.name}"
    return Change(model, edits, operation, fragment, summary, pieces, entry)


def applicability(need: Need) -> Applicability:
    """How safe the index is: text columns and lone low-cardinality columns only suggested."""
    fields = [need.model.field(name) for name in need.fields]
    if any(f is not None and f.text_base for f in fields):
        return Applicability.SUGGESTION
    first = fields[0]
    if len(fields) == 1 and first is not None and first.low_cardinality:
        return Applicability.SUGGESTION
    return Applicability.SAFE


def plan_changes(
    project: Project, needs: list[Need], migrations: dict[str, AppMigrations]
) -> dict[int, Fix]:
    """Fixes by `id(need)` for every fixable need; each adds its own index only.

    Each depends on its app's leaf only; the `Meta.indexes` fixes of one
    model share their container pieces, so any of them apply together.
    When they would not (checked by applying all of a model's at once),
    each keeps a whole edit instead, and a run applies the first of them.
    """
    changes: list[tuple[Need, Change]] = []
    for need in needs:
        model = need.model
        # A note naming several option columns asks for no one index: no fix.
        several = need.options and len(need.fields) > 1
        if need.kind == "text" or several or not MODELS_IMPORTED.search(model.file.text):
            continue
        chain = migrations.get(model.app)
        if chain is None or not chain.leaf or not model.managed:
            continue
        single = len(need.fields) == 1 and not need.condition
        change = (_db_index_change(need) if single else None) or _meta_change(need)
        if change is not None:
            changes.append((need, change))
    _keep_composable(changes)
    fixes: dict[int, Fix] = {}
    for need, change in changes:
        chain = migrations[need.model.app]
        name = migration_name(chain.next_number, [change.fragment])
        path = f"{chain.folder}/{name}.py"
        if path in project.by_rel:
            continue
        text = migration_text(need.model.app, chain.leaf, [change.operation])
        fixes[id(need)] = Fix(
            description=f"add {change.summary} and migration {name}",
            edits=(*change.edits, Edit(Location(path, 1, 1), text)),
            applicability=applicability(need),
        )
    return fixes


def _keep_composable(changes: list[tuple[Need, Change]]) -> None:
    """Replace a model's pieces by whole edits when its pieces do not apply together."""
    by_model: dict[str, list[int]] = {}
    for at, (_, change) in enumerate(changes):
        if change.pieces is not None:
            by_model.setdefault(change.model.key, []).append(at)
    for members in by_model.values():
        if len(members) < 2:
            continue
        model = changes[members[0]][1].model
        entries = [changes[i][1].entry for i in members]
        groups = [changes[i][1].pieces or () for i in members]
        if verified_pieces(model.file.text, model.name, entries, groups):
            continue
        width = style_for(model.file.path).line_length
        for i, entry in zip(members, entries, strict=True):
            new = add_meta_indexes(model.file.text, model.name, [entry], width)
            if new is not None:
                whole = (edit_between(model.file.rel, model.file.text, new),)
                change = dataclasses.replace(changes[i][1], edits=whole, pieces=None)
                changes[i] = (changes[i][0], change)
