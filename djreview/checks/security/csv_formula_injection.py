"""DJR319: request data written into CSV cells unguarded."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck


class CsvFormulaInjection(TaintCheck):
    """Request data is written into a CSV export without neutralising formulas.

    ## What it does
    Flags request data reaching `csv.writer(...).writerow()` /
    `writerows()`.

    Not reported, deliberately: the rows of a queryset the request only
    filtered or ordered (`qs.filter(project__name=request.GET["p"])`,
    `exclude()`, `order_by()`, `distinct()`, `select_related()`,
    `prefetch_related()`), also through a helper that returns such a chain
    on its queryset parameter (tock's `get_timecardobjects()`): the lookup
    chooses which rows, their cells are database values. `annotate()` and
    `values()`, which can put the request's value into the rows, carry it.

    ## Why is this bad?
    Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` as a
    formula: `=HYPERLINK(...)` or DDE payloads fire when an administrator opens
    the export.

    ## Example
    ```python
    writer.writerow([request.POST["name"], request.POST["comment"]])
    ```

    ## Use instead
    ```python
    def cell(value):
        return "'" + value if value[:1] in ("=", "+", "-", "@") else value

    writer.writerow([cell(request.POST["name"]), cell(request.POST["comment"])])
    ```

    ## References
    - https://owasp.org/www-community/attacks/CSV_Injection
    """

    id = "DJR319"
    name = "csv-formula-injection"
    message = (
        "Request data from {source} is written into a CSV cell by {sink}; prefix formula characters"
    )
    cwe = (1236,)
    security_severity = 5.0
    precision = "medium"
    tags = ("injection",)
    kinds = frozenset({"csv"})
