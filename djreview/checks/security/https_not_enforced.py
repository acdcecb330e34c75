"""DJR406: HSTS and the HTTPS redirect both off in production settings."""

from __future__ import annotations

from collections.abc import Iterator

from djreview.checks.security._settings import Deployed, SettingsCheck
from djreview.model import Finding, Severity


class HttpsNotEnforced(SettingsCheck):
    """Production settings neither redirect to HTTPS nor send HSTS.

    ## What it does
    In settings named for production or named by an entry point (`wsgi.py`,
    `asgi.py`, `manage.py`), flags
    `SECURE_SSL_REDIRECT` false *and* `SECURE_HSTS_SECONDS` 0 (both Django's
    defaults). Either one set is enough to stay silent: many deployments
    redirect at the proxy and only send HSTS from Django, or the reverse. A
    note, since the proxy may do both.

    A setting bound through the settings module's own helper counts as set:
    `set_option("SECURE_HSTS_SECONDS", 31536000)` where `set_option` assigns
    `globals()[name]`, or hands `globals()` and the name to a module
    function that assigns `context[name]`, is read as
    `SECURE_HSTS_SECONDS = 31536000` (overridable by the environment variable
    of that name when the helper reads the environment). A helper call without a value
    (`set_from_env("NAME")`) binds nothing.

    ## Why is this bad?
    Users who type the bare domain start on plain HTTP, where a network
    attacker can keep them (SSL stripping) and read their cookies.

    ## Example
    ```python
    # settings/prod.py
    from .base import *
    ```

    ## Use instead
    ```python
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/middleware/#http-strict-transport-security
    """

    id = "DJR406"
    name = "https-not-enforced"
    message = (
        "Neither SECURE_SSL_REDIRECT nor SECURE_HSTS_SECONDS is set {applies}, "
        "so browsers may stay on plain HTTP"
    )
    severity = Severity.NOTE
    cwe = (319,)
    security_severity = 4.8
    precision = "low"
    tags = ("settings",)

    def check_settings(self, deployed: Deployed) -> Iterator[Finding]:
        """Both HTTPS protections at their off defaults."""
        if not deployed.named_for_production:
            return
        redirect = deployed.value("SECURE_SSL_REDIRECT")
        hsts = deployed.value("SECURE_HSTS_SECONDS")
        redirect_off = redirect is None or redirect.value is False
        hsts_off = hsts is None or hsts.value in (0, None)
        if redirect_off and hsts_off:
            yield self.finding(deployed.where(redirect or hsts), applies=f"in {deployed.name}")
