"""DJR303: raw SQL text formatted from variables (not request data)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from djreview.checks.security._strings import unsafe_parts
from djreview.engine.check import Check, walk_python
from djreview.engine.project import Project
from djreview.engine.source import SourceFile
from djreview.model import Finding, Severity
from djreview.taint.index import taint_index
from djreview.taint.sinks import sinks_of

_SAFE = frozenset({"quote_name", "sql_identifier", "Identifier"})


class SqlBuiltFromStrings(Check):
    """Raw SQL text is built by string formatting from variables.

    ## What it does
    Flags `raw()`, `extra()`, `RawSQL()` and `cursor.execute()` whose SQL is
    built at the call by an f-string, `%`, `.format()`, `+` or `join()` with
    non-constant parts, when no request data is known to reach it (that case is
    DJR302, sql-injection; one call is never reported by both). Numbers from
    `int()` and identifiers quoted by `connection.ops.quote_name()` are fine.

    ## Why is this bad?
    The values are safe today because they come from the database or the code;
    the next caller may pass user input. Query parameters are as easy to write
    and are safe whatever the value.

    ## Example
    ```python
    cursor.execute(f"DELETE FROM cart WHERE user_id = {user.pk} AND sku = '{sku}'")
    ```

    ## Use instead
    ```python
    cursor.execute("DELETE FROM cart WHERE user_id = %s AND sku = %s", [user.pk, sku])
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/topics/security/#sql-injection-protection
    """

    id = "DJR303"
    name = "sql-built-from-strings"
    message = (
        "The SQL text of {sink} is built from variables by string formatting; "
        "pass them as query parameters"
    )
    severity = Severity.WARNING
    category = "security"
    cwe = (89,)
    security_severity = 5.9
    precision = "medium"
    tags = ("injection",)

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per raw-SQL call with formatted text that DJR302 does not report."""
        return self._findings(file, project)

    def _findings(self, file: SourceFile, project: Project) -> Iterator[Finding]:
        index = taint_index(project)
        for node in walk_python(file):
            if not isinstance(node, ast.Call):
                continue
            for sink in sinks_of(node):
                if sink.kind != "sql" or not _formatted(sink.arg):
                    continue
                if index.hit_at(file, node, "sql") is None:
                    yield self.finding((file, node), sink=sink.what)
                break


def _formatted(arg: ast.expr) -> bool:
    if isinstance(arg, ast.List | ast.Tuple):
        return any(_formatted(element) for element in arg.elts)
    if isinstance(arg, ast.Dict):
        return any(_formatted(value) for value in arg.values)
    return bool(unsafe_parts(arg, _SAFE))
