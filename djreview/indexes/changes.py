"""Index fixes: one model edit plus one migration each, merged per app when applied together.

Each fix carries only its own index: the model edit and a migration
numbered after the app's leaf (NNNN+1) that depends on the leaf alone. When
one `djreview fix` run applies several fixes of an app, their migrations are
merged into one file named for what it adds (djreview/fix/migration_merge.py),
so a run writes at most one migration per app.

Single columns get `db_index=True` and an AlterField when the field's
definition can be copied statically; otherwise, and for composite indexes,
an entry in `Meta.indexes` and an AddIndex. The safe `Meta.indexes`
additions of one model are one change, since two edits of one `Meta` would
touch the same lines.

Applicability follows the index's safety: a B-tree on unbounded text
(`TextField`) is only a suggestion (PostgreSQL refuses index rows over
about 2.7 kB), so is a low-cardinality column (boolean, short choices)
alone (a partial index `condition=Q(flag=...)` is the right shape; with a
range or order-by column after it, the composite is safe), and a model
Django does not manage (`managed = False`) gets no fix, since its
migrations emit no SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from djreview.indexes.migration_leaf import AppMigrations
from djreview.indexes.migration_writer import (
    add_index_operation,
    alter_field_operation,
    index_source,
    migration_name,
    migration_text,
)
from djreview.indexes.model_defs import ModelDef
from djreview.indexes.model_edit import add_db_index, add_meta_indexes, edit_between
from djreview.indexes.ranking import Need
from djreview.model import Applicability, Edit, Fix, Location
from djreview.source.code_style import style_for
from djreview.source.project import Project

MODELS_IMPORTED = re.compile(r"^\s*from\s+django\.db\s+import\s+[^\n]*\bmodels\b", re.MULTILINE)


@dataclass
class Change:
    """One model edit and the migration operation that matches it."""

    model: ModelDef
    edit: Edit
    operation: str
    fragment: str
    summary: str


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
        edit_between(model.file.rel, model.file.text, new),
        operation[0],
        operation[1],
        f"db_index=True on {model.name}.{found.name}",
    )


def _meta_change(needs: list[Need]) -> Change | None:
    model = needs[0].model
    entries = [index_source(model, need.fields) for need in needs]
    width = style_for(model.file.path).line_length
    new = add_meta_indexes(model.file.text, model.name, entries, width)
    if new is None:
        return None
    operations = [add_index_operation(model, need.fields) for need in needs]
    listed = ", ".join("(" + ", ".join(need.fields) + ")" for need in needs)
    return Change(
        model,
        edit_between(model.file.rel, model.file.text, new),
        "".join(op for op, _ in operations),
        "_".join(fragment for _, fragment in operations),
        f"Meta.indexes {listed} on {model.name}",
    )


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
    """Fixes by `id(need)` for every fixable need; each depends on its app's leaf only.

    The safe `Meta.indexes` additions of one model form one change (two
    fixes cannot both create `Meta`); every other fix is its need's alone.
    """
    planned: list[tuple[list[Need], Change | None]] = []
    shared: dict[str, list[Need]] = {}
    for need in needs:
        model = need.model
        if need.kind == "text" or not MODELS_IMPORTED.search(model.file.text):
            continue
        chain = migrations.get(model.app)
        if chain is None or not chain.leaf or not model.managed:
            continue
        change = _db_index_change(need) if len(need.fields) == 1 else None
        if change is not None or applicability(need) is not Applicability.SAFE:
            planned.append(([need], change))
        elif model.key in shared:
            shared[model.key].append(need)
        else:
            shared[model.key] = [need]
            planned.append((shared[model.key], None))
    fixes: dict[int, Fix] = {}
    for group, planned_change in planned:
        change = planned_change or _meta_change(group)
        chain = migrations[group[0].model.app]
        if change is None:
            continue
        name = migration_name(chain.next_number, [change.fragment])
        path = f"{chain.folder}/{name}.py"
        if path in project.by_rel:
            continue
        text = migration_text(group[0].model.app, chain.leaf, [change.operation])
        fix = Fix(
            description=f"add {change.summary} and migration {name}",
            edits=(change.edit, Edit(Location(path, 1, 1), text)),
            applicability=applicability(group[0]),
        )
        fixes.update({id(need): fix for need in group})
    return fixes
