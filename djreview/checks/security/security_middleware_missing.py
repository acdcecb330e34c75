"""DJR404: Security, CSRF or clickjacking middleware missing from MIDDLEWARE."""

from __future__ import annotations

from collections.abc import Iterator

from djreview.checks.security._settings import Deployed, SettingsCheck
from djreview.model import Finding, Severity

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

    def check_settings(self, deployed: Deployed) -> Iterator[Finding]:
        """The protective middleware the list leaves out."""
        value = deployed.value("MIDDLEWARE")
        if value is None or not isinstance(value.value, list | tuple):
            return
        listed = {item for item in value.value if isinstance(item, str)}
        missing = [short for path, short in REQUIRED.items() if path not in listed]
        if missing:
            yield self.finding(
                deployed.where(value), missing=", ".join(missing), applies=deployed.applies(value)
            )
