"""DJR404: Security, CSRF or clickjacking middleware missing from MIDDLEWARE."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator

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
        return self._missing(deployed, lambda item, path: subclass_of(model, item, path, 0))

    def check_settings(self, deployed: Deployed) -> Iterator[Finding]:
        """The protective middleware the list leaves out (listed by their own path)."""
        return self._missing(deployed, lambda item, path: item == path)

    def _missing(self, deployed: Deployed, provides: _Provides) -> Iterator[Finding]:
        value = deployed.value("MIDDLEWARE")
        if value is None or not isinstance(value.value, list | tuple):
            return
        listed = {item for item in value.value if isinstance(item, str)}
        missing = [
            short
            for path, short in REQUIRED.items()
            if not any(provides(item, path) for item in listed)
        ]
        if missing:
            yield self.finding(
                deployed.where(value), missing=", ".join(missing), applies=deployed.applies(value)
            )


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
