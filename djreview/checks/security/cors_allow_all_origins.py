"""DJR409: CORS allowed from every origin."""

from __future__ import annotations

from collections.abc import Iterator

from djreview.checks.security._settings import Deployed, SettingsCheck
from djreview.model import Finding, Severity

_ALLOW_ALL = ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL")


class CorsAllowAllOrigins(SettingsCheck):
    """django-cors-headers lets every origin read responses (`CORS_ALLOW_ALL_ORIGINS = True`).

    ## What it does
    Flags `CORS_ALLOW_ALL_ORIGINS` (or the old `CORS_ORIGIN_ALLOW_ALL`) true,
    also by environment default, in deployed settings, when
    `CORS_ALLOW_CREDENTIALS` is on as well.

    Not reported, deliberately: all origins without credentials. Browsers
    then send no cookies or HTTP auth to the API from other origins, so a
    foreign page reads only what an anonymous client could fetch itself
    (public APIs open to every origin on purpose).

    The message says who can read: with the session cookie `SameSite=Lax`
    or `Strict` (Django's default is Lax), cross-site requests carry no
    session, so only pages of the same site (and old browsers) can.

    ## Why is this bad?
    Any web page the user visits can call your API from their browser and
    read the answers; with credentials allowed, it does so logged in as them.

    ## Example
    ```python
    CORS_ALLOW_ALL_ORIGINS = True
    ```

    ## Use instead
    ```python
    CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    ```

    ## References
    - https://github.com/adamchainz/django-cors-headers#cors_allow_all_origins-bool
    """

    id = "DJR409"
    name = "cors-allow-all-origins"
    message = "{setting} is True {applies} with CORS_ALLOW_CREDENTIALS, so {who}"
    severity = Severity.WARNING
    cwe = (942,)
    security_severity = 6.5
    precision = "high"
    tags = ("settings",)

    def check_settings(self, deployed: Deployed) -> Iterator[Finding]:
        """CORS open to every origin."""
        for setting in _ALLOW_ALL:
            value = deployed.value(setting)
            if value is not None and value.value is True:
                credentials = deployed.value("CORS_ALLOW_CREDENTIALS")
                if credentials is not None and credentials.value is True:
                    yield self.finding(
                        deployed.where(value),
                        setting=setting,
                        applies=deployed.applies(value),
                        who=_readers(deployed),
                    )


def _readers(deployed: Deployed) -> str:
    """Who can read responses as the user: a SameSite session cookie stays home cross-site."""
    samesite = deployed.value("SESSION_COOKIE_SAMESITE")
    mode = samesite.value if samesite is not None else "Lax"  # Django's default
    if isinstance(mode, str) and mode.lower() in {"lax", "strict"}:
        return (
            "pages of the same site can read your responses as the logged-in user "
            f"(the session cookie is SameSite={mode}: other sites' requests carry it only "
            "in browsers that ignore SameSite)"
        )
    return "any web page can read your responses as the logged-in user"
