"""`django.urls.resolve()` as a redirect guard: a URL the site's own URLconf matches.

`resolve("//evil.example/")` raises `Resolver404` (the root resolver takes
one `/`, no pattern starts with `/`), so a URL that resolved is a path of this
site, unless a root pattern matches it: `<path:rest>`, or a first segment any
text fills (`<str:slug>/`, `re_path(r"^(?P<s>[^/]+)/$")`), which also takes
`\\evil.example/` — and browsers read `/\\evil.example/` as `//evil.example/`.
Two shapes count: a `resolve(url)` that returned, uncaught (a `Resolver404`
is Django's 404 answer) or in a `try` whose handlers rebind `url` or leave
(the engine follows both paths), and a helper whose every `return` is a falsy literal or tests what
`resolve()` of its first parameter matched (`return match.url_name == "authorize"`).
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from djreview.project.literals import literal_str
from djreview.project.modules import dotted_name
from djreview.project.urls import URLPattern
from djreview.taint.names import qualified_callee

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel

RESOLVE = frozenset({"django.urls.resolve", "django.urls.base.resolve"})
# Installed apps' URLconfs that resolve any path (`<path:url>`, django CMS's page slugs).
CATCH_ALL_URLCONFS = frozenset({"django.contrib.flatpages.urls", "cms.urls"})
_INCLUDE = frozenset(
    {"django.urls.include", "django.conf.urls.include", "django.urls.conf.include"}
)


def resolves_only_own_paths(model: ProjectModel) -> bool:
    """Whether `resolve()` can only succeed for this site's paths: URLs read, none catch-all,
    no catch-all URLconf of an installed app included (flatpages' `<path:url>`)."""
    found = model.urls
    if not found or any(_catch_all(pattern) for pattern in found):
        return False
    root = model.settings.literal("ROOT_URLCONF")
    for name in {pattern.module for pattern in found} | {root if isinstance(root, str) else ""}:
        tree = model.modules[name].file.tree if name in model.modules else None
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Call) and _includes_catch_all(model, name, node):
                return False
    return True


def _includes_catch_all(model: ProjectModel, module: str, call: ast.Call) -> bool:
    """`include("django.contrib.flatpages.urls")` (as a string or an imported module)."""
    if not (call.args and model.resolve_name(module, dotted_name(call.func) or "") in _INCLUDE):
        return False
    target = call.args[0]
    text = literal_str(target)
    if text is None:
        text = model.resolve_name(module, dotted_name(target) or "")
    return text in CATCH_ALL_URLCONFS


_FIRST_CAPTURE = re.compile(r"<(?:(\w+):)?\w+>")
_CLOSED_CONVERTERS = frozenset({"int", "slug", "uuid"})
# What an off-site target looks like to a root pattern once the resolver took one `/`.
_PROBES = ("/evil.example/", "\\evil.example/")


def _catch_all(pattern: URLPattern) -> bool:
    """A root pattern that matches `/evil.example/` or `\\evil.example/` once the root
    resolver has taken its `/`."""
    route = pattern.route.lstrip("^")
    if pattern.kind == "path":
        # A first segment captured by a converter other than int, slug or uuid takes any
        # text but `/`: `\\evil.example` included.
        first = _FIRST_CAPTURE.match(route)
        return first is not None and (first.group(1) or "str") not in _CLOSED_CONVERTERS
    try:
        return any(re.match(route, probe) is not None for probe in _PROBES)
    except re.error:
        return True


def resolved_name(stmt: ast.stmt, names: dict[str, str]) -> str | None:
    """`v` for a statement `resolve(v)` or `match = resolve(v)` (Django's, by qualified name)."""
    value = stmt.value if isinstance(stmt, ast.Expr | ast.Assign) else None
    if (
        isinstance(value, ast.Call)
        and qualified_callee(value.func, names) in RESOLVE
        and len(value.args) == 1
        and isinstance(value.args[0], ast.Name)
    ):
        return value.args[0].id
    return None


def tests_resolve(function: ast.FunctionDef | ast.AsyncFunctionDef, names: dict[str, str]) -> bool:
    """Every `return` of `function` is a falsy literal or reads what `resolve(<first param>)`
    matched, and at least one is the latter: true only for a URL the site resolves."""
    params = function.args.posonlyargs + function.args.args
    if params and params[0].arg in {"self", "cls"}:
        params = params[1:]
    if not params:
        return False
    checked = params[0].arg
    matches = {
        target.id
        for node in ast.walk(function)
        if isinstance(node, ast.Assign) and resolved_name(node, names) == checked
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    tested = False
    for node in ast.walk(function):
        if not isinstance(node, ast.Return):
            continue
        if isinstance(node.value, ast.Constant) and not node.value.value:
            continue
        either = isinstance(node.value, ast.BoolOp) and isinstance(node.value.op, ast.Or)
        if node.value is None or either or not _reads_match(node.value, matches, checked, names):
            return False
        tested = True
    return tested


def _reads_match(value: ast.expr, matches: set[str], checked: str, names: dict[str, str]) -> bool:
    for node in ast.walk(value):
        if isinstance(node, ast.Name) and node.id in matches:
            return True
        if isinstance(node, ast.Call) and resolved_name(ast.Expr(node), names) == checked:
            return True
    return False
