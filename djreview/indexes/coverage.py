"""Which columns an existing index already serves, and why.

A B-tree serves a lookup on its leading column, so a column counts as
covered when it is the primary key, unique, `db_index`, a ForeignKey or
OneToOne (unless `db_index=False`), or the first field of an unconditional
`Meta.indexes` entry, `unique_together`, `UniqueConstraint`, `index_together`
or an index a migration creates. A conditional (partial) index counts only
for a query that filters on every field of its simple `condition=Q(...)`.
"""

from __future__ import annotations

from djreview.indexes.model_defs import ModelDef
from djreview.project.migrations import MigrationIndex


class Coverage:
    """Answers 'is this column already the leading column of an index?'."""

    def __init__(self, migration_indexes: list[MigrationIndex]) -> None:
        self.by_model: dict[str, list[MigrationIndex]] = {}
        for index in migration_indexes:
            if index.model is not None and not index.condition and index.kind == "btree":
                self.by_model.setdefault(index.model, []).append(index)

    def _index_lists(
        self, model: ModelDef, filtered: frozenset[str] = frozenset()
    ) -> list[tuple[tuple[str, ...], str]]:
        found = [
            (index.fields, index.origin)
            for index in model.indexes
            if not index.conditional
            or (index.condition_fields and set(index.condition_fields) <= filtered)
        ]
        # RunSQL indexes name columns (`author_id`), AddIndex names fields.
        columns = {f.column: f.name for f in model.fields.values()}
        for index in self.by_model.get(model.key, []):
            names = (c.strip('"` ').lstrip("-") for c in index.fields)
            fields = tuple(columns.get(name, name) for name in names)
            found.append((fields, f"migration {index.location.path}:{index.location.start_line}"))
        return found

    def reason(
        self, model: ModelDef, name: str, filtered: frozenset[str] = frozenset()
    ) -> str | None:
        """Why `name` is already indexed as a leading column, or None.

        `filtered`: every field the query filters on, so that a partial index
        whose `condition=Q(...)` names only those fields counts.
        """
        found = model.field(name)
        if found is not None:
            if found.primary_key:
                return "primary key"
            if found.unique:
                return "unique=True"
            if found.db_index:
                return "db_index=True"
            if found.relation and found.db_index is not False:
                return "ForeignKey index"
            if found.indexed:
                return f"{found.base_type} index"
        for fields, origin in self._index_lists(model, filtered):
            if fields and fields[0] == name:
                return origin
        return None

    def serves_prefix(self, model: ModelDef, names: tuple[str, ...]) -> bool:
        """Whether one index starts with exactly these columns (any order of the equal ones)."""
        if len(names) == 1:
            return self.reason(model, names[0]) is not None
        return any(fields[: len(names)] == names for fields, _ in self._index_lists(model))

    def leads_with(self, model: ModelDef, first: str, then: frozenset[str]) -> bool:
        """Whether an index starts with `first` followed by one of `then` (in either order)."""
        return any(
            len(fields) > 1
            and (
                (fields[0] == first and fields[1] in then)
                or (fields[1] == first and fields[0] in then)
            )
            for fields, _ in self._index_lists(model)
        )
