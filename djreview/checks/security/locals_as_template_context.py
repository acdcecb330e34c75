"""DJR606: a template rendered with locals() as its context, a secret among the locals."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from djreview.checks.security._resolved import ModuleCheck, resolved_calls
from djreview.model import Finding, Severity
from djreview.nplusone.loops import own_nodes
from djreview.source.file import SourceFile
from djreview.source.project import Project

# The renderers, by the last name of the callee (`render`, `loader.render_to_string`,
# `template.render`, `Context`), as the rule always matched them.
_RENDERERS = frozenset(
    {
        "render",
        "render_to_string",
        "render_to_response",
        "TemplateResponse",
        "Context",
        "RequestContext",
    }
)
_NAMESPACES = frozenset({"locals", "vars", "globals"})
# Words of a name (split on `_`, lower-cased) that make it a credential.
_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "secret",
        "secrets",
        "token",
        "tokens",
        "credential",
        "credentials",
        "apikey",
        "otp",
        "cvv",
    }
)
# `<word>_key`: key material, unlike a dictionary or cache key.
_KEY_KINDS = frozenset({"api", "private", "secret", "signing", "access", "encryption", "ssh"})
# A last word that makes the name about a secret rather than the secret itself
# (`token_count`, `password_reset_url`, `password_required`).
_ABOUT = frozenset(
    {
        "count",
        "url",
        "urls",
        "length",
        "len",
        "enabled",
        "required",
        "valid",
        "expired",
        "expiry",
        "expires",
        "changed",
        "type",
        "name",
        "label",
    }
)

_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
# A first word that makes it a check or an action on one (`check_password()`).
_PREDICATES = frozenset({"is", "has", "check", "validate", "set", "reset", "clear"})


def secret_named(name: str) -> bool:
    """Whether a variable, attribute or key name names a credential (`api_token`, `SECRET_KEY`)."""
    words = [word for word in _CAMEL.sub(r"\1_\2", name).lower().split("_") if word]
    if not words or words[-1] in _ABOUT or words[0] in _PREDICATES:
        return False
    if any(word in _SECRET_WORDS for word in words):
        return True
    return any(
        word in {"key", "keys"} and index and words[index - 1] in _KEY_KINDS
        for index, word in enumerate(words)
    )


class LocalsAsTemplateContext(ModuleCheck):
    """A template gets every local variable as its context, a secret among them.

    ## What it does
    Flags `render()`, `render_to_string()`, `TemplateResponse()` and
    `Context()` (any callee of those names) called with `locals()` or
    `vars()` as the context, when a name the function binds before the call
    holds a credential: a parameter or variable named like one (`password`,
    `api_token`, `secret`, `private_key`; not `token_count`), a value read
    from one (`settings.STRIPE_SECRET_KEY`, `request.POST["password"]`,
    `user.password`, `os.environ.get("API_TOKEN")`, also inside a dict or
    tuple), or Django's `settings` imported inside the function. `globals()` is always reported: a
    module's globals hold its imports, `settings` usually among them.

    It deliberately does not report `locals()` when no local holds a
    credential (the request, the current user's objects, form values, parsed
    numbers and rendered snippets): the template then receives only what the
    view computed for it, a style matter rather than an exposure (0 of 5
    such findings was a defect on fifteen projects judged in session 12).
    The request itself does not count: `RequestContext` gives it to every
    template anyway. Nor tests and migrations.

    ## Why is this bad?
    Every local variable becomes visible to the template. A template edit,
    a debug tag or a template injection then shows the credential, and
    nobody reviewing the view can tell what the template receives.

    ## Example
    ```python
    def invoice(request, pk):
        invoice = get_object_or_404(Invoice, pk=pk)
        api_token = settings.BILLING_TOKEN
        return render(request, "invoice.html", locals())
    ```

    ## Use instead
    ```python
    def invoice(request, pk):
        invoice = get_object_or_404(Invoice, pk=pk)
        return render(request, "invoice.html", {"invoice": invoice})
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/topics/http/shortcuts/#render
    - https://cwe.mitre.org/data/definitions/200.html
    """

    id = "DJR606"
    name = "locals-as-template-context"
    message = "{callee}() gets {namespace}() as its context: {what} reaches the template"
    severity = Severity.WARNING
    cwe = (200,)
    security_severity = 4.3
    precision = "medium"
    tags = ("data-exposure", "templates")
    hints = ("locals", "globals", "vars")

    def module_findings(
        self, file: SourceFile, project: Project, tree: ast.Module
    ) -> Iterator[Finding]:
        """One finding per render call whose namespace context holds a credential."""
        for resolved in resolved_calls(tree):
            call = resolved.call
            callee = _last_name(call.func)
            if callee not in _RENDERERS:
                continue
            namespace = next((name for arg in _contexts(call) if (name := _namespace(arg))), "")
            if not namespace:
                continue
            if namespace == "globals" or not isinstance(
                resolved.scope, ast.FunctionDef | ast.AsyncFunctionDef
            ):
                what = "every module-level name, its imports (such as `settings`) too,"
            else:
                secret = _secret_local(resolved.scope, call.lineno)
                what = f"every local variable, `{secret}` among them," if secret else ""
            if what:
                yield self.finding((file, call), callee=callee, namespace=namespace, what=what)


def _last_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _contexts(call: ast.Call) -> Iterator[ast.expr]:
    yield from call.args
    yield from (kw.value for kw in call.keywords if kw.arg == "context")


def _namespace(node: ast.expr) -> str:
    """`locals` for `locals()` (and `vars()`, `globals()`), '' for anything else."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _NAMESPACES
        and not node.args
        and not node.keywords
    ):
        return node.func.id
    return ""


def _secret_local(function: ast.FunctionDef | ast.AsyncFunctionDef, line: int) -> str:
    """The first local bound before `line` that holds a credential, '' if none."""
    arguments = function.args
    for arg in (
        *arguments.posonlyargs,
        *arguments.args,
        *arguments.kwonlyargs,
        arguments.vararg,
        arguments.kwarg,
    ):
        if arg is not None and secret_named(arg.arg):
            return arg.arg
    for node in sorted(own_nodes(function), key=_position):
        if getattr(node, "lineno", line) >= line:
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "django.conf":
            # Django's settings object: a template could print its every credential.
            return next((alias.asname or alias.name for alias in node.names), "settings")
        for name, value in _bindings(node):
            if secret_named(name) or (value is not None and _holds_secret(value)):
                return name
    return ""


def _position(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def _bindings(node: ast.AST) -> Iterator[tuple[str, ast.expr | None]]:
    """The local names a statement or expression binds, each with the value bound if known."""
    if isinstance(node, ast.Assign):
        for target in node.targets:
            yield from ((name, node.value) for name in _target_names(target))
    elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
        yield from ((name, node.value) for name in _target_names(node.target))
    elif isinstance(node, ast.For | ast.AsyncFor):
        yield from ((name, node.iter) for name in _target_names(node.target))
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        yield from ((name, node.context_expr) for name in _target_names(node.optional_vars))


def _target_names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _holds_secret(value: ast.expr) -> bool:
    """Whether a value reads a credential (also inside a dict, tuple or call)."""
    for node in ast.walk(value):
        # `checkout.token` is mostly a public identifier (as DJR608 reads it).
        if isinstance(node, ast.Attribute) and node.attr != "token" and secret_named(node.attr):
            return True
        key = _constant_key(node)
        if key and secret_named(key):
            return True
    return False


def _constant_key(node: ast.AST) -> str:
    """The literal key of `x["password"]` and of `x.get("password")` / `getenv("TOKEN")`."""
    if isinstance(node, ast.Subscript):
        key = node.slice
    elif isinstance(node, ast.Call) and node.args and _last_name(node.func) in {"get", "getenv"}:
        key = node.args[0]
    else:
        return ""
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else ""
