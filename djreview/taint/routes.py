"""Which URL parameters can carry arbitrary text, from the project's URLconf.

`<int:pk>`, `<slug:slug>` and `<uuid:id>` (and `re_path` groups made only of
digits, word characters and dashes) cannot hold quotes, slashes or markup, so
they are not request data worth tracking; `<str:...>`, `<path:...>` and
open regular expressions are.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel

_PATH_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_SAFE_CONVERTERS = frozenset({"int", "slug", "uuid"})
# A regex group of digits, word characters and dashes only (\d+, [-\w]+, [0-9a-f]{32}).
_SAFE_GROUP = re.compile(r"(\\d|\\w|\[\^?(?:\\d|\\w|[-a-zA-Z0-9_])+\]|[-+*?{}\d,a-zA-Z_])+")


def _regex_params(route: str) -> dict[str, bool]:
    """`(?P<name>...)` groups of a regex route: name -> whether the group is closed to markup."""
    found: dict[str, bool] = {}
    for match in re.finditer(r"\(\?P<(\w+)>", route):
        depth, position = 1, match.end()
        while position < len(route) and depth:
            char = route[position]
            if char == "\\":
                position += 2
                continue
            depth += {"(": 1, ")": -1}.get(char, 0)
            position += 1
        group = route[match.end() : position - 1]
        found[match.group(1)] = "[^" not in group and bool(_SAFE_GROUP.fullmatch(group))
    return found


def route_param_safety(route: str, kind: str) -> dict[str, bool]:
    """Each captured parameter of a route, and whether its converter makes it safe."""
    if kind != "path":
        return _regex_params(route)
    return {
        m.group("name"): (m.group("converter") or "str") in _SAFE_CONVERTERS
        for m in _PATH_PARAM.finditer(route)
    }


def view_params(index: ProjectModel) -> dict[str, dict[str, bool]]:
    """Routed views by qualified name: parameter -> safe in every route that captures it."""
    views: dict[str, dict[str, bool]] = {}
    for pattern in index.urls:
        if pattern.view is None:
            continue
        params = views.setdefault(pattern.view, {})
        for name, safe in route_param_safety(pattern.route, pattern.kind).items():
            params[name] = params.get(name, True) and safe
    return views
