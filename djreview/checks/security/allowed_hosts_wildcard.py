"""DJR403: ALLOWED_HOSTS accepts any host."""

from __future__ import annotations

from collections.abc import Iterator

from djreview.checks.security._settings import Deployed, SettingsCheck
from djreview.model import Finding, Severity


class AllowedHostsWildcard(SettingsCheck):
    """`ALLOWED_HOSTS` contains `"*"` (or defaults to it) in settings that run in production.

    ## What it does
    Flags `"*"` in `ALLOWED_HOSTS`, also when it comes from the default of an
    environment read (`os.environ.get("ALLOWED_HOSTS", "*").split(",")`), in
    deployed settings. An empty list is not flagged: with `DEBUG = False`
    Django then refuses every request, which breaks the site but exposes
    nothing. The finding is at the line that puts `"*"` in the list, not at
    a later `.append(hostname)` that only adds to it.

    ## Why is this bad?
    Django builds absolute URLs (password-reset e-mails, redirects) from the
    `Host` header; accepting any host lets an attacker send your users a reset
    link pointing at their own server (host-header poisoning) and poison
    caches.

    ## Example
    ```python
    ALLOWED_HOSTS = ["*"]
    ```

    ## Use instead
    ```python
    ALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts
    """

    id = "DJR403"
    name = "allowed-hosts-wildcard"
    message = "ALLOWED_HOSTS {how} {applies}, so any Host header is trusted for building URLs"
    severity = Severity.WARNING
    cwe = (20, 644)
    security_severity = 5.3
    precision = "high"
    tags = ("settings",)

    def check_settings(self, deployed: Deployed) -> Iterator[Finding]:
        """A wildcard host, literal or by environment default."""
        value = deployed.value("ALLOWED_HOSTS")
        hosts = value.value if value is not None else None
        if value is None or not isinstance(hosts, list | tuple) or "*" not in hosts:
            return
        # At the line that put it there: later updates (`.append(hostname)`) only add.
        while (origin := value.derived_from) is not None and _wildcard(origin.value):
            value = origin
        how = "falls back to '*'" if value.from_env else "contains '*'"
        yield self.finding(deployed.where(value), how=how, applies=deployed.applies(value))


def _wildcard(hosts: object) -> bool:
    return isinstance(hosts, list | tuple) and "*" in hosts
