"""DJR405: session and CSRF cookies not marked Secure / HttpOnly in production settings."""

from __future__ import annotations

from collections.abc import Iterator

from djreview.checks.security._settings import Deployed, SettingsCheck
from djreview.model import Finding, Severity

# setting -> value it must have
_EXPECTED = {
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
}
_DEFAULTS = {
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "SESSION_COOKIE_HTTPONLY": True,
}


class InsecureCookieSettings(SettingsCheck):
    """Session or CSRF cookies are not `Secure` (or the session cookie not `HttpOnly`).

    ## What it does
    In settings named for production (`prod`, `live`, `deploy`...) or named by an entry point
    (`wsgi.py`, `asgi.py`, `manage.py`), flags `SESSION_COOKIE_SECURE` and `CSRF_COOKIE_SECURE`
    left at their default `False` (or set false), and
    `SESSION_COOKIE_HTTPONLY = False`. Values read from the environment count
    by their default.

    Not reported, deliberately: `CSRF_COOKIE_SECURE` when `CSRF_USE_SESSIONS`
    is true (the token lives in the session; there is no CSRF cookie).
    The message speaks of scripts reading the cookie only when
    `SESSION_COOKIE_HTTPONLY` is off: `Secure` is about the network alone.

    ## Why is this bad?
    A cookie without `Secure` is also sent over plain HTTP: anyone on the
    same network reads the session id and takes over the session. Without
    `HttpOnly` an injected script can read it.

    ## Example
    ```python
    # settings/prod.py
    from .base import *
    DEBUG = False
    ```

    ## Use instead
    ```python
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure
    - https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#session-cookie-secure
    """

    id = "DJR405"
    name = "insecure-cookie-settings"
    message = "{names} {applies}, so {consequence}"
    severity = Severity.WARNING
    cwe = (614, 1004)
    security_severity = 5.3
    precision = "medium"
    tags = ("settings", "cookies")

    def check_settings(self, deployed: Deployed) -> Iterator[Finding]:
        """The cookie flags a production module leaves off."""
        if not deployed.named_for_production:
            return
        wrong = []
        in_session = deployed.value("CSRF_USE_SESSIONS")
        for name, expected in _EXPECTED.items():
            if name == "CSRF_COOKIE_SECURE" and in_session is not None and in_session.value is True:
                continue  # no CSRF cookie at all
            value = deployed.value(name)
            actual = value.value if value is not None else _DEFAULTS[name]
            if isinstance(actual, bool) and actual is not expected:
                wrong.append(f"{name} is {actual}" + ("" if value is not None else " (default)"))
        if wrong:
            set_here = next(
                (deployed.value(n) for n in _EXPECTED if deployed.value(n) is not None), None
            )
            yield self.finding(
                deployed.where(set_here),
                names=", ".join(wrong),
                applies=f"in {deployed.name}",
                consequence=_consequence(wrong),
            )


def _consequence(wrong: list[str]) -> str:
    """What the cleared flags expose: Secure guards the network, HttpOnly the page's scripts."""
    secure = any("_SECURE" in flag for flag in wrong)
    scripts = any("_HTTPONLY" in flag for flag in wrong)
    if secure and scripts:
        return "the session can travel over plain HTTP or be read by scripts"
    if scripts:
        return "the session cookie can be read by scripts"
    return "the cookies can travel over plain HTTP"
