"""DJR329: a custom ORM expression whose SQL text is formatted from its parameters."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from djreview.checks.security._resolved import ModuleCheck, keyword, qualified
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.names import imported_names

_BASES = frozenset(
    f"django.db.models.{module}{name}"
    for module in ("", "expressions.", "functions.", "lookups.", "aggregates.")
    for name in ("Func", "Expression", "Aggregate", "Transform", "Lookup")
)
# Attributes that Django pastes into the SQL unescaped.
_SQL_ATTRIBUTES = frozenset({"template", "function", "arg_joiner", "lookup_name"})
# Parameters of as_sql()/as_<vendor>() that are not data: Django's own signature
# `as_sql(compiler, connection, function=None, template=None, arg_joiner=None,
# **extra_context)`, whose SQL pieces Django's expressions pass in themselves.
_COMPILER_PARAMETERS = frozenset(
    {"self", "compiler", "connection", "qn", "function", "template", "arg_joiner"}
)


class SqlExpressionFromParameters(ModuleCheck):
    """A custom `Func` / `Lookup` / `Expression` builds its SQL text from a parameter.

    ## What it does
    An audit rule, off by default (select it with `--select DJR329` or
    `--select audit`). In a class whose base resolves to Django's `Func`,
    `Expression`, `Aggregate`, `Transform` or `Lookup`, flags:
    - `__init__` setting `template`, `function` or `arg_joiner` (on `self`,
      or as a keyword to `super().__init__`) to a parameter or to text
      formatted from one;
    - `as_sql()` / `as_<vendor>()` returning SQL formatted from one of its
      own parameters (other than Django's `compiler`, `connection`,
      `function`, `template` and `arg_joiner`) or from a
      `self.` attribute that `__init__` set from a parameter.

    It deliberately does not report SQL formatted from what
    `compiler.compile()`, `process_lhs()`, `process_rhs()` or
    `connection.ops.quote_name()` return (Django built it, values kept as
    parameters), nor class attributes (`template = "..."`), nor tests and
    migrations.

    Audit-level: the parameter is usually a constant the code passes
    (`Cast("x", "integer")`); it is a hole only when a caller passes user
    input, which this rule does not follow.

    ## Why is this bad?
    Django pastes `template`, `function` and what `as_sql()` returns into the
    query as SQL: a value a user chose becomes SQL injection, with none of
    the parameter quoting the ORM otherwise gives.

    ## Example
    ```python
    class JsonKey(Func):
        def __init__(self, field, key):
            super().__init__(field, template=f"%(expressions)s ->> '{key}'")
    ```

    ## Use instead
    ```python
    class JsonKey(Func):
        template = "%(expressions)s ->> %(key)s"  # or KeyTextTransform(key, field)

        def __init__(self, field, key):
            super().__init__(field, Value(key))
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/models/expressions/#writing-your-own-query-expressions
    - https://cwe.mitre.org/data/definitions/89.html
    """

    id = "DJR329"
    name = "sql-expression-from-parameters"
    message = (
        "{place} pastes `{part}`, taken from a parameter, into its SQL text; "
        "pass values as SQL parameters"
    )
    severity = Severity.NOTE
    cwe = (89,)
    security_severity = 4.0
    precision = "low"
    tags = ("injection", "audit")
    enabled_by_default = False
    hints = ("Func", "Expression", "Aggregate", "Transform", "Lookup")

    def module_findings(
        self, file: SourceFile, project: Project, tree: ast.Module
    ) -> Iterator[Finding]:
        """One finding per SQL text formatted from a parameter in an expression class."""
        names = imported_names(tree)
        for cls in ast.walk(tree):
            if isinstance(cls, ast.ClassDef) and any(
                qualified(base, names) in _BASES for base in cls.bases
            ):
                yield from self._class(file, cls)

    def _class(self, file: SourceFile, cls: ast.ClassDef) -> Iterator[Finding]:
        methods = {
            m.name: m for m in cls.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        init = methods.get("__init__")
        from_parameters = _attributes_from_parameters(init) if init else set()
        if init is not None:
            for node, part in _init_sql(init):
                yield self.finding((file, node), place=f"{cls.name}.__init__", part=part)
        for name, method in methods.items():
            if name.startswith("as_"):
                for node, part in _as_sql(method, from_parameters):
                    yield self.finding((file, node), place=f"{cls.name}.{name}()", part=part)


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = function.args
    every = args.posonlyargs + args.args + args.kwonlyargs
    every += [a for a in (args.vararg, args.kwarg) if a is not None]
    return {a.arg for a in every}


def _attributes_from_parameters(init: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """`self.x` attributes `__init__` assigns from one of its parameters."""
    parameters = _parameters(init) - {"self"}
    found: set[str] = set()
    for node in ast.walk(init):
        if isinstance(node, ast.Assign) and _from(node.value, parameters, set()):
            found.update(
                t.attr
                for t in node.targets
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)
            )
    return found


def _parts(node: ast.expr) -> list[ast.expr]:
    """The values pasted into a string built by node (itself, for a plain name)."""
    if isinstance(node, ast.Name | ast.Attribute):
        return [node]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _parts(node.left) + _parts(node.right)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        right = node.right
        items = right.elts if isinstance(right, ast.Tuple) else [right]
        if isinstance(right, ast.Dict):
            items = [v for v in right.values if v is not None]
        return _parts(node.left) + [p for item in items for p in _parts(item)]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        return [*node.args, *(kw.value for kw in node.keywords)]
    return []


def _from(node: ast.expr, parameters: set[str], attributes: set[str]) -> str:
    """The first parameter (or `self.` attribute set from one) pasted into `node`, or ''."""
    for part in _parts(node):
        if isinstance(part, ast.Name) and part.id in parameters:
            return part.id
        if (
            isinstance(part, ast.Attribute)
            and isinstance(part.value, ast.Name)
            and part.value.id == "self"
            and part.attr in attributes
        ):
            return f"self.{part.attr}"
    return ""


def _init_sql(init: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[tuple[ast.AST, str]]:
    parameters = _parameters(init) - {"self"}
    for node in ast.walk(init):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in _SQL_ATTRIBUTES:
                    part = _from(node.value, parameters, set())
                    if part:
                        yield node, part
        elif isinstance(node, ast.Call) and _is_super_init(node):
            for name in sorted(_SQL_ATTRIBUTES):
                value = keyword(node, name)
                part = _from(value, parameters, set()) if value is not None else ""
                if part:
                    yield node, part


def _is_super_init(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "__init__"
        and isinstance(func.value, ast.Call)
        and isinstance(func.value.func, ast.Name)
        and func.value.func.id == "super"
    )


def _as_sql(
    method: ast.FunctionDef | ast.AsyncFunctionDef, from_parameters: set[str]
) -> Iterator[tuple[ast.AST, str]]:
    parameters = _parameters(method) - _COMPILER_PARAMETERS
    for node in ast.walk(method):
        if not isinstance(node, ast.Return) or node.value is None:
            continue
        value = node.value
        sql = value.elts[0] if isinstance(value, ast.Tuple) and value.elts else value
        part = _from(sql, parameters, from_parameters)
        if part:
            yield node, part
