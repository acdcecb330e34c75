"""DJR323: TLS certificate verification switched off (requests, httpx, aiohttp, ssl)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from djreview.checks.security._resolved import (
    ModuleCheck,
    is_false,
    qualified,
    resolved_calls,
    shown,
)
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.names import LOCAL, imported_names

# Client libraries, and the keyword each uses to switch verification off.
_CLIENTS = {
    "requests": ("verify",),
    "httpx": ("verify",),
    "aiohttp": ("ssl", "verify_ssl"),
    "boto3": ("verify",),
    "elasticsearch": ("verify_certs",),
    "opensearchpy": ("verify_certs",),
}
# Methods called on a session or client object of those libraries.
_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream"}
)
_UNVERIFIED = frozenset(
    {
        "ssl._create_unverified_context",
        "ssl._create_stdlib_context",
        # python-ldap (django-auth-ldap's AUTH_LDAP_GLOBAL_OPTIONS): no or ignored certificate.
        "ldap.OPT_X_TLS_NEVER",
        "ldap.OPT_X_TLS_ALLOW",
    }
)


class TlsVerificationDisabled(ModuleCheck):
    """TLS certificate verification is switched off for an outgoing connection.

    ## What it does
    Flags, with callees resolved through the imports:
    - `verify=False` passed to `requests` / `httpx` (module functions,
      `Session`, `Client`, and methods such as `session.get()` in a module
      that imports the library), `ssl=False` / `verify_ssl=False` to
      `aiohttp`, `verify=False` to `boto3.client()` / `resource()`, and
      `verify_certs=False` to `Elasticsearch()` / `OpenSearch()`;
    - `ssl._create_unverified_context` used at all (called or installed as
      `ssl._create_default_https_context`), and python-ldap's
      `ldap.OPT_X_TLS_NEVER` / `OPT_X_TLS_ALLOW` (django-auth-ldap's
      `AUTH_LDAP_GLOBAL_OPTIONS`);
    - `ssl.CERT_NONE` (or the string `"CERT_NONE"` as `cert_reqs=`) assigned
      or passed, and `ctx.check_hostname = False`; `session.verify = False`.

    It deliberately does not report `verify=` with anything but the literal
    `False` (a setting such as `verify=settings.VERIFY_TLS` is the operator's
    choice), nor a switch the code reaches only when such a choice says so:
    under `if not webhook.ssl_verification:` (directly, through a local
    boolean, or at every call of the function that holds the switch), where
    the same value is passed as the verification flag elsewhere in the
    module (`session.verify = webhook.ssl_verification`), or where the option
    says by its name that it is about certificate checks
    (`if not self._remote.tls_validation:`, `if environ.get("DISABLE_CERT_CHECK"):`):
    an opt-out the user or operator sets, with verification on by default. Comparisons with
    `ssl.CERT_NONE`, calls of look-alike functions from other libraries
    (`from mylib import get`), nor test code and migrations.

    ## Why is this bad?
    Without certificate verification anyone on the network path can present
    their own certificate, read the traffic (API keys, passwords, personal
    data) and change the responses.

    ## Example
    ```python
    response = requests.post(settings.PAYMENT_URL, json=order, verify=False)
    ```

    ## Use instead
    ```python
    response = requests.post(settings.PAYMENT_URL, json=order, verify=settings.PAYMENT_CA_BUNDLE)
    ```

    ## References
    - https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification
    - https://docs.python.org/3/library/ssl.html#ssl.CERT_NONE
    - https://cwe.mitre.org/data/definitions/295.html
    """

    id = "DJR323"
    name = "tls-verification-disabled"
    message = "{what} switches off TLS certificate verification; the peer is not authenticated"
    severity = Severity.WARNING
    cwe = (295,)
    security_severity = 7.4
    precision = "high"
    tags = ("tls",)
    hints = ("False", "CERT_NONE", "_create_", "OPT_X_TLS_")
    # "verify" and "ssl" alone are in most files of a large project: the switch itself.
    hint_pattern = re.compile(
        r"\b(?:verify|verify_ssl|verify_certs|ssl|check_hostname)\s*=\s*False\b"
        r"|CERT_NONE|_create_(?:unverified|stdlib)_context|OPT_X_TLS_(?:NEVER|ALLOW)"
    )

    def module_findings(
        self, file: SourceFile, project: Project, tree: ast.Module
    ) -> Iterator[Finding]:
        """Findings in one module."""
        names = imported_names(tree)
        libraries = {q.split(".")[0] for q in names.values()} & _CLIENTS.keys()
        chosen = _ChosenOff(tree)
        for resolved in resolved_calls(tree, names):
            for kw, what in _client_keywords(resolved.call, resolved.name, libraries):
                if not chosen.guards(kw):
                    yield self.finding((file, kw), what=what)
        for node in ast.walk(tree):
            switch = _other_switch(node, names, libraries)
            if switch and not chosen.guards(node):
                yield self.finding((file, node), what=switch)


_FLAG_KEYWORDS = frozenset(key for keys in _CLIENTS.values() for key in keys)
_FLAG_ATTRIBUTES = frozenset({"verify", "check_hostname"})
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


class _ChosenOff:
    """Which switches run only when the module's own verification flag is off.

    A flag is a value the module passes as the verification setting somewhere
    (`verify=webhook.ssl_verification`, `session.verify = self.verify_tls`): the
    user's or operator's choice. A switch under `if not <flag>` (or `<flag> is False`)
    implements that choice, as `verify=<flag>` does, which is not reported either.
    """

    def __init__(self, tree: ast.Module) -> None:
        self.flags = _flags(tree)
        self.parents: dict[ast.AST, ast.AST] = {}
        self.calls: dict[str, list[ast.Call]] = {}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
            if isinstance(parent, ast.Call):
                func = parent.func
                callee = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                self.calls.setdefault(callee, []).append(parent)

    def guards(self, node: ast.AST, depth: int = 0) -> bool:
        """Whether `node` runs only when a flag is off (here, or at every call of its function)."""
        if depth > 2:
            return False
        child, parent = node, self.parents.get(node)
        while parent is not None:
            if (
                isinstance(parent, ast.If)
                and child in parent.body
                and (_named_opt_out(parent.test) or self._off(parent.test, self._function(parent)))
            ):
                return True
            if isinstance(parent, FunctionNode):
                calls = self.calls.get(parent.name, [])
                return bool(calls) and all(self.guards(call, depth + 1) for call in calls)
            child, parent = parent, self.parents.get(parent)
        return False

    def _function(self, node: ast.AST) -> FunctionNode | None:
        parent = self.parents.get(node)
        while parent is not None and not isinstance(parent, FunctionNode):
            parent = self.parents.get(parent)
        return parent

    def _off(self, test: ast.expr, function: FunctionNode | None) -> bool:
        """`not flag`, `flag is False`, `flag == False`, or a local boolean built from one."""
        if not self.flags:
            return False
        for part in ast.walk(test):
            if (
                isinstance(part, ast.UnaryOp)
                and isinstance(part.op, ast.Not)
                and ast.unparse(part.operand) in self.flags
            ):
                return True
            if (
                isinstance(part, ast.Compare)
                and len(part.ops) == 1
                and isinstance(part.ops[0], ast.Is | ast.Eq)
                and is_false(part.comparators[0])
                and ast.unparse(part.left) in self.flags
            ):
                return True
            if isinstance(part, ast.Name) and function is not None:
                for stmt in ast.walk(function):
                    if (
                        isinstance(stmt, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == part.id for t in stmt.targets)
                        and self._off(stmt.value, None)
                    ):
                        return True
        return False


# An option that names certificate checking (`remote.tls_validation`, `VERIFY_SSL`),
# and one that names switching it off (`TA_LDAP_DISABLE_CERT_CHECK`, `insecure`).
_VERIFICATION_OPTION = re.compile(r"verif|tls|ssl|cert", re.IGNORECASE)
_OPT_OUT_OPTION = re.compile(
    r"(?:disable|skip|no|ignore|allow_invalid|unverified|insecure).*(?:verif|tls|ssl|cert)"
    r"|(?:verif|tls|ssl|cert).*(?:disable|skip|ignore|off)|^insecure$",
    re.IGNORECASE,
)


def _option_names(node: ast.expr) -> Iterator[str]:
    """The option names a test reads: variables, attributes, and environment keys."""
    for part in ast.walk(node):
        if isinstance(part, ast.Name):
            yield part.id
        elif isinstance(part, ast.Attribute):
            yield part.attr
        elif isinstance(part, ast.Constant) and isinstance(part.value, str):
            yield part.value


def _named_opt_out(test: ast.expr) -> bool:
    """`if not remote.tls_validation:` or `if environ.get("DISABLE_CERT_CHECK"):`.

    The switch implements an option the user or operator sets by name, whose
    default keeps verification on: the project's choice is explicit.
    """
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return any(_VERIFICATION_OPTION.search(name) for name in _option_names(test.operand))
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is | ast.Eq)
        and is_false(test.comparators[0])
    ):
        return any(_VERIFICATION_OPTION.search(name) for name in _option_names(test.left))
    return any(_OPT_OUT_OPTION.search(name) for name in _option_names(test))


def _flags(tree: ast.Module) -> set[str]:
    """The values the module passes as a verification flag (never a literal)."""
    flags = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in _FLAG_KEYWORDS:
            value: ast.expr | None = node.value
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Attribute)
            and node.targets[0].attr in _FLAG_ATTRIBUTES
        ):
            value = node.value
        else:
            continue
        if isinstance(value, ast.Attribute | ast.Name | ast.Subscript):
            flags.add(ast.unparse(value))
    return flags


def _client_keywords(
    call: ast.Call, name: str, libraries: set[str]
) -> Iterator[tuple[ast.keyword, str]]:
    head = name.split(".")[0]
    if head in _CLIENTS:
        keys = set(_CLIENTS[head])
    elif (
        isinstance(call.func, ast.Attribute)
        and call.func.attr in _METHODS
        and _not_another_library(name)
    ):
        keys = {key for library in libraries for key in _CLIENTS[library]}
    else:
        return
    label = shown(name) or (call.func.attr if isinstance(call.func, ast.Attribute) else "the call")
    for kw in call.keywords:
        if kw.arg in keys and is_false(kw.value):
            yield kw, f"`{kw.arg}=False` in {label}()"


def _not_another_library(name: str) -> bool:
    """`self.session.get` or a local `client.get`: not `mylib.get` imported from elsewhere."""
    return "." not in name or name.startswith((f"{LOCAL}.", "self.", "cls.")) or "(" in name


def _other_switch(node: ast.AST, names: dict[str, str], libraries: set[str]) -> str:
    if isinstance(node, ast.Attribute | ast.Name) and isinstance(node.ctx, ast.Load):
        full = qualified(node, names)
        if full in _UNVERIFIED:
            return f"`{full}`"
    if isinstance(node, ast.Assign | ast.keyword):
        if qualified(node.value, names) == "ssl.CERT_NONE":
            return "`ssl.CERT_NONE`"
        if (
            isinstance(node, ast.keyword)
            and node.arg == "cert_reqs"
            and isinstance(node.value, ast.Constant)
            and node.value.value == "CERT_NONE"
        ):
            return '`cert_reqs="CERT_NONE"`'
    if isinstance(node, ast.Assign) and is_false(node.value):
        uses_ssl = any(q.split(".")[0] == "ssl" for q in names.values())
        for target in node.targets:
            if isinstance(target, ast.Attribute):
                if target.attr == "check_hostname" and uses_ssl:
                    return "`check_hostname = False`"
                if target.attr == "verify" and libraries & {"requests", "httpx"}:
                    return "`verify = False` on a session"
    return ""
