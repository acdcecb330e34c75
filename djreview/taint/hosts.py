"""Values that hold only a URL's host: testing them tests where the URL goes."""

from __future__ import annotations

import ast
import string

from djreview.taint.sources import call_name

_HOST_ATTRS = frozenset({"hostname", "netloc"})
_PARSERS = frozenset({"urlparse", "urlsplit"})
# String methods that keep a host a host (`host.lower()`).
_SAME_HOST = frozenset({"lower", "casefold", "strip", "rstrip", "lstrip"})


def host_of(
    node: ast.expr, hosts: dict[str, str], parsed: dict[str, str] | None = None
) -> str | None:
    """The URL variable whose host alone `node` is built from, or None.

    `urlparse(url).hostname`, `urlsplit(url).netloc`, the same of a variable in
    `parsed` (a name assigned `urlsplit(url)`, see `parsed_url`), a variable in
    `hosts` (a name assigned such a value), and those through `str()`,
    `.lower()`, f-strings and `str.format` whose every field is the same URL's host.
    """
    parsed = parsed or {}
    if isinstance(node, ast.Name):
        return hosts.get(node.id)
    if isinstance(node, ast.Attribute) and node.attr in _HOST_ATTRS:
        return _parsed_url(node.value, parsed)
    if isinstance(node, ast.JoinedStr):
        return _same([host_of(value.value, hosts, parsed) for value in _fields(node)])
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Name) and node.func.id == "str" and len(node.args) == 1:
        return host_of(node.args[0], hosts, parsed)
    if not isinstance(node.func, ast.Attribute):
        return None
    if node.func.attr in _SAME_HOST and not node.args:
        return host_of(node.func.value, hosts, parsed)
    if node.func.attr == "format" and isinstance(node.func.value, ast.Constant):
        template = node.func.value.value
        if not isinstance(template, str):
            return None
        return _formatted_host(template, node, hosts, parsed)
    return None


def parsed_url(node: ast.expr) -> str | None:
    """`url` for `urlparse(url)` / `urlsplit(url)`: a name assigned it holds `url`'s parts."""
    return _parsed_url(node, {})


def _fields(node: ast.JoinedStr) -> list[ast.FormattedValue]:
    return [value for value in node.values if isinstance(value, ast.FormattedValue)]


def _parsed_url(node: ast.expr, parsed: dict[str, str]) -> str | None:
    """`url` for `urlparse(url)` / `urlsplit(url)`, or a name in `parsed` holding one."""
    if isinstance(node, ast.Name):
        return parsed.get(node.id)
    if (
        isinstance(node, ast.Call)
        and call_name(node.func) in _PARSERS
        and node.args
        and isinstance(node.args[0], ast.Name)
    ):
        return node.args[0].id
    return None


def _formatted_host(
    template: str, call: ast.Call, hosts: dict[str, str], parsed: dict[str, str]
) -> str | None:
    """`"{uri.hostname}".format(uri=urlparse(url))`, `"{}".format(host)`: every field a host."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError:
        return None
    keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
    found: list[str | None] = []
    for position, field in enumerate(fields):
        head, dot, attr = field.partition(".")
        head = head or str(position)
        value = call.args[int(head)] if head.isdigit() and int(head) < len(call.args) else None
        value = keywords.get(head, value)
        if value is None or "[" in field:
            return None
        if dot:
            found.append(_parsed_url(value, parsed) if attr in _HOST_ATTRS else None)
        else:
            found.append(host_of(value, hosts, parsed))
    return _same(found)


def _same(urls: list[str | None]) -> str | None:
    """The one URL every part is the host of, or None."""
    if urls and urls[0] is not None and all(url == urls[0] for url in urls):
        return urls[0]
    return None
