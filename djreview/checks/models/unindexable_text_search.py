"""DJR202: a text search (icontains, iexact, ...) that no B-tree index can serve."""

from __future__ import annotations

from collections.abc import Iterable

from djreview.checks.models._index_check import IndexCheck, index_findings
from djreview.indexes.ranking import Need
from djreview.model import Finding, Severity
from djreview.source.project import Project


def _advice(need: Need) -> str:
    field = need.fields[0]
    if need.lookup == "iexact":
        return (
            f'index the expression Upper("{field}") (a functional index) or store a normalised copy'
        )
    if need.lookup in ("startswith", "istartswith"):
        return 'on PostgreSQL an index with opclasses=["varchar_pattern_ops"] serves prefix matches'
    if need.lookup == "search":
        return "add a GinIndex on a SearchVector, or a SearchVectorField"
    return (
        'on PostgreSQL add a trigram index (GinIndex with opclasses=["gin_trgm_ops"], '
        "pg_trgm extension), or use full-text search"
    )


class UnindexableTextSearch(IndexCheck):
    """## What it does
    Finds `contains`, `icontains`, `iexact`, `startswith`, `endswith` and
    `regex` lookups, and `search_fields` of the admin and DRF, on model
    columns, one finding per model and column, reported at the field
    declaration, the hottest query site first among the related locations.
    A search ANDed with an indexed equality (`project_id=`), on a choices
    column, or on a column a migration's GIN/GiST index serves, is not
    flagged; columns only `search_fields` options list make one note per model
    (weak evidence: no query in the code runs them).

    ## Why is this bad?
    These lookups compile to `LIKE '%...%'`, `UPPER(x) = UPPER(...)` or a
    regular expression: a plain B-tree index (`db_index=True`) cannot serve
    them, so the database scans the table whatever indexes exist. Adding
    `db_index` would not help; the right tool depends on the database.

    ## Example
    ```python
    Post.objects.filter(title__icontains=q)
    ```

    ## Use instead
    ```python
    from django.contrib.postgres.indexes import GinIndex

    class Post(models.Model):
        class Meta:
            indexes = [
                GinIndex(fields=["title"], name="post_title_trgm", opclasses=["gin_trgm_ops"]),
            ]
    ```
    (with `TrigramExtension()` in a migration), or full-text search with a
    `SearchVector` index; for `iexact`, an index on `Upper("email")`.

    ## References
    - https://docs.djangoproject.com/en/stable/ref/contrib/postgres/indexes/
    - https://www.postgresql.org/docs/current/pgtrgm.html
    """

    id = "DJR202"
    name = "unindexable-text-search"
    message = (
        "{model}.{fields} is searched with __{lookup} ({places}; {size}), "
        "which a B-tree index cannot serve; {advice}"
    )
    severity = Severity.NOTE
    category = "models"
    tags = ("missing-index",)
    precision = "medium"
    references = ("https://www.postgresql.org/docs/current/pgtrgm.html",)

    def check_project(self, project: Project) -> Iterable[Finding]:
        """One finding per text-searched (model, column)."""
        return index_findings(self, project, "text", _advice)
