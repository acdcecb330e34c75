"""DJR404: Security, CSRF or clickjacking middleware missing from MIDDLEWARE."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from typing import TypeGuard

from djreview.checks.security._settings import Deployed, SettingsCheck
from djreview.model import Finding, Severity
from djreview.project.project_model import ProjectModel
from djreview.source.project import Project
from djreview.taint.sources import dotted

_MAX_BASES = 6
_Provides = Callable[[str, str], bool]  # (a MIDDLEWARE entry, a required path) -> provided?

REQUIRED = {
    "django.middleware.security.SecurityMiddleware": "SecurityMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware": "CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware": "XFrameOptionsMiddleware",
}
# Django's own check for a missing header middleware: silenced, the project says its
# front server sets those headers. CSRF has no such stand-in, so security.W003 is not here.
_HEADER_CHECKS = {
    "SecurityMiddleware": "security.W001",
    "XFrameOptionsMiddleware": "security.W002",
}


class SecurityMiddlewareMissing(SettingsCheck):
    """`MIDDLEWARE` lacks `SecurityMiddleware`, `CsrfViewMiddleware` or `XFrameOptionsMiddleware`.

    ## What it does
    Reads the evaluated `MIDDLEWARE` of deployed settings and names the
    protective middleware that is missing. Settings whose `MIDDLEWARE` cannot
    be evaluated (built by code) are not flagged.

    A project class that subclasses the required one (a
    `CsrfViewMiddleware` subclass that relaxes the check for API tokens)
    counts as that middleware: it is found through the class's bases, across
    modules, without importing anything.

    The stack judged is the one a deployment runs with every environment
    variable unset, as for `DEBUG`: a `MIDDLEWARE.remove(...)` in a branch
    whose environment-read test is false by default (`if
    config("EXPERIMENTER_CI_TEST_RUN", default=False, cast=bool):`, a CI
    switch on experimenter) is not reported; one that runs by default is.
    And when the project's own start-up code (fiduswriter's `manage.py` and
    `asgi.py`) copies another list setting into MIDDLEWARE
    (`list(settings["BASE_MIDDLEWARE"])`, `.extend(...)`, `+`), that list's
    middleware counts as listed, so the message names only what the merged
    stack lacks.

    Not named: a header middleware whose Django check the settings silence
    (`SILENCED_SYSTEM_CHECKS` with `security.W001` for SecurityMiddleware,
    `security.W002` for XFrameOptionsMiddleware): the project states that its
    front server sets those headers. `CsrfViewMiddleware` stays named even
    with `security.W003` silenced, since no proxy can stand in for it. The
    finding is at the line that defines the list, not at a later `+=`
    that only adds to it.

    ## Why is this bad?
    Without `CsrfViewMiddleware` no view is protected from cross-site request
    forgery; without `SecurityMiddleware` the HSTS, SSL-redirect and
    content-type-sniffing settings do nothing; without
    `XFrameOptionsMiddleware` any site can frame your pages (clickjacking).

    ## Example
    ```python
    MIDDLEWARE = [
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ]
    ```

    ## Use instead
    ```python
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/middleware/
    - https://docs.djangoproject.com/en/stable/ref/csrf/
    """

    id = "DJR404"
    name = "security-middleware-missing"
    message = "MIDDLEWARE {applies} lacks {missing}"
    severity = Severity.WARNING
    cwe = (352, 1021)
    security_severity = 6.5
    precision = "high"
    tags = ("settings", "csrf")

    def check_deployed(self, deployed: Deployed, project: Project) -> Iterable[Finding]:
        """The protective middleware the list leaves out, project subclasses counting."""
        model = project.analysis(ProjectModel)
        return self._missing(
            deployed,
            lambda item, path: subclass_of(model, item, path, 0),
            merged_at_start_up(model),
        )

    def check_settings(self, deployed: Deployed) -> Iterator[Finding]:
        """The protective middleware the list leaves out (listed by their own path)."""
        return self._missing(deployed, lambda item, path: item == path, frozenset())

    def _missing(
        self, deployed: Deployed, provides: _Provides, merged: frozenset[str]
    ) -> Iterator[Finding]:
        value = deployed.value("MIDDLEWARE")
        value = value.by_default() if value is not None else None
        if value is None or not isinstance(value.value, list | tuple):
            return
        listed = {item for item in value.value if isinstance(item, str)}
        for name in merged:
            extra = deployed.value(name)
            if extra is not None and isinstance(extra.value, list | tuple):
                listed |= {item for item in extra.value if isinstance(item, str)}
        silenced = deployed.value("SILENCED_SYSTEM_CHECKS")
        silenced = silenced.by_default() if silenced is not None else None
        quiet = set(silenced.value) if silenced is not None and _strings(silenced.value) else set()
        missing = {
            path: short
            for path, short in REQUIRED.items()
            if not any(provides(item, path) for item in listed)
            and _HEADER_CHECKS.get(short) not in quiet
        }
        if not missing:
            return
        # At the line that defines the list: the updates after it, already lacking them, add.
        while (origin := value.derived_from) is not None and isinstance(origin.value, list | tuple):
            if any(
                provides(item, path)
                for item in origin.value
                if isinstance(item, str)
                for path in missing
            ):
                break
            value = origin
        yield self.finding(
            deployed.where(value),
            missing=", ".join(missing.values()),
            applies=deployed.applies(value),
        )


def _strings(value: object) -> TypeGuard[list[str] | tuple[str, ...]]:
    return isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)


def subclass_of(model: ProjectModel, qualified: str, target: str, depth: int) -> bool:
    """Whether the class at `qualified` is `target` or a project subclass of it."""
    if qualified == target:
        return True
    module_name, _, class_name = qualified.rpartition(".")
    module = model.modules.get(module_name)
    tree = module.file.tree if module is not None else None
    if tree is None or depth >= _MAX_BASES:
        return False
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef) and statement.name == class_name:
            for base in statement.bases:
                spelled = dotted(base)
                resolved = model.resolve_name(module_name, spelled) if spelled else None
                if resolved and subclass_of(model, resolved, target, depth + 1):
                    return True
    return False


def merged_at_start_up(model: ProjectModel) -> frozenset[str]:
    """Other `*_MIDDLEWARE` settings the project's own code copies into MIDDLEWARE.

    fiduswriter's manage.py and asgi.py build the stack Django runs as
    `list(settings["BASE_MIDDLEWARE"])` extended with `MIDDLEWARE`. A module outside
    the settings that writes MIDDLEWARE (`settings_dict["MIDDLEWARE"] = ...`,
    `configure(MIDDLEWARE=...)`) and copies such a setting into a list (`list(...)`,
    `.extend(...)`, `+`, `*x`) merges it; a read that only tests membership
    (`x not in settings.REMOVED_MIDDLEWARE`) does not.
    """
    found: set[str] = set()
    for module in model.modules.values():
        tree = module.file.tree
        if (
            tree is None
            or module.name in model.settings.modules
            or "MIDDLEWARE" not in module.file.text
        ):
            continue
        if not any(_writes_middleware(node) for node in ast.walk(tree)):
            continue
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                name = _middleware_setting(child)
                if name is not None and _copies(node, child):
                    found.add(name)
    return frozenset(found)


def _middleware_setting(node: ast.AST) -> str | None:
    """`settings["BASE_MIDDLEWARE"]`, `CONFIGURATION.BASE_MIDDLEWARE`: another list setting."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        name = node.slice.value
    elif isinstance(node, ast.Attribute):
        name = node.attr
    else:
        return None
    if isinstance(name, str) and name.endswith("_MIDDLEWARE"):
        return name
    return None


def _copies(parent: ast.AST, child: ast.AST) -> bool:
    """Whether `parent` copies the list `child` into another: list(x), y.extend(x), a + x, *x."""
    if isinstance(parent, ast.Starred) or (
        isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add)
    ):
        return True
    if isinstance(parent, ast.Call) and child in parent.args:
        return dotted(parent.func) in ("list", "tuple") or (
            isinstance(parent.func, ast.Attribute) and parent.func.attr == "extend"
        )
    return False


def _writes_middleware(node: ast.AST) -> bool:
    if isinstance(node, ast.keyword):
        return node.arg == "MIDDLEWARE"
    targets = node.targets if isinstance(node, ast.Assign) else []
    for target in targets:
        subscript = isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant)
        if subscript and target.slice.value == "MIDDLEWARE":  # type: ignore[attr-defined]
            return True
        if isinstance(target, ast.Attribute) and target.attr == "MIDDLEWARE":
            return True
    return False
