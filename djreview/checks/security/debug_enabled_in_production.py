"""DJR401: DEBUG on in settings that run in production."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from djreview.checks.security._settings import Deployed, SettingsCheck, env_helper_default
from djreview.model import Finding, Severity
from djreview.project.settings_eval import ENV_GETTERS
from djreview.taint.sources import dotted

_TRUE = frozenset({"true", "1", "yes", "on"})


class DebugEnabledInProduction(SettingsCheck):
    """`DEBUG` is true, or defaults to true, in settings that run in production.

    ## What it does
    Evaluates the settings modules statically (split settings with star
    imports, environment reads with their defaults) and flags `DEBUG` when it
    is `True`, or becomes `True` when its environment variable is unset, in a
    settings module that is deployed: the one `wsgi.py`/`asgi.py` names, one
    named for production, or a lone settings module. Development and test
    settings (`dev`, `local`, `test`...) are not flagged, nor settings named
    for a build step (`build`, `collectstatic`: what `collectstatic` runs
    with while the image is built). A settings package whose whole body is
    `try: from .dev import *` / `except ImportError: from .prod import *` is
    an alias, not judged itself (its value is the `try` branch, the
    development one): each branch is, as if the entry point named it.

    `DEBUG = os.getenv("DEBUG", False)` is flagged too: `os.getenv()` returns
    the variable's text, and every non-empty string is true, so the
    `DEBUG=False` or `DEBUG=0` an operator sets to switch it off turns it on
    (OpenCiviWiki's production settings). A default that is a non-empty
    string (`os.environ.get("DEBUG", "False")`) makes it true when unset.
    Not flagged: the same read compared or cast (`== "1"`, `bool(int(...))`,
    `env.bool()`), which the evaluator reads as the value it yields; nor
    `DEBUG = True` set only in a branch an off-by-default environment flag
    opens (`if env.bool("ENABLE_DB_LOGGING", default=False):`): the value
    judged is the one a deployment runs with every variable unset.

    ## Why is this bad?
    With `DEBUG = True` every error page shows source code, local variables,
    settings and SQL to whoever triggers it, and Django keeps every query in
    memory.

    ## Example
    ```python
    DEBUG = os.environ.get("DJANGO_DEBUG", "true").lower() == "true"
    ```

    ## Use instead
    ```python
    DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#debug
    - https://docs.djangoproject.com/en/stable/howto/deployment/checklist/
    """

    id = "DJR401"
    name = "debug-enabled-in-production"
    message = "DEBUG is {how} {applies}, so error pages show code, settings and data to anyone"
    severity = Severity.ERROR
    cwe = (489, 215)
    security_severity = 7.5
    precision = "high"
    tags = ("settings",)

    def check_settings(self, deployed: Deployed) -> Iterator[Finding]:
        """DEBUG true, or true by environment default."""
        value = deployed.value("DEBUG")
        value = value.by_default() if value is not None else None
        if value is None:
            return
        helper = env_helper_default(value.node)
        raw = _raw_env_read(value.node)
        if raw is not None:
            variable, default = raw
            if not (isinstance(default, str) and default):
                how = (
                    f"read as raw text from {variable} (any value, 'False' and '0' included, "
                    "turns it on)"
                )
            else:
                how = (
                    f"the string {default!r} when {variable} is unset (a non-empty string is true)"
                )
        elif helper is not None and str(helper[1]).lower() in _TRUE:
            how = f"True when {helper[0]} is unset (default of {helper[2]}())"
        elif value.value is not True:
            return
        elif value.from_env:
            names = ", ".join(env.name for env in value.env)
            how = f"True when {names} is unset"
        else:
            how = "True"
        yield self.finding(deployed.where(value), how=how, applies=deployed.applies(value))


def _raw_env_read(statement: ast.AST | None) -> tuple[str, object] | None:
    """`DEBUG = os.getenv("DEBUG", default)`: the variable and default of an uncast read."""
    value = getattr(statement, "value", None)
    if not isinstance(value, ast.Call) or not value.args or dotted(value.func) not in ENV_GETTERS:
        return None
    name = value.args[0]
    if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
        return None
    default = value.args[1] if len(value.args) > 1 else None
    if default is not None and not isinstance(default, ast.Constant):
        return None
    return name.value, default.value if default is not None else None
