"""DJR203: sorting a listed model's rows by columns no index serves."""

from __future__ import annotations

from collections.abc import Iterable

from djreview.checks.models._index_check import IndexCheck, index_findings
from djreview.indexes.ranking import Need
from djreview.model import Finding, Severity
from djreview.source.project import Project


def _advice(need: Need) -> str:
    if len(need.fields) == 1:
        return f"add db_index=True on {need.fields[0]} so the rows are read in index order"
    return f"add models.Index(fields={list(need.fields)}) so the rows are read in index order"


class UnindexedOrdering(IndexCheck):
    """## What it does
    Finds `order_by(...)` in views and API endpoints (the admin's only
    join findings other code causes), and `Meta.ordering` of models that a
    list view or an API list shows (an admin changelist alone is a staff
    page, which never makes a finding on its own), when the first order-by
    column is not
    the leading column of an index and no indexed equality filter narrows
    the rows first. The `Meta.ordering` of a model with a ForeignKey counts
    only for timestamped event rows whose keys all point at tables without
    growth evidence (a log listed across a few desks); a log keyed to a
    growing table (a user's notifications) is read per parent, where a
    composite led by the key serves the order (DJR201).

    ## Why is this bad?
    To return the first page the database must read and sort every row
    (SQLite: `USE TEMP B-TREE FOR ORDER BY`, PostgreSQL: `Sort` over a
    `Seq Scan`); with an index it reads the first rows in order and stops.

    ## Example
    ```python
    Post.objects.order_by("-published_at")[:10]
    ```

    ## Use instead
    ```python
    published_at = models.DateTimeField(null=True, db_index=True)
    ```

    ## References
    - https://use-the-index-luke.com/sql/sorting-grouping/indexed-order-by
    - https://docs.djangoproject.com/en/stable/ref/models/options/#ordering
    """

    id = "DJR203"
    name = "unindexed-ordering"
    message = (
        "{model} rows are sorted by {fields} with no index to read them in order "
        "({places}; {size}); {advice}"
    )
    severity = Severity.WARNING
    category = "models"
    tags = ("missing-index",)
    fixable = True
    precision = "medium"
    references = ("https://use-the-index-luke.com/sql/sorting-grouping/indexed-order-by",)

    def check_project(self, project: Project) -> Iterable[Finding]:
        """One finding per unindexed (model, order-by columns)."""
        return index_findings(self, project, "order", _advice)
