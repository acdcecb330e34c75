"""Which columns an existing index already serves, and why.

A B-tree serves a lookup on its leading column, so a column counts as
covered when it is the primary key, unique, `db_index`, a ForeignKey or
OneToOne (unless `db_index=False`), or the first field of an unconditional
`Meta.indexes` entry, `unique_together`, `UniqueConstraint`, `index_together`
or an index a migration creates. A conditional (partial) index counts only
for a query that filters on every field of its simple `condition=Q(...)`.

A GIN or GiST index a migration creates directly on a text column
(`USING gin (summary gin_trgm_ops)`, `GistIndex(fields=["username"])`) can
only be a trigram (or btree_gist) index: it serves that column's text
searches and its equality lookups, never an ORDER BY.
"""

from __future__ import annotations

from djreview.indexes.model_defs import ModelDef
from djreview.project.migrations import MigrationIndex


class Coverage:
    """Answers 'is this column already the leading column of an index?'."""

    def __init__(self, migration_indexes: list[MigrationIndex]) -> None:
        self.by_model: dict[str, list[MigrationIndex]] = {}
        # model -> leading columns of unconditional GIN/GiST indexes.
        self.search: dict[str, set[str]] = {}
        for index in migration_indexes:
            if index.model is None or index.condition:
                continue
            if index.kind == "btree":
                self.by_model.setdefault(index.model, []).append(index)
            elif index.kind in ("gin", "gist") and index.fields:
                self.search.setdefault(index.model, set()).add(index.fields[0].strip('"` '))

    def searchable(self, model: ModelDef, name: str) -> bool:
        """Whether a GIN/GiST (trigram) index a migration creates leads with `name`."""
        found = model.field(name)
        return bool({name, found.column if found else name} & self.search.get(model.key, set()))

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

    def pins(
        self,
        model: ModelDef,
        equal: frozenset[str],
        selective: frozenset[str],
        then: str | None = None,
    ) -> bool:
        """Whether an index's leading columns are all equality columns of the query and
        include every selective one (`unique_together (channel, probe, platform)` for
        `filter(channel=c, probe=p, platform=f)`, flags and choices included).

        With `then` (the query's range or sort column), the index must go on with
        it right after those columns: `(repository, job_type, start_time)` pins
        `filter(repository=r, job_type=t)` but scans every row of the key for
        `filter(repository=r, submit_time__lt=d)`.
        """
        for fields, _ in self._index_lists(model, equal):
            prefix: list[str] = []
            for name in fields:
                if name not in equal:
                    break
                prefix.append(name)
            rest = fields[len(prefix) :]
            if (
                prefix
                and selective <= set(prefix)
                and (then is None or then in prefix or (rest and rest[0] == then))
            ):
                return True
        return False

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
