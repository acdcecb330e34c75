"""DJR303: raw SQL text formatted from variables (not request data)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator

from djreview.checks.base import Check
from djreview.checks.security._strings import dynamic_parts, unsafe_parts
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis
from djreview.taint.names import module_names
from djreview.taint.sinks import SQL_CALLS, sinks_of
from djreview.taint.sources import call_name

_SAFE = frozenset({"quote_name", "sql_identifier", "Identifier"})


class SqlBuiltFromStrings(Check):
    """Raw SQL text is built by string formatting from variables.

    ## What it does
    Flags `raw()`, `extra()`, `RawSQL()` and `cursor.execute()` whose SQL is
    built at the call by an f-string, `%`, `.format()`, `+` or `join()` with
    non-constant parts, when no request data is known to reach it (that case is
    DJR302, sql-injection; one call is never reported by both). SQL built in
    a variable first (`sql = f"... {x}"; cursor.execute(sql)`) and built by
    substitution (`.replace("X", x)`) count too.

    Not reported, deliberately: SQL built only from identifiers the code
    fixes: numbers from `int()`, identifiers quoted by
    `connection.ops.quote_name()`, module constants assigned only literals
    (`LOCK_TIMEOUT = "30s"`), a model's table name (`Model._meta.db_table`)
    and variables assigned only such text. They cannot carry a value from
    outside, and reporting them was the whole of DJR303's false positives on
    the triage projects.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR303` switches it on): SQL text built from strings without request data
    reaching it is a defect only when a part can come from outside; on seven
    unseen projects all 5 such findings were built from table names, module
    constants or ids read from the database. Request data reaching SQL is
    DJR302's, on by default.

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

    uses = (TaintAnalysis,)
    id = "DJR303"
    name = "sql-built-from-strings"
    message = (
        "The SQL text of {sink} is built from variables by string formatting; "
        "pass them as query parameters"
    )
    severity = Severity.WARNING
    category = "security"
    hints = tuple(sorted(SQL_CALLS))
    # A call of one of them (the words alone are in "drawing", "extra_context"...).
    hint_pattern = re.compile(r"\b(?:" + "|".join(sorted(SQL_CALLS)) + r")\s*\(")
    cwe = (89,)
    security_severity = 5.9
    precision = "medium"
    tags = ("injection", "audit")
    enabled_by_default = False

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per raw-SQL call with formatted text that DJR302 does not report."""
        return self._findings(file, project)

    def _findings(self, file: SourceFile, project: Project) -> Iterator[Finding]:
        index = project.analysis(TaintAnalysis)
        tree = file.tree
        if tree is None:
            return
        names = module_names(tree)
        constants = _fixed_names(tree)  # module constants: TABLE = "blog_post"
        for function in [tree, *file.functions()]:
            calls = [node for node in _own_nodes(function) if isinstance(node, ast.Call)]
            sql = [
                (call, sink)
                for call in calls
                for sink in sinks_of(call, names)
                if sink.kind == "sql"
            ]
            if not sql:
                continue  # the assignments of a scope without SQL need no reading
            fixed = _fixed_names(function) | (constants - _bound_names(function))
            built = _built_values(function)
            reported: set[int] = set()
            for node, sink in sql:
                if id(node) in reported or not _formatted(sink.arg, fixed, built):
                    continue
                reported.add(id(node))
                if index.hit_at(file, node, "sql") is None:
                    yield self.finding((file, node), sink=sink.what)


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# Calls whose result is SQL the ORM compiled, with its parameters kept apart.
_ORM_SQL = frozenset({"sql_with_params", "as_sql", "compile", "get_compiler"})


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function (or module) body, not of the functions nested in it."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, _FUNCTIONS):
            stack.extend(ast.iter_child_nodes(node))


def _fixed_names(scope: ast.AST) -> set[str]:
    """Names every assignment in the scope gives a literal (or ORM-compiled SQL)."""
    values: dict[str, list[ast.expr | None]] = {}
    for node in _own_nodes(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for name in (n for n in ast.walk(target) if isinstance(n, ast.Name)):
                    single = isinstance(target, ast.Name) or _compiled(node.value)
                    values.setdefault(name.id, []).append(node.value if single else None)
        elif isinstance(node, ast.AugAssign | ast.For) and isinstance(node.target, ast.Name):
            values.setdefault(node.target.id, []).append(None)
    return {name for name, found in values.items() if all(_literal(v) for v in found)}


def _compiled(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Call) and call_name(node.func) in _ORM_SQL


def _literal(node: ast.expr | None) -> bool:
    if node is None:
        return False
    if isinstance(node, ast.Constant) or _compiled(node):
        return True
    if isinstance(node, ast.IfExp):
        return _literal(node.body) and _literal(node.orelse)
    if isinstance(node, ast.List | ast.Tuple):
        return all(_literal(element) for element in node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        # ["%s"] * len(ids): placeholders, however many (the sequence is the literal side).
        return any(_literal_sequence(side) for side in (node.left, node.right))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and isinstance(node.func.value, ast.Constant)
        and len(node.args) == 1
    ):
        return _literal(node.args[0])  # ", ".join(["%s"] * n)
    return isinstance(node, ast.BoolOp) and all(_literal(v) for v in node.values)


def _bound_names(scope: ast.AST) -> set[str]:
    """Names a function binds itself (they shadow the module's constants)."""
    if scope is None or not isinstance(scope, _FUNCTIONS):
        return set()
    args = scope.args
    bound = {
        a.arg
        for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        if a
    }
    for node in _own_nodes(scope):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
    return bound


def _built_values(scope: ast.AST) -> dict[str, list[ast.expr]]:
    """Names whose every assignment in the scope builds a string (`sql = f"..."`)."""
    values: dict[str, list[ast.expr | None]] = {}
    for node in _own_nodes(scope):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                values.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign) and isinstance(node.target, ast.Name):
            values.setdefault(node.target.id, []).append(node.value)
    return {
        name: [v for v in found if v is not None]
        for name, found in values.items()
        if all(v is not None and dynamic_parts(v) is not None for v in found)
    }


def _literal_sequence(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    return isinstance(node, ast.List | ast.Tuple) and _literal(node)


def _formatted(
    arg: ast.expr, fixed: set[str], built: dict[str, list[ast.expr]], depth: int = 0
) -> bool:
    if isinstance(arg, ast.List | ast.Tuple):
        return any(_formatted(element, fixed, built, depth) for element in arg.elts)
    if isinstance(arg, ast.Dict):
        return any(_formatted(value, fixed, built, depth) for value in arg.values)
    if isinstance(arg, ast.Name) and arg.id in built and depth < 3:
        # sql = f"... {x}"; cursor.execute(sql): the variable holds SQL built here.
        return any(_formatted(value, fixed, built, depth + 1) for value in built[arg.id])
    return any(not _fixed_part(part, fixed, built, depth) for part in unsafe_parts(arg, _SAFE))


def _fixed_part(
    part: ast.expr, fixed: set[str], built: dict[str, list[ast.expr]], depth: int
) -> bool:
    """A part the code fixes: a constant name, a model's table name, SQL built from those."""
    if isinstance(part, ast.Name):
        if part.id in fixed:
            return True
        return part.id in built and depth < 3 and not _formatted(part, fixed, built, depth)
    # Model._meta.db_table, self.model._meta.db_table: an identifier the code declares.
    return isinstance(part, ast.Attribute) and part.attr == "db_table"
