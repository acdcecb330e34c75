"""What counts as request data, and which calls sanitise or merely pass it on."""

from __future__ import annotations

import ast

from djreview.model import FlowStep
from djreview.taint.values import ALL_KINDS

# Attributes of an HttpRequest (or DRF Request) that hold client-controlled data.
REQUEST_ATTRS = frozenset(
    {
        "GET",
        "POST",
        "body",
        "data",
        "query_params",
        "COOKIES",
        "META",
        "headers",
        "FILES",
        "content_params",
    }
)
# Names under which views conventionally receive the request.
REQUEST_NAMES = frozenset({"request", "req", "http_request"})
# Class-based views: URL parameters captured by the URLconf.
VIEW_KWARGS = frozenset({"kwargs", "args"})

_EVERYTHING = ALL_KINDS
_HTML = frozenset({"html", "email_html", "markup"})
# Calls whose result is safe for some (or all) sink kinds, by the callee's last name.
SANITISERS: dict[str, frozenset[str]] = {
    "int": _EVERYTHING,
    "float": _EVERYTHING,
    "bool": _EVERYTHING,
    "len": _EVERYTHING,
    "abs": _EVERYTHING,
    "round": _EVERYTHING,
    "Decimal": _EVERYTHING,
    "UUID": _EVERYTHING,
    "slugify": _EVERYTHING,
    "escape": _HTML,
    "conditional_escape": _HTML,
    "format_html": _HTML,
    "escapejs": _HTML,
    "strip_tags": _HTML,
    "quote": frozenset({"shell"}),
    "basename": frozenset({"path"}),
    "get_valid_filename": frozenset({"path"}),
    "safe_join": frozenset({"path"}),
    "iri_to_uri": frozenset(),
}
# Validators: a name tested by one of these in an `if`/`assert` is safe afterwards.
GUARDS: dict[str, frozenset[str]] = {
    "validate_password": frozenset({"password"}),
    "url_has_allowed_host_and_scheme": frozenset({"redirect", "ssrf"}),
    "is_safe_url": frozenset({"redirect", "ssrf"}),
    "isdigit": _EVERYTHING,
    "isdecimal": _EVERYTHING,
    "isnumeric": _EVERYTHING,
    "isalnum": _EVERYTHING,
    "isidentifier": _EVERYTHING,
    "fullmatch": _EVERYTHING,
    "match": _EVERYTHING,
}
# Functions that pass (a transformation of) their arguments on, also as methods of a
# clean object (`os.path.join`, `"".join`, `base64.b64decode`).
METHOD_PROPAGATORS = frozenset(
    {
        "join",
        "abspath",
        "normpath",
        "realpath",
        "expanduser",
        "urljoin",
        "unquote",
        "unquote_plus",
        "urlparse",
        "urlsplit",
        "b64decode",
        "urlsafe_b64decode",
        "b64encode",
        "decodebytes",
        "encodebytes",
        # TEMPLATE.replace("{column}", value): text built by substitution.
        "replace",
        "loads",
        "dedent",
        "format",
        "force_str",
        "smart_str",
        "force_bytes",
        "deepcopy",
        "Path",
        "PurePath",
    }
)
# Builtins that do the same only when called by name: as methods (`qs.filter(...)`,
# `qs.get(...)`) they return rows, not their arguments.
PROPAGATORS = METHOD_PROPAGATORS | frozenset(
    {
        "str",
        "repr",
        "list",
        "tuple",
        "set",
        "frozenset",
        "dict",
        "sorted",
        "reversed",
        "bytes",
        "bytearray",
        "next",
        "iter",
        "enumerate",
        "zip",
        "filter",
        "map",
        "min",
        "max",
        "copy",
    }
)
# Methods on a tainted value whose result is not data from the client (a test, a count).
NON_PROPAGATING_METHODS = frozenset(
    {
        "isdigit",
        "isdecimal",
        "isnumeric",
        "isalnum",
        "isalpha",
        "isidentifier",
        "startswith",
        "endswith",
        "count",
        "find",
        "rfind",
        "index",
        "rindex",
        "is_valid",
        "exists",
        "is_secure",
        "get_host",
        "has_key",
        "__len__",
        "__contains__",
        "is_ajax",
        "build_absolute_uri",
    }
)
# Attributes of a bound form or serializer that hold only validated values.
VALIDATED_ATTRS = frozenset(
    {"cleaned_data", "validated_data", "errors", "instance", "user", "id", "pk"}
)


def call_name(func: ast.expr) -> str:
    """The last name of a callee: `escape` for `html.escape`, `join` for `os.path.join`."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def dotted(node: ast.expr) -> str:
    """`a.b.c` for an attribute chain of names; '' for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    if isinstance(node, ast.Call):
        inner = dotted(node.func)
        if inner:
            parts.append(inner + "()")
            return ".".join(reversed(parts))
    return ""


def is_request_object(node: ast.expr) -> bool:
    """`request`, `self.request` or `req`: the view's HttpRequest."""
    if isinstance(node, ast.Name):
        return node.id in REQUEST_NAMES
    return (
        isinstance(node, ast.Attribute)
        and node.attr in REQUEST_NAMES
        and isinstance(node.value, ast.Name)
        and node.value.id in {"self", "cls"}
    )


def request_source(node: ast.expr, in_class_view: bool) -> str | None:
    """A description of the request data `node` reads, or None.

    Recognises `request.GET`, `self.request.POST`, `request.body` and the like,
    and, in class-based views, `self.kwargs` (URL parameters).
    """
    if not isinstance(node, ast.Attribute):
        return None
    if node.attr in REQUEST_ATTRS and is_request_object(node.value):
        return dotted(node) or node.attr
    if (
        in_class_view
        and node.attr in VIEW_KWARGS
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    ):
        return f"self.{node.attr} (URL parameters)"
    return None


def reads_post(step: FlowStep) -> bool:
    """Whether a flow's first step is a read of `request.POST` (form data, behind CSRF)."""
    return step.message.startswith(("`request.POST`", "`self.request.POST`"))
