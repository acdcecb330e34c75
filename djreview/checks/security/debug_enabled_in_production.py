"""DJR401: DEBUG on in settings that run in production."""

from __future__ import annotations

from collections.abc import Iterator

from djreview.checks.security._settings import Deployed, SettingsCheck, env_helper_default
from djreview.model import Finding, Severity

_TRUE = frozenset({"true", "1", "yes", "on"})


class DebugEnabledInProduction(SettingsCheck):
    """`DEBUG` is true, or defaults to true, in settings that run in production.

    ## What it does
    Evaluates the settings modules statically (split settings with star
    imports, environment reads with their defaults) and flags `DEBUG` when it
    is `True`, or becomes `True` when its environment variable is unset, in a
    settings module that is deployed: the one `wsgi.py`/`asgi.py` names, one
    named for production, or a lone settings module. Development and test
    settings (`dev`, `local`, `test`...) are not flagged.

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
        if value is None:
            return
        helper = env_helper_default(value.node)
        if helper is not None and str(helper[1]).lower() in _TRUE:
            how = f"True when {helper[0]} is unset (default of {helper[2]}())"
        elif value.value is not True:
            return
        elif value.from_env:
            names = ", ".join(env.name for env in value.env)
            how = f"True when {names} is unset"
        else:
            how = "True"
        yield self.finding(deployed.where(value), how=how, applies=deployed.applies(value))
