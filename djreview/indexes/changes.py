"""Index fixes: the model edit plus a new migration, chained per app.

Each app's index changes become migrations numbered after the app's leaf
(NNNN+1, NNNN+2, ...), each depending on the one before, as successive
`makemigrations` runs would write them. A fix carries its own change and
every earlier change of the same app, so applying any subset of the fixes
still leaves a consistent migration chain; identical edits shared by several
fixes are applied once (djreview/fix/apply.py).

Single columns get `db_index=True` and an AlterField when the field's
definition can be copied statically; otherwise, and for composite indexes,
an entry in `Meta.indexes` and an AddIndex. All `Meta.indexes` additions of
one model form one change, so two fixes never create `Meta` twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
from djreview.source.project import Project

MODELS_IMPORTED = re.compile(r"^\s*from\s+django\.db\s+import\s+[^\n]*\bmodels\b", re.MULTILINE)


@dataclass
class Change:
    """One model edit and the migration operations that match it."""

    model: ModelDef
    needs: list[Need]
    edit: Edit
    operations: list[str]
    fragments: list[str]
    summary: str
    migration: str = ""
    migration_edit: Edit | None = None


@dataclass
class _MetaGroup:
    model: ModelDef
    needs: list[Need] = field(default_factory=list)


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
        [need],
        edit_between(model.file.rel, model.file.text, new),
        [operation[0]],
        [operation[1]],
        f"db_index=True on {model.name}.{found.name}",
    )


def _meta_change(group: _MetaGroup) -> Change | None:
    model = group.model
    entries = [index_source(model, need.fields) for need in group.needs]
    new = add_meta_indexes(model.file.text, model.name, entries)
    if new is None:
        return None
    operations = [add_index_operation(model, need.fields) for need in group.needs]
    listed = ", ".join("(" + ", ".join(need.fields) + ")" for need in group.needs)
    return Change(
        model,
        group.needs,
        edit_between(model.file.rel, model.file.text, new),
        [op for op, _ in operations],
        [frag for _, frag in operations],
        f"Meta.indexes {listed} on {model.name}",
    )


def plan_changes(
    project: Project, needs: list[Need], migrations: dict[str, AppMigrations]
) -> dict[int, Fix]:
    """Fixes by `id(need)` for every fixable need, chained per app in rank order."""
    per_app: dict[str, list[Change | _MetaGroup]] = {}
    groups: dict[str, _MetaGroup] = {}
    for need in needs:
        model = need.model
        if need.kind == "text" or not MODELS_IMPORTED.search(model.file.text):
            continue
        if model.app not in migrations or not migrations[model.app].leaf:
            continue
        ordered = per_app.setdefault(model.app, [])
        change = _db_index_change(need) if len(need.fields) == 1 else None
        if change is not None:
            ordered.append(change)
        elif model.key in groups:
            groups[model.key].needs.append(need)
        else:
            groups[model.key] = _MetaGroup(model, [need])
            ordered.append(groups[model.key])
    fixes: dict[int, Fix] = {}
    for app, ordered in per_app.items():
        chain = migrations[app]
        dependency, number = chain.leaf, chain.next_number
        done: list[Change] = []
        for item in ordered:
            change = _meta_change(item) if isinstance(item, _MetaGroup) else item
            if change is None:
                continue
            change.migration = migration_name(number, change.fragments)
            path = f"{chain.folder}/{change.migration}.py"
            if path in project.by_rel:
                break
            text = migration_text(app, dependency, change.operations)
            change.migration_edit = Edit(Location(path, 1, 1), text)
            done.append(change)
            dependency, number = change.migration, number + 1
            fixes.update({id(need): _fix(done) for need in change.needs})
    return fixes


def _fix(chain: list[Change]) -> Fix:
    own = chain[-1]
    edits: list[Edit] = []
    for change in chain:
        assert change.migration_edit is not None
        edits += [change.edit, change.migration_edit]
    before = (
        f" (with {len(chain) - 1} earlier index migration(s) of the app it depends on)"
        if len(chain) > 1
        else ""
    )
    return Fix(
        description=f"add {own.summary} and migration {own.migration}{before}",
        edits=tuple(edits),
        applicability=Applicability.SAFE,
    )
