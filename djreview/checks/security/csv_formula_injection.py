"""DJR319: request data written into CSV cells unguarded."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck


class CsvFormulaInjection(TaintCheck):
    """Request data is written into a CSV export without neutralising formulas.

    ## What it does
    Flags request data reaching `csv.writer(...).writerow()` /
    `writerows()`.

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
