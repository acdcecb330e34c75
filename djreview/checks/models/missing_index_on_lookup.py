"""DJR201: a lookup on columns no index serves."""

from __future__ import annotations

from collections.abc import Iterable

from djreview.checks.models._index_check import IndexCheck, index_findings
from djreview.indexes.ranking import Need
from djreview.model import Finding, Severity
from djreview.source.project import Project


def _advice(need: Need) -> str:
    fields = need.fields
    if need.condition:
        return (
            f"add models.Index(fields={list(fields)}, condition=models.Q({need.condition})): "
            f"a partial index over the few rows with a {fields[0]} (the rest are NULL), which "
            "the range reads; condition= works on PostgreSQL and SQLite, while MySQL and "
            "Oracle ignore it (check models.W037) and would build a full index"
        )
    if len(fields) == 1:
        table = need.model.table
        return f"add db_index=True so the database searches an index instead of scanning {table}"
    return (
        f"add models.Index(fields={list(fields)}): equality columns first, then the range or "
        "order-by column, so one index serves the whole query"
    )


class MissingIndexOnLookup(IndexCheck):
    """## What it does
    Finds model columns that querysets, views, DRF endpoints or admin pages
    filter on (`filter`, `get`, `get_object_or_404`, `Q`, `slug_field`,
    `lookup_field`, `filterset_fields`, relation spans such as
    `author__email`) when no index has them as its leading column: not the
    primary key, `unique`, `db_index`, a ForeignKey, a `Meta.indexes` entry,
    `unique_together`, a `UniqueConstraint`, `index_together` or an index a
    migration creates (a partial index counts for queries that filter on the
    fields of its `condition`). One finding per model and column set,
    reported at the field declaration where the index goes (the abstract
    base for an inherited field), the hottest query site as its first
    related location and every other site after it; findings are ranked by
    how many sites there are and whether they serve list and detail pages,
    API endpoints or the admin. Several
    equality columns queried together get one composite index suggestion
    (equality columns first, then the range or order-by column).
    Only tables the code makes large are flagged, and the message says
    why: rows created outside tests, migrations and the admin (`create`,
    `bulk_create`, create endpoints not only staff can write), rows owned by
    a user that also hang off a growing table (a user key alone says who
    owns the rows, not how many), timestamped event rows; reference tables
    only migrations or the admin fill (a module named for the admin, a
    ModelAdmin class, an admin action `(modeladmin, request, queryset)`)
    are not,
    nor standalone tables (no ForeignKey, no date/time column) other models
    point to whose rows only `get_or_create`/`update_or_create` make (one
    row per value), nor a query whose equality columns lead an existing
    index (a `unique_together` with flags or choices in it), nor a table
    only `get_or_create(key="literal")` fills (a fixed handful of settings
    rows), nor a model only the admin writes whose user columns are all
    nullable (`creator = FK(User, null=True)`: who typed it in, not an
    owner); an event-named model counts as a growing log only when a column
    stamps its rows (`auto_now_add`, `default=timezone.now`), not a calendar
    `Event` whose date staff type in. Rows a development-data generator
    makes (a module named for test, demo, sample, fake, dummy or seed data)
    are no evidence, nor rows a `post_migrate` receiver seeds; rows written
    for each saved row of another model (a receiver with `sender=`, its
    `save()`) count only when that model's table grows. Code in
    numbered one-off modules (`0009_backfill.py`) and `factory.py` counts
    as offline.
    A range over a nullable date/time column (`deleted_at__lt=cutoff` in a
    purge task) asks for a partial index,
    `Index(fields=["deleted_at"], condition=Q(deleted_at__isnull=False))`:
    the column is NULL until its event happens, so the index holds only the
    rows the range can match (PostgreSQL and SQLite; MySQL and Oracle
    ignore `condition`).
    Boolean and choice columns alone are never flagged; lookups that occur
    only in tests, migrations, management commands (and the helpers of an
    app's `management` package) or admin pages
    are not flagged (they are listed with a finding that other code causes).
    A parent's rows read through its related manager (`book.scan_logs.all()`,
    also of an owner whose type is unknown when one ForeignKey adds the
    accessor) filter on the key and sort by the model's default ordering,
    inherited ones too; a ForeignKey leads a composite when it points at
    `ContentType` (many rows per parent), or at a table without growth
    evidence and the query reads a time window or a sort of the parent's
    rows (an equality on another column says nothing of how many rows one
    parent holds), or, for a key to a growing table, when the query ranges
    over time; timestamped event rows count as piling up per parent. A
    reverse span on an identifier (`Push.objects.filter(commits__revision=r)`)
    asks for an
    index on the related model's column. A django-filter FilterSet's
    time-window filters (`Meta.fields = {"modified": ["gt", "lt"]}`) make a
    note; its equality filters, like `filterset_fields`, only join findings
    other code causes. Needs that only options make (FilterSet filters,
    `ordering_fields`, `search_fields`: what a client may send, not a query
    the code runs) are one note per model naming every such column, each an
    index of its own (weak evidence); a note naming several has no fix.
    A model whose abstract base passes Meta options on and that has no Meta
    of its own gets no `Meta.indexes` fix (a plain
    `class Meta:` would drop those options).

    ## Why is this bad?
    Without an index the database reads the whole table for every such
    query (SQLite: `SCAN`, PostgreSQL: `Seq Scan`). It is fast in development
    and slow in production, where the table is large.

    ## Example
    ```python
    class Post(models.Model):
        slug = models.CharField(max_length=200)

    Post.objects.get(slug=slug)
    ```

    ## Use instead
    ```python
    class Post(models.Model):
        slug = models.CharField(max_length=200, db_index=True)
    ```
    The fix adds `db_index=True` (or a `Meta.indexes` entry) and writes the
    matching migration (AlterField or AddIndex) after the app's latest one.

    ## References
    - https://docs.djangoproject.com/en/stable/ref/models/indexes/
    - https://docs.djangoproject.com/en/stable/topics/db/optimization/#use-standard-db-optimization-techniques
    - https://use-the-index-luke.com/sql/where-clause/the-equals-operator/concatenated-keys
    """

    id = "DJR201"
    name = "missing-index-on-lookup"
    message = (
        "{model}.{fields} is looked up with no index that serves it ({places}; {size}); {advice}"
    )
    severity = Severity.WARNING
    category = "models"
    tags = ("missing-index",)
    fixable = True
    precision = "medium"
    references = ("https://docs.djangoproject.com/en/stable/ref/models/indexes/",)

    def check_project(self, project: Project) -> Iterable[Finding]:
        """One finding per unindexed (model, column set) lookup."""
        return index_findings(self, project, "lookup", _advice)
