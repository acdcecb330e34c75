"""DJR328: `extra()` / `RawSQL()` whose SQL is a variable, an attribute or a call."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from djreview.checks.security._resolved import ModuleCheck, assigned_values, resolved_calls
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis

_RAW_SQL = frozenset({"django.db.models.RawSQL", "django.db.models.expressions.RawSQL"})
_EXTRA_KEYWORDS = ("select", "where", "tables", "order_by")
# Literals, and SQL formatted at the call (DJR303, sql-built-from-strings, reports those).
_VISIBLE = (ast.Constant, ast.JoinedStr, ast.BinOp)


class ExtraRawsqlNotLiteral(ModuleCheck):
    """The SQL of `extra()` or `RawSQL()` is not a literal the reader can see.

    ## What it does
    An audit rule, off by default (select it with `--select DJR328` or
    `--select audit`): flags `queryset.extra(select=, where=, tables=,
    order_by=)` and `RawSQL()` (resolved through the imports to
    `django.db.models.RawSQL`) whose SQL, or one of whose SQL fragments, is
    a variable, an attribute, a subscript or a call's result, unless the
    variable is only ever assigned string literals (in its function, or in
    the module for a module constant).

    It deliberately does not report SQL formatted at the call (f-string,
    `%`, `.format()`, `+`: DJR303, sql-built-from-strings), request data
    reaching the call (DJR302, sql-injection; one call is never reported by
    two of them), nor tests and migrations.

    Audit-level: SQL held in a variable is usually a constant defined
    elsewhere (a module-level query, a class attribute); the rule lists the
    places a reviewer must follow the value to its origin.

    ## Why is this bad?
    `extra()` and `RawSQL()` paste their SQL into the query unescaped. When
    the SQL is not visible at the call, nothing shows that it never holds a
    value a user chose.

    ## Example
    ```python
    def ranked(queryset, order):
        return queryset.extra(select={"rank": order})
    ```

    ## Use instead
    ```python
    def ranked(queryset, weight):
        return queryset.annotate(rank=RawSQL("score * %s", [weight]))
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/models/querysets/#extra
    - https://docs.djangoproject.com/en/stable/ref/models/expressions/#raw-sql-expressions
    """

    uses = (TaintAnalysis,)
    id = "DJR328"
    name = "extra-rawsql-not-literal"
    message = "The SQL of {call} is {what}, not a literal; follow it to where it is built"
    severity = Severity.NOTE
    cwe = (89,)
    security_severity = 3.0
    precision = "low"
    tags = ("injection", "audit")
    enabled_by_default = False
    hints = ("extra", "RawSQL")

    def module_findings(
        self, file: SourceFile, project: Project, tree: ast.Module
    ) -> Iterator[Finding]:
        """One finding per extra()/RawSQL() call with SQL that is not visibly literal."""
        taint = project.analysis(TaintAnalysis)
        for resolved in resolved_calls(tree):
            call = resolved.call
            if resolved.name in _RAW_SQL and call.args:
                fragments, label = [call.args[0]], "RawSQL()"
            elif isinstance(call.func, ast.Attribute) and call.func.attr == "extra":
                fragments = _extra_fragments(call, resolved.scope)
                label = "extra()"
            else:
                continue
            hidden = [f for f in fragments if not _visible(f, resolved.scope, tree)]
            if hidden and taint.hit_at(file, call, "sql") is None:
                yield self.finding((file, call), call=label, what=_describe(hidden[0]))


def _extra_fragments(call: ast.Call, scope: ast.AST) -> list[ast.expr]:
    fragments: list[ast.expr] = []
    for kw in call.keywords:
        if kw.arg not in _EXTRA_KEYWORDS:
            continue
        values = assigned_values(scope, kw.value.id) if isinstance(kw.value, ast.Name) else []
        for value in values if values and all(_container(v) for v in values) else [kw.value]:
            if isinstance(value, ast.List | ast.Tuple | ast.Set):
                fragments.extend(value.elts)
            elif isinstance(value, ast.Dict):
                fragments.extend(value.values)
            else:
                fragments.append(value)
    return fragments


def _container(node: ast.expr) -> bool:
    return isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict)


def _visible(node: ast.expr, scope: ast.AST, module: ast.Module) -> bool:
    """A literal, formatted at the call (DJR303's), or a name only ever given literals."""
    if isinstance(node, _VISIBLE):
        return True
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"format", "join"}
    ):
        return True  # formatted at the call: DJR303's
    if isinstance(node, ast.Name):
        values = assigned_values(scope, node.id) or assigned_values(module, node.id)
        return bool(values) and all(isinstance(v, ast.Constant) for v in values)
    return False


def _describe(node: ast.expr) -> str:
    text = ast.unparse(node)
    kind = "a variable" if isinstance(node, ast.Name) else "an expression"
    return f"{kind}, `{text[:40]}`"
