"""From lookup sites to index needs: one per (model, column set), ranked and explained.

Decisions (documented in docs/triage/missing-indexes.md):
- a query whose equality filter already hits an indexed column is served;
- equality columns come first in a suggested composite, then the first range
  column or, failing that, the first order-by column;
- low-cardinality columns (booleans, short choices) alone never make a need;
  with a range/order column they lead a composite (`status, created_at`),
  unless that column is already indexed (its own index serves the query);
- a text search makes no need when the query also filters by an indexed
  selective equality (`project_id=`, `job_id__in=`: that index leaves a
  handful of rows), nor on a column with choices (an enumeration), nor on
  a column a migration's GIN/GiST (trigram) index already serves; such an
  index serves the column's equality lookups too;
- a range alone makes a need only on date and time columns (`created__gte`):
  `stock__gt=0` style ranges on numbers usually match most rows; on a
  nullable one (`deleted_at__lt=cutoff`) the need is a partial index
  `condition=Q(deleted_at__isnull=False)` over the few rows with a value;
- sites in tests, migrations, management commands and factories, and admin
  pages (search_fields, ordering, list_filter), count as related locations
  but never create a need on their own: they run rarely, on small data or on
  staff pages;
- a lookup through a forward relation (`project__ping_key`) joins on the
  ForeignKey, whose index serves the queried model; the need is on the
  related model's column;
- a partial index counts for a query that filters on every field of its
  simple `condition=Q(...)`;
- a model with no evidence that its table grows (djreview.indexes.table_size)
  gets no need at all;
- `Meta.ordering` of a model with a ForeignKey makes no need unless its rows
  are timestamped events: such lists are read per parent row, where the
  ForeignKey's index leaves a handful of rows to sort;
- `order_by` needs come only from request-path code (views, APIs, admin) or
  from `Meta.ordering` of a model that some list view or API list shows
  (an admin changelist is a staff page: it never makes a need alone);
- a need whose columns are a prefix of another need's on the same model is
  merged into it, since the longer index serves both;
- needs that only options make (`search_fields`, `ordering_fields`,
  `filterset_fields`, a FilterSet's filters: what a client may send, not a
  query the code runs) are one note per rule and model, every listed column
  in it (weak evidence, grouped); a note naming several columns has no fix
  (each is its own index, not a composite, and which ones clients use is
  unknown).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from djreview.indexes.coverage import Coverage
from djreview.indexes.lookups import Site
from djreview.indexes.model_defs import FieldDef, ModelDef, Schema
from djreview.indexes.table_size import TableSizes
from djreview.model import Severity

TEMPORAL_FIELDS = frozenset(
    {
        "DateTimeField",
        "DateField",
        "TimeField",
        "CreationDateTimeField",
        "ModificationDateTimeField",
        "AutoCreatedField",
        "AutoLastModifiedField",
    }
)
# Admin changelist filters are mostly low-selectivity (choices, dates, flags) and
# run on staff pages: they support a need others create, never create one.
WEAK_SOURCES = frozenset({"list_filter"})
# Options that list what a client may filter, sort or search by: weak evidence that
# anyone does; a need they alone make is a note, and only on a large table.
OPTION_SOURCES = frozenset(
    {"filterset_fields", "filter_fields", "filterset", "search_fields", "ordering_fields"}
)
REQUEST_CONTEXTS = frozenset({"view", "api", "admin"})
CONTENT_TYPE = "contenttypes.ContentType"
CONTEXT_WEIGHT = {"view": 3, "api": 3, "admin": 2, "model": 2, "code": 1, "offline": 0}
OPTION_LABEL = {
    "filterset_fields": "filterset_fields option",
    "filter_fields": "filter_fields option",
    "filterset": "FilterSet filter",
    "search_fields": "search_fields option",
    "ordering_fields": "ordering_fields option",
}
CONTEXT_LABEL = {
    "view": "view",
    "api": "API",
    "admin": "admin",
    "model": "Meta",
    "code": "code",
    "offline": "test/migration/command",
}


@dataclass
class Need:
    """An index the code asks for: `kind` is lookup, text or order."""

    kind: str
    model: ModelDef
    fields: tuple[str, ...]
    sites: list[Site] = field(default_factory=list)
    lookup: str = ""
    listed: bool = False
    # Why the table is large (djreview.indexes.table_size), for the message.
    size: str = ""
    # A partial index's condition (`deleted_at__isnull=False`) when the rows the
    # query reads are the few with a value in a mostly-NULL column.
    condition: str = ""
    # Only options name it (search_fields, ordering_fields, FilterSet filters): its
    # columns are separate options, grouped into one note, never one composite index.
    options: bool = False

    @property
    def score(self) -> int:
        """Ranking weight: request-path sites, detail lookups and listed models count most."""
        total = sum(
            CONTEXT_WEIGHT[site.context] + (1 if site.detail and site.context != "offline" else 0)
            for site in self.sites
        )
        return total + (2 if self.listed else 0)

    @property
    def on_request_path(self) -> bool:
        """Whether a view, API endpoint or admin page runs the lookup."""
        return any(site.context in REQUEST_CONTEXTS for site in self.sites) or (
            self.listed and any(site.source == "Meta.ordering" for site in self.sites)
        )

    @property
    def severity(self) -> Severity:
        """Warning on the request path, else note; text searches and option-only needs are notes."""
        if self.kind == "text" or not self.on_request_path or self.options:
            return Severity.NOTE
        return Severity.WARNING

    def where(self) -> str:
        """'2 view, 1 admin' style summary of the sites: each label with its count, in the
        singular ('2 FilterSet filter' for options)."""
        counts: dict[str, int] = {}
        for site in self.places():
            option = OPTION_LABEL.get(site.source) if self.options else None
            label = option or CONTEXT_LABEL[site.context]
            counts[label] = counts.get(label, 0) + 1
        return ", ".join(
            f"{count} {label}" for label, count in sorted(counts.items(), key=lambda kv: -kv[1])
        )

    def places(self) -> list[Site]:
        """The sites, one per place in the code (a FilterSet filter's range and equality
        forms are one option)."""
        if not self.options:
            return self.sites
        return list({site.location: site for site in self.sites}.values())

    def primary(self) -> Site:
        """The site the finding is reported at: the heaviest, then the first in the file order.

        Never an offline site (tests, commands) while another site exists.
        """
        return min(
            self.sites,
            key=lambda s: (
                s.context == "offline",
                -CONTEXT_WEIGHT[s.context] - s.detail,
                s.location,
            ),
        )


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


class Ranker:
    """Turns sites into needs for one project."""

    def __init__(
        self, schema: Schema, coverage: Coverage, listed: set[str], sizes: TableSizes
    ) -> None:
        self.schema = schema
        self.coverage = coverage
        self.listed = listed
        self.sizes = sizes
        self.needs: dict[tuple[str, str, tuple[str, ...]], Need] = {}

    def _need(
        self,
        kind: str,
        model: ModelDef,
        fields: tuple[str, ...],
        site: Site,
        lookup: str = "",
        condition: str = "",
    ) -> None:
        if kind != "text" and self.coverage.serves_prefix(model, fields):
            return
        key = (kind, model.key, fields)
        need = self.needs.get(key)
        if need is None:
            need = self.needs[key] = Need(
                kind,
                model,
                fields,
                lookup=lookup,
                listed=model.key in self.listed,
                size=self.sizes.why(model),
                condition=condition,
            )
        elif need.condition != condition:
            need.condition = ""  # another query reads the column whole: a full index
        need.sites.append(site)

    def add(self, site: Site) -> None:
        """Record what one site needs, if anything."""
        site = self._on_table_owner(site)
        model = self.schema.models.get(site.model)
        if model is None or model.abstract or not self.sizes.large(model):
            return
        site = _btree_only(model, site)
        if site.parent is not None and self._served(site.parent):
            return  # the joined-from table is searched by its own index first
        # An indexed equality column serves the query unless it is a flag or status;
        # a join's ForeignKey counts here (the related table may be searched first).
        served = self._served(site, through_joins=True)
        for name, lookup in site.text:
            found = model.field(name)
            # A text search ANDed with an indexed equality (`project_id=`, `job_id__in=`)
            # scans only the rows that index leaves; one on a choices column matches
            # whole groups of values, which no trigram index narrows.
            if found is not None and not (
                found.primary_key
                or found.has_choices
                or served
                or self.coverage.searchable(model, name)
            ):
                self._need("text", model, (name,), site, lookup)
        equal = _dedupe(site.equal)
        if self._served(site, through_joins=True, fk_leads=True):
            return
        selective = [n for n in equal if not _low(model, n)]
        low = [n for n in equal if _low(model, n)]
        # Ordering or ranging by the primary key after an equality adds nothing worth indexing.
        tail = [n for n in (site.ranges[:1] or site.order[:1]) if not _primary(model, n)]
        then = tail[0] if tail else None
        if selective and self.coverage.pins(model, frozenset(equal), frozenset(selective), then):
            return  # an index led by the query's equality columns (flags too) serves it
        if selective:
            self._need("lookup", model, tuple(_dedupe(selective + tail)), site)
        elif low and tail and self.coverage.reason(model, tail[0]) is None:
            # Flags before an indexed range/order column add little to its own index.
            self._need("lookup", model, tuple(_dedupe(low + tail)), site)
        elif site.ranges:
            column = site.ranges[0]
            # A partial index over the column's non-NULL rows serves a range on it.
            filtered = frozenset(site.equal + site.ranges)
            if self.coverage.reason(model, column, filtered) is None and _temporal(model, column):
                self._need("lookup", model, (column,), site, condition=_partial(model, column))
        elif site.order and not low:
            # A trailing primary key only breaks ties; the index needs the columns before it.
            order = tuple(
                _dedupe(site.order[:1] + [n for n in site.order[1:] if not _primary(model, n)])
            )
            from_meta = site.source == "Meta.ordering"
            if from_meta and _narrowed_by_parent(model) and not self._read_whole(model):
                return
            if (
                site.context in REQUEST_CONTEXTS or (from_meta and model.key in self.listed)
            ) and not (self.coverage.serves_prefix(model, order[:1])):
                self._need("order", model, order, site)

    def _on_table_owner(self, site: Site) -> Site:
        """The site on the managed model owning the table of an unmanaged one it queries.

        A read-only or shadow model (`managed = False`, another model's
        `db_table`) reads that model's rows through that model's indexes; the
        index goes on the managed model, where migrations create it. Fields
        are matched by column; a site naming a column the owner lacks stays.
        """
        parent = self._on_table_owner(site.parent) if site.parent is not None else None
        if parent is not site.parent:
            site = dataclasses.replace(site, parent=parent)
        model = self.schema.models.get(site.model)
        owner = self.schema.table_owner(model) if model is not None else None
        if model is None or owner is None:
            return site
        columns = {f.column: f.name for f in owner.fields.values()}
        renamed: dict[str, str] = {}
        for name in [*site.equal, *site.ranges, *(n for n, _ in site.text), *site.order]:
            found = model.field(name)
            column = columns.get(found.column) if found is not None else None
            if column is None:
                return site
            renamed[name] = column
        return dataclasses.replace(
            site,
            model=owner.key,
            equal=[renamed[n] for n in site.equal],
            ranges=[renamed[n] for n in site.ranges],
            text=[(renamed[n], lookup) for n, lookup in site.text],
            order=[renamed[n] for n in site.order],
            via=[renamed.get(n, n) for n in site.via],
        )

    def _read_whole(self, model: ModelDef) -> bool:
        """Whether lists in `Meta.ordering` order read the whole table, not one parent's rows.

        A timestamped event table whose keys all point at tables without growth
        evidence (a log per repository, per job type) is read across parents; one
        with a key to a growing table (a user's notifications, a hook's logs) is
        read per parent, where the key-led composite of those queries serves it.
        """
        if not self.sizes.events(model):
            return False
        return not any(self._growing(f) for f in model.fields.values() if f.relation)

    def _growing(self, found: FieldDef) -> bool:
        """Whether a relation points at a table that grows (Django's own user model too)."""
        target = self.schema.target(found)
        if target is None:
            return found.target == self.schema.index.user_model_label
        return self.sizes.large(target)

    def _served(self, site: Site, through_joins: bool = False, fk_leads: bool = False) -> bool:
        """Whether an indexed, selective equality column serves `site` (joins' keys if asked).

        With `fk_leads`, a ForeignKey's own index does not serve a query that
        also filters or sorts on other columns (`filter(repository=r,
        submit_time__lt=t)`) when one parent has many rows: the need is a
        composite led by the key (see `_fk_leads`).
        """
        model = self.schema.models.get(site.model)
        if model is None:
            return False
        filtered = frozenset(site.equal + site.ranges)
        for name in site.equal:
            # A join's key serves only when asked, or when the query also filters it
            # directly (`project_id=p, project__archived_at=...`: one joined row).
            direct = site.equal.count(name) > site.via.count(name)
            if not (through_joins or direct) or _low(model, name):
                continue
            reason = self.coverage.reason(model, name, filtered)
            if not reason:
                if self.coverage.searchable(model, name):
                    return True  # a GIN/GiST index on the column serves its equality
                continue
            fk_only = fk_leads and reason == "ForeignKey index" and name not in site.via
            if fk_only and self._fk_leads(model, site, name):
                continue
            return True
        return False

    def _fk_leads(self, model: ModelDef, site: Site, name: str) -> bool:
        """Whether a composite led by the ForeignKey `name` would narrow `site` further.

        A key to a table with no growth evidence (repositories, projects,
        categories) may leave many rows per parent: a time window or a sort
        of one parent's rows says they accumulate, which makes the composite
        worth it; an equality on another column (a round's panel by rank)
        says nothing of how many rows a parent holds. A key to a growing table (users,
        issues, threads) leaves a handful per parent (an issue's links, a
        project's labels: hand triage found those not worth it), unless the
        query ranges over time (a user's posts since a date) or the rows are
        timestamped events, which accumulate per parent without bound.
        """
        others = [
            n
            for n in site.equal
            if n != name and n not in site.via and not _primary(model, n) and not _low(model, n)
        ]
        ranges = [n for n in site.ranges if not _primary(model, n)]
        order = [n for n in site.order[:1] if not _primary(model, n)]
        if not (others or ranges or order):
            return False
        columns = [*others, *ranges, *order]
        found = model.field(name)
        target = self.schema.target(found) if found is not None else None
        many_parents = found is not None and self._growing(found)
        # The other column's own index, or one led by the key and then a column
        # of the query, already narrows the rows past the key. An index on the
        # sort column alone does so only when one parent holds many of the rows;
        # among many parents it walks everyone's rows to find one parent's.
        narrowing = [*others, *ranges] if many_parents else columns
        if any(self.coverage.reason(model, n) for n in narrowing) or self.coverage.leads_with(
            model, name, frozenset(columns)
        ):
            return False
        if target is None and not many_parents:
            # A generic relation's content type: one row per model class, each with
            # every object of that class (`content_type=ct, object_id=pk`).
            return found is not None and found.target == CONTENT_TYPE
        if not many_parents:
            # A time window or a sort over one parent's rows says they accumulate (a
            # repository's jobs by start time); an equality on another column (a
            # round's panel by rank, a calendar's venue by name) says nothing of how
            # many rows one parent holds.
            sequence = [*ranges, *order]
            return any(_temporal(model, n) for n in sequence) or self.sizes.events(model)
        # A log or event table keeps every row it was ever sent: one user's
        # notifications, one job's log lines pile up past any handful.
        return any(_temporal(model, n) for n in ranges) or self.sizes.events(model)

    def result(self) -> list[Need]:
        """Needs after prefix merging, without those only offline code has; best first.

        Offline-only needs never become findings, but their sites join a
        surviving need on the same columns as related locations.
        """
        ordered = sorted(self.needs.values(), key=lambda n: (-len(n.fields), n.model.key, n.fields))
        live = [n for n in ordered if any(_strong(site) for site in n.sites)]
        kept: list[Need] = []
        for need in [*live, *(n for n in ordered if n not in live)]:
            host = next((m for m in kept if _serves(m, need)), None)
            if host is not None:
                host.sites.extend(need.sites)
            elif need in live:
                kept.append(need)
        kept = _group_options(kept)
        for need in kept:
            need.sites.sort(key=lambda s: s.location)
        return sorted(kept, key=lambda n: (-n.score, n.model.key, n.fields))


def _group_options(needs: list[Need]) -> list[Need]:
    """One note per kind, model and lookup for the needs only options make (with, at most,
    admin, test or command sites, which never make a need of their own).

    An option (`search_fields`, `ordering_fields`, `filterset_fields`, a
    FilterSet's filter) lists what a client may search, sort or filter by,
    not what anyone runs: weak evidence, reported once per model with every
    listed column, not once per column, and never as one composite index.
    """
    out: list[Need] = []
    groups: dict[tuple[str, str, str], Need] = {}
    for need in needs:
        # Admin pages, tests and commands join a need but never make one: options alone did.
        if any(_strong(s) and s.source not in OPTION_SOURCES for s in need.sites):
            out.append(need)
            continue
        need.options = True
        host = groups.get((need.kind, need.model.key, need.lookup))
        if host is None:
            groups[(need.kind, need.model.key, need.lookup)] = need
            out.append(need)
            continue
        host.fields = tuple(_dedupe([*host.fields, *need.fields]))
        known = {site.location for site in host.sites}
        host.sites.extend(site for site in need.sites if site.location not in known)
    return out


def _btree_only(model: ModelDef, site: Site) -> Site:
    """The site without columns a B-tree does not serve (arrays, JSON, search vectors)."""

    def keep(name: str) -> bool:
        found = model.field(name)
        return found is None or found.btree

    return dataclasses.replace(
        site,
        equal=[n for n in site.equal if keep(n)],
        ranges=[n for n in site.ranges if keep(n)],
        text=[(n, lookup) for n, lookup in site.text if keep(n)],
        order=[n for n in site.order if keep(n)],
    )


def _strong(site: Site) -> bool:
    """Whether a site can create a need by itself: not offline code, not an admin page.

    Admin changelists (search, ordering, filters) are staff pages over tables
    whose hot paths are elsewhere: they join a need others create. So do a
    django-filter FilterSet's equality filters; its time-window filters
    (`last_modified__gt`, what polling clients send) make a need, a note.
    """
    if site.source == "filterset" and not site.ranges:
        return False  # a FilterSet's equality filters are a client's options, no hot query
    return site.context not in ("offline", "admin") and site.source not in WEAK_SOURCES


def _serves(host: Need, need: Need) -> bool:
    """Whether the index `host` asks for also serves `need` (same model, its columns first)."""
    if host.model is not need.model or (host.kind == "text") != (need.kind == "text"):
        return False
    return host.fields[: len(need.fields)] == need.fields and host.lookup == need.lookup


def _narrowed_by_parent(model: ModelDef) -> bool:
    """Whether rows hang off a parent row (a ForeignKey): lists of them are read per parent,
    where the ForeignKey's index leaves a handful of rows to sort."""
    return any(f.relation for f in model.fields.values())


def _partial(model: ModelDef, name: str) -> str:
    """`name__isnull=False` for a range over a nullable timestamp, else "".

    A `null=True` date/time column is NULL until its event happens
    (`deleted_at`, `archived_at`, `sent_at`): a range over it reads only the
    rows with a value, and a partial index over those serves it at a
    fraction of a full index's size and write cost (a strict comparison
    implies IS NOT NULL, which PostgreSQL and SQLite both prove).
    """
    found = model.field(name)
    return f"{name}__isnull=False" if found is not None and found.nullable else ""


def _primary(model: ModelDef, name: str) -> bool:
    found = model.field(name)
    return found is not None and found.primary_key


def _temporal(model: ModelDef, name: str) -> bool:
    found = model.field(name)
    return found is not None and found.kind in TEMPORAL_FIELDS


def _low(model: ModelDef, name: str) -> bool:
    found = model.field(name)
    return found is not None and found.low_cardinality
