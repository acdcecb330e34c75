"""Is an expression provably safe markup? Literals, escaped values, strings built from them."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from djreview.taint.sources import call_name

# Calls whose result is escaped markup, a number, or text the authors wrote.
SAFE_CALLS = frozenset(
    {
        "escape",
        "conditional_escape",
        "format_html",
        "format_html_join",
        "render_to_string",
        "json_script",
        "linebreaks",
        "linebreaksbr",
        "urlize",
        "escapejs",
        "strip_tags",
        "mark_safe",
        "int",
        "len",
        "float",
        "gettext",
        "gettext_lazy",
        "_",
        "pgettext",
        "ngettext",
        "ugettext",
        "ugettext_lazy",
        "reverse",
        "static",
        "intcomma",
        "date_format",
        "number_format",
        "localize",
        "flatatt",
        "html_safe",
        "render",
        "as_widget",
        "urlencode",
        "quote",
        "escape_uri_path",
        "iri_to_uri",
        "get_absolute_url",
        "build_absolute_uri",
    }
)
_MAX_DEPTH = 6
# A project's own HTML cleaner, by its name: clean_html(), sanitize(), bleach.clean().
_SANITISER_NAME = re.compile(r"clean|sanitiz|sanitis|bleach", re.IGNORECASE)
# str methods whose result is safe when the string and the arguments are.
_STRING_METHODS = frozenset(
    {"join", "format", "replace", "strip", "lstrip", "rstrip", "lower", "upper"}
)


class SafeMarkup:
    """Decides whether an expression in a function holds only safe markup."""

    def __init__(self, scopes: list[ast.AST], before_line: int) -> None:
        # Innermost scope first: the enclosing function(s), then the module.
        self.scopes = scopes
        # The line of the mark_safe() call: reassignments of a parameter above it count.
        self.before_line = before_line

    def is_safe(self, node: ast.expr, depth: int = 0) -> bool:
        """True when every part of `node` is a literal or escaped."""
        if depth > _MAX_DEPTH:
            return False
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.JoinedStr):
            return all(
                self.is_safe(v.value, depth + 1)
                for v in node.values
                if isinstance(v, ast.FormattedValue)
            )
        if isinstance(node, ast.BinOp):
            return self.is_safe(node.left, depth + 1) and self.is_safe(node.right, depth + 1)
        if isinstance(node, ast.Tuple | ast.List):
            return all(self.is_safe(element, depth + 1) for element in node.elts)
        if isinstance(node, ast.IfExp):
            return self.is_safe(node.body, depth + 1) and self.is_safe(node.orelse, depth + 1)
        if isinstance(node, ast.BoolOp):
            return all(self.is_safe(value, depth + 1) for value in node.values)
        if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            return self.is_safe(node.elt, depth + 1)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        if isinstance(node, ast.Name):
            return self._name(node.id, depth)
        return False

    def _call(self, node: ast.Call, depth: int) -> bool:
        name = call_name(node.func)
        if name in SAFE_CALLS or _SANITISER_NAME.search(name):
            return True
        if isinstance(node.func, ast.Attribute) and name in _STRING_METHODS:
            parts = [*node.args, *(kw.value for kw in node.keywords)]
            return self.is_safe(node.func.value, depth + 1) and all(
                self.is_safe(p, depth + 1) for p in parts
            )
        if name in {"str", "list", "tuple", "sorted"}:
            return all(self.is_safe(arg, depth + 1) for arg in node.args)
        return False

    def _name(self, name: str, depth: int) -> bool:
        for scope in self.scopes:
            last = _last_plain_assignment(scope, name, self.before_line)
            if last is not None and self.is_safe(last, depth + 1):
                # `html = clean_html(html)` right before the call: whatever came earlier is gone.
                return True
            values = list(_values_of(scope, name))
            if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) and name in _parameters(
                scope
            ):
                # A parameter reassigned before use (`value = escape(value)`) is that value.
                values = [v for v in values if v is None or v.lineno < self.before_line]
                if not values:
                    return False
            if values:
                return all(value is not None and self.is_safe(value, depth + 1) for value in values)
        return False


def _last_plain_assignment(scope: ast.AST, name: str, before_line: int) -> ast.expr | None:
    """The last `name = ...` in the scope's own body (not in a branch) before a line."""
    if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    last: ast.expr | None = None
    for statement in scope.body:
        if statement.lineno >= before_line:
            break
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id == name
        ):
            last = statement.value
        elif any(_binds_here(node, name) for node in ast.walk(statement)):
            last = None  # rebound in a branch or loop: no single last value
    return last


def _binds_here(node: ast.AST, name: str) -> bool:
    if isinstance(node, ast.Assign):
        return any(_binds(target, name) for target in node.targets)
    if isinstance(node, ast.AugAssign | ast.AnnAssign | ast.For):
        return _binds(node.target, name)
    return False


def _values_of(scope: ast.AST, name: str) -> Iterator[ast.expr | None]:
    """Everything assigned or appended to `name` in a scope (None: something unknowable)."""
    body = (
        scope.body if isinstance(scope, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef) else []
    )
    for node in (n for stmt in body for n in ast.walk(stmt)):
        if isinstance(node, ast.Assign) and any(_binds(t, name) for t in node.targets):
            single = len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
            yield node.value if single else None
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and _binds(node.target, name):
            yield node.value
        elif isinstance(node, ast.For | ast.comprehension) and _binds(node.target, name):
            yield None
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"append", "extend", "insert"}
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
        ):
            yield node.args[-1] if node.args else None


def _binds(target: ast.expr, name: str) -> bool:
    return any(isinstance(node, ast.Name) and node.id == name for node in ast.walk(target))


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {arg.arg for arg in every if arg is not None}
