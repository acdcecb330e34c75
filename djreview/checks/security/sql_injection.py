"""DJR302: request data in raw SQL."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck


class SqlInjection(TaintCheck):
    """Request data flows into the text of a raw SQL query.

    ## What it does
    Follows data from the request (`request.GET`, `request.POST`, the body,
    headers, cookies, URL parameters, `self.kwargs`) through assignments,
    string building and helper functions, in this module and others, and flags
    it where it becomes part of the SQL text of `Manager.raw()`,
    `QuerySet.extra()`, `RawSQL()` or `cursor.execute()` / `executemany()`.
    Values passed separately as query parameters are not flagged, nor values
    converted by `int()` or `uuid.UUID()` first.

    ## Why is this bad?
    Whoever sends the request can close the quoted literal and append their own
    SQL: read other users' rows, change data or drop tables (SQL injection).

    ## Example
    ```python
    def search(request):
        q = request.GET["q"]
        return Post.objects.raw(f"SELECT * FROM blog_post WHERE title = '{q}'")
    ```

    ## Use instead
    ```python
    def search(request):
        q = request.GET["q"]
        return Post.objects.raw("SELECT * FROM blog_post WHERE title = %s", [q])
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/topics/db/sql/#passing-parameters-into-raw
    - https://owasp.org/www-community/attacks/SQL_Injection
    """

    id = "DJR302"
    name = "sql-injection"
    message = (
        "Request data from {source} is built into the SQL text of {sink}; "
        "pass it as a query parameter"
    )
    cwe = (89,)
    security_severity = 9.1
    precision = "high"
    tags = ("injection",)
    kinds = frozenset({"sql"})
