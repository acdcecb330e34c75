"""Is an expression provably safe markup? Literals, escaped values, strings built from them."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from djreview.source.file import SourceFile
from djreview.taint.names import module_names, qualified_callee
from djreview.taint.sources import call_name

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
# Finds the project function a call runs (`TaintAnalysis.callee_of`), given the caller's file
# and its innermost enclosing function.
Resolve = Callable[[ast.Call, FunctionNode | None], tuple[SourceFile, FunctionNode] | None]
# Whether `obj.field` (in the given scopes, innermost first) reads a model field whose values
# cannot hold markup: numbers, dates, UUIDs, IP addresses, booleans, a field with choices;
# or whether `obj.get_field_display` is the label method Django generates for a field with choices.
Constrained = Callable[[ast.Attribute, list[ast.AST]], bool]
# The argument text of every template use of a filter, by the filter's name (None: the use
# passes no argument, so the parameter's default applies).
TemplateUses = Callable[[str], list[str | None]]
_QUOTED = re.compile(r"""^\s*(?:'[^'\\]*'|"[^"\\]*")\s*$""")

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
# Escaping and literal-text functions by module (matched through the imports, aliases too:
# `gettext_lazy as t`): every translation function returns text the authors wrote.
_SAFE_MODULES = ("django.utils.translation.",)
_SAFE_QUALIFIED = frozenset(
    {
        "django.urls.reverse",
        "django.urls.reverse_lazy",
        "django.shortcuts.resolve_url",
        "django.templatetags.static.static",
        *(f"django.utils.html.{name}" for name in ("escape", "conditional_escape", "format_html")),
        "django.utils.html.format_html_join",
        "django.utils.html.json_script",
        "django.utils.html.strip_tags",
        "django.template.loader.render_to_string",
    }
)
# Values an operator or administrator sets (settings modules, django-constance): trusted
# authors, whose markup is on purpose.
_OPERATOR_VALUES = frozenset({"django.conf.settings", "constance.config"})
_MAX_DEPTH = 10
_MAX_HELPERS = 3
# Parameter annotations whose values cannot hold markup.
_SAFE_ANNOTATIONS = frozenset(
    {"int", "float", "bool", "Decimal", "UUID", "uuid.UUID", "date", "datetime", "timedelta"}
)
# `isinstance(x, SafeData)`: in that branch `x` is already safe markup.
_SAFE_TYPES = frozenset({"Markup", "SafeData", "SafeString", "SafeText"})
_OWN_SCOPE_ENDS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
# A project's own HTML cleaner, by its name: clean_html(), sanitize(), bleach.clean().
_SANITISER_NAME = re.compile(r"clean|sanitiz|sanitis|bleach", re.IGNORECASE)
# The label Django's generated `get_<field>_display()` returns for a field with choices.
_CHOICES_LABEL = re.compile(r"^get_\w+_display$")
# str methods whose result is safe when the string and the arguments are.
_STRING_METHODS = frozenset(
    {"join", "format", "replace", "strip", "lstrip", "rstrip", "lower", "upper"}
)


class SafeMarkup:
    """Decides whether an expression in a function holds only safe markup.

    With `resolve`, a call to a project function (same module, `self.method`,
    or imported from another module) is safe when every `return` of that
    function is: a helper that escapes or validates on every path is a
    sanitiser, whatever its name.
    """

    def __init__(
        self,
        scopes: list[ast.AST],
        before_line: int,
        resolve: Resolve | None = None,
        assumed: frozenset[str] = frozenset(),
        helpers: int = 0,
        constrained: Constrained | None = None,
        templates: TemplateUses | None = None,
    ) -> None:
        # Innermost scope first: the enclosing function(s), then the module.
        self.scopes = scopes
        # The line of the mark_safe() call: reassignments of a parameter above it count.
        self.before_line = before_line
        self.resolve = resolve
        # Names known to hold safe markup here (narrowed by an isinstance() test).
        self.assumed = assumed
        # How many helper bodies deep this question is (helpers calling helpers).
        self.helpers = helpers
        self.constrained = constrained
        self.templates = templates

    def _with(
        self, scopes: list[ast.AST], before_line: int, assumed: frozenset[str], helpers: int
    ) -> SafeMarkup:
        """The same question asked elsewhere (a helper's body, a caller, a value)."""
        return SafeMarkup(
            scopes, before_line, self.resolve, assumed, helpers, self.constrained, self.templates
        )

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
            return node.id in self.assumed or self._name(node.id, depth)
        if isinstance(node, ast.Subscript):
            # An element or slice of a container whose every part is safe.
            return self.is_safe(node.value, depth + 1)
        if isinstance(node, ast.Dict):
            return all(self.is_safe(value, depth + 1) for value in node.values)
        if isinstance(node, ast.Attribute):
            if self.constrained is not None and self.constrained(node, self.scopes):
                return True
            return self._operator_value(node)
        if isinstance(node, ast.NamedExpr):
            return self.is_safe(node.value, depth + 1)
        return False

    def _names(self) -> dict[str, str]:
        module = self.scopes[-1] if self.scopes else None
        return module_names(module) if isinstance(module, ast.Module) else {}

    def _operator_value(self, node: ast.Attribute) -> bool:
        """`settings.SITE_BANNER`, `constance.config.TERMS_URL`, a safe class attribute."""
        owner = qualified_callee(node.value, self._names())
        if owner in _OPERATOR_VALUES:
            return True
        if not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}):
            return False
        found = self._owner_class()
        if found is None or self.helpers >= _MAX_HELPERS:
            return False
        values = [
            stmt.value
            for stmt in found.body
            if isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == node.attr for t in stmt.targets)
        ]
        inner = self._with(self.scopes[-1:], self.before_line, frozenset(), self.helpers + 1)
        # A class attribute the class body assigns once, to safe text (a dict of messages).
        return len(values) == 1 and inner.is_safe(values[0])

    def _enclosing(self) -> FunctionNode | None:
        return next(
            (s for s in self.scopes if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)), None
        )

    def _owner_class(self) -> ast.ClassDef | None:
        """The class whose body defines the enclosing function, directly."""
        function = self._enclosing()
        module = self.scopes[-1] if self.scopes else None
        if function is None or not isinstance(module, ast.Module):
            return None
        return next(
            (
                node
                for node in ast.walk(module)
                if isinstance(node, ast.ClassDef) and any(item is function for item in node.body)
            ),
            None,
        )

    def _callers_pass_safe(self, function: FunctionNode, name: str) -> bool:
        """A private helper's parameter, when every call in the module passes safe markup.

        Only for undecorated `_private` functions and methods: a public or
        registered one (a template filter) is called from places not seen here.
        """
        module = self.scopes[-1] if self.scopes else None
        private = function.name.startswith("_") and not function.name.startswith("__")
        if _is_filter(function) and isinstance(module, ast.Module):
            return self._template_uses_pass_literals(function, name)
        if not private or function.decorator_list or not isinstance(module, ast.Module):
            return False
        if self.helpers >= _MAX_HELPERS:
            return False
        params = [a.arg for a in [*function.args.posonlyargs, *function.args.args]]
        method = bool(params) and params[0] in {"self", "cls"}
        position = params.index(name) - int(method) if name in params else -1
        sites = list(_call_sites(module, function.name, method))
        if not sites:
            return False
        for caller, call in sites:
            arg = next((kw.value for kw in call.keywords if kw.arg == name), None)
            if arg is None and 0 <= position < len(call.args):
                arg = call.args[position]
            inner = self._with([caller, module], call.lineno, frozenset(), self.helpers + 1)
            if arg is None or isinstance(arg, ast.Starred) or not inner.is_safe(arg):
                return False
        return True

    def _template_uses_pass_literals(self, function: FunctionNode, name: str) -> bool:
        """A filter's argument, when every template use writes it as a string literal.

        `{{ text|default_if_empty('<span class="empty">…</span>') }}`: the
        template's author wrote the markup. A use without the argument takes
        the parameter's default, which must be safe too.
        """
        params = [*function.args.posonlyargs, *function.args.args]
        if self.templates is None or len(params) < 2 or params[1].arg != name:
            return False
        uses = self.templates(function.name)
        if not uses:
            return False
        defaults = function.args.defaults
        default = defaults[-1] if defaults and len(params) == 2 else None
        for argument in uses:
            if argument is None:
                if default is None or not self.is_safe(default):
                    return False
            elif not _QUOTED.match(argument):
                return False
        return True

    def _call(self, node: ast.Call, depth: int) -> bool:
        name = call_name(node.func)
        if name in SAFE_CALLS or _SANITISER_NAME.search(name):
            return True
        qualified = qualified_callee(node.func, self._names())
        if qualified in _SAFE_QUALIFIED or qualified.startswith(_SAFE_MODULES):
            return True
        if isinstance(node.func, ast.Attribute) and name in _STRING_METHODS:
            parts = [*node.args, *(kw.value for kw in node.keywords)]
            return self.is_safe(node.func.value, depth + 1) and all(
                self.is_safe(p, depth + 1) for p in parts
            )
        if name in {"str", "list", "tuple", "sorted"}:
            return all(self.is_safe(arg, depth + 1) for arg in node.args)
        if name == "sub" and len(node.args) >= 3:
            # re.sub(pattern, repl, text): pieces of `text` and of `repl`, nothing else.
            return self.is_safe(node.args[1], depth + 1) and self.is_safe(node.args[2], depth + 1)
        if name == "strftime" and isinstance(node.func, ast.Attribute):
            return all(self.is_safe(arg, depth + 1) for arg in node.args)  # digits and the format
        helper = self._helper(node)
        if helper is not None:
            return helper
        # `obj.get_status_display()`, which Django defines for a field with choices only:
        # the label the code wrote for the stored value. Only when `obj` resolves to a model
        # whose field `status` has choices and that defines no method of that name itself.
        return (
            isinstance(node.func, ast.Attribute)
            and bool(_CHOICES_LABEL.match(name))
            and not node.args
            and not node.keywords
            and self.constrained is not None
            and self.constrained(node.func, self.scopes)
        )

    def _helper(self, node: ast.Call) -> bool | None:
        """A project function whose every `return` is safe markup, whatever its arguments.

        None when the call runs no project function that can be found.
        """
        if self.resolve is None:
            return None
        if self.helpers >= _MAX_HELPERS:
            return False
        target = self.resolve(node, self._enclosing())
        if target is None:
            return None
        file, function = target
        returns = list(_own_returns(function))
        if not returns or file.tree is None:
            return False
        return all(
            r.value is not None
            and self._with([function, file.tree], r.lineno, frozenset(), self.helpers + 1).is_safe(
                r.value
            )
            for r in returns
        )

    def _name(self, name: str, depth: int) -> bool:
        for scope in self.scopes:
            last = _last_plain_assignment(scope, name, self.before_line)
            if last is not None and self.is_safe(last, depth + 1):
                # `html = clean_html(html)` right before the call: whatever came earlier is gone.
                return True
            narrowed = list(_values_of(scope, name))
            if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) and name in _parameters(
                scope
            ):
                if _safe_annotation(scope, name):
                    return True  # `grace_period: int`
                # A parameter reassigned before use (`value = escape(value)`) is that value.
                narrowed = [(v, a) for v, a in narrowed if v is None or v.lineno < self.before_line]
                if not narrowed:
                    return self._callers_pass_safe(scope, name)
            if narrowed:
                return all(
                    value is not None
                    # `errors = errors[:10]`: the name's own earlier value, safe by induction.
                    and self._with(
                        self.scopes, self.before_line, self.assumed | assumed | {name}, self.helpers
                    ).is_safe(value, depth + 1)
                    for value, assumed in narrowed
                )
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


def _values_of(scope: ast.AST, name: str) -> Iterator[tuple[ast.expr | None, frozenset[str]]]:
    """Everything assigned or appended to `name` in a scope (None: something unknowable).

    Each value comes with the names an enclosing `if isinstance(x, SafeData)`
    has narrowed to safe markup where it is assigned.
    """
    body = (
        scope.body if isinstance(scope, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef) else []
    )
    for node, assumed in _walk_narrowed(body, frozenset()):
        value: ast.expr | None
        if isinstance(node, ast.Assign) and any(_binds(t, name) for t in node.targets):
            single = len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
            value = node.value if single else None
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr) and _binds(
            node.target, name
        ):
            value = node.value
        elif isinstance(node, ast.For | ast.comprehension) and _binds(node.target, name):
            value = None
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"append", "extend", "insert"}
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
        ):
            value = node.args[-1] if node.args else None
        else:
            continue
        yield value, assumed


def _walk_narrowed(
    body: list[ast.stmt], assumed: frozenset[str]
) -> Iterator[tuple[ast.AST, frozenset[str]]]:
    """Every node under `body`, with the names isinstance() tests narrowed to safe markup."""
    for stmt in body:
        if isinstance(stmt, ast.If):
            narrowed = _isinstance_safe(stmt.test)
            yield stmt, assumed
            for node in ast.walk(stmt.test):
                yield node, assumed
            yield from _walk_narrowed(stmt.body, assumed | narrowed)
            yield from _walk_narrowed(stmt.orelse, assumed)
        else:
            for node in ast.walk(stmt):
                yield node, assumed


def _isinstance_safe(test: ast.expr) -> frozenset[str]:
    """`x` for `isinstance(x, Markup)` / `isinstance(x, (SafeData, SafeString))`."""
    if not (
        isinstance(test, ast.Call)
        and call_name(test.func) == "isinstance"
        and len(test.args) == 2
        and isinstance(test.args[0], ast.Name)
    ):
        return frozenset()
    kinds = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
    if kinds and all(call_name(kind) in _SAFE_TYPES for kind in kinds):
        return frozenset({test.args[0].id})
    return frozenset()


def _is_filter(function: FunctionNode) -> bool:
    """Registered as a template filter (`@register.filter`, `@library.filter(...)`)."""
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if call_name(target) == "filter":
            return True
    return False


def _call_sites(
    module: ast.Module, name: str, method: bool
) -> Iterator[tuple[FunctionNode, ast.Call]]:
    """Calls of `name(...)` (or `self.name(...)` for a method) in the module's functions.

    A mention that is not a call (`callback=name`) makes the callers unknowable:
    the walk then yields one site with no usable argument.
    """
    for function in ast.walk(module):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and _calls(node.func, name, method):
                yield function, node
            elif _mentions(node, name, method) and not _is_callee(node, function):
                yield function, ast.Call(ast.Constant(None), [], [])


def _calls(func: ast.expr, name: str, method: bool) -> bool:
    if method:
        return (
            isinstance(func, ast.Attribute)
            and func.attr == name
            and isinstance(func.value, ast.Name)
            and func.value.id in {"self", "cls"}
        )
    return isinstance(func, ast.Name) and func.id == name


def _mentions(node: ast.AST, name: str, method: bool) -> bool:
    if method:
        return isinstance(node, ast.Attribute) and node.attr == name
    return isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)


def _is_callee(node: ast.AST, function: FunctionNode) -> bool:
    return any(isinstance(call, ast.Call) and call.func is node for call in ast.walk(function))


def _own_returns(function: FunctionNode) -> Iterator[ast.Return]:
    """The `return` statements of a function, not of the functions or classes inside it."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return):
            yield node
        elif not isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
        ):
            stack.extend(ast.iter_child_nodes(node))


def _safe_annotation(function: FunctionNode, name: str) -> bool:
    args = function.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
        if arg.arg == name and arg.annotation is not None:
            return ast.unparse(arg.annotation) in _SAFE_ANNOTATIONS
    return False


def _binds(target: ast.expr, name: str) -> bool:
    return any(isinstance(node, ast.Name) and node.id == name for node in ast.walk(target))


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {arg.arg for arg in every if arg is not None}
