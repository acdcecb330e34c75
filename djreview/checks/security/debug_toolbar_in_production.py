"""DJR408: django-debug-toolbar installed in settings that run in production."""

from __future__ import annotations

from collections.abc import Iterator

from djreview.checks.security._settings import Deployed, SettingsCheck
from djreview.model import Finding, Severity
from djreview.project.settings_eval import SettingValue


class DebugToolbarInProduction(SettingsCheck):
    """django-debug-toolbar is installed unconditionally in settings that run in production.

    ## What it does
    Flags `"debug_toolbar"` in `INSTALLED_APPS` (or its middleware in
    `MIDDLEWARE`) of deployed settings, unless it is added only under a
    condition (`if DEBUG:`; a later unconditional `INSTALLED_APPS += [...]`
    in an importing module does not change that), and says so more loudly when
    `DEBUG_TOOLBAR_CONFIG["SHOW_TOOLBAR_CALLBACK"]` is set (which can show it
    to anyone).

    ## Why is this bad?
    The toolbar shows settings, SQL with parameters, request headers and
    templates' context: everything an attacker wants. Its only guard is
    `DEBUG` plus `INTERNAL_IPS`, which a proxy or a custom callback defeats.

    ## Example
    ```python
    INSTALLED_APPS += ["debug_toolbar"]
    ```

    ## Use instead
    ```python
    # settings/dev.py only
    INSTALLED_APPS += ["debug_toolbar"]
    ```

    ## References
    - https://django-debug-toolbar.readthedocs.io/en/latest/installation.html
    """

    id = "DJR408"
    name = "debug-toolbar-in-production"
    message = "debug_toolbar is installed {applies}{callback}"
    severity = Severity.WARNING
    cwe = (489,)
    security_severity = 5.3
    precision = "medium"
    tags = ("settings",)

    def check_settings(self, deployed: Deployed) -> Iterator[Finding]:
        """The toolbar among the installed apps or middleware, unconditionally."""
        for setting, marker in (
            ("INSTALLED_APPS", "debug_toolbar"),
            ("MIDDLEWARE", "debug_toolbar."),
        ):
            value = deployed.value(setting)
            value = value.by_default() if value is not None else None
            if value is None or _added_in_branch(value, marker):
                continue
            if _lists(value, marker):
                config = deployed.value("DEBUG_TOOLBAR_CONFIG")
                custom = (
                    config is not None
                    and isinstance(config.value, dict)
                    and "SHOW_TOOLBAR_CALLBACK" in config.value
                )
                callback = " and SHOW_TOOLBAR_CALLBACK decides who sees it" if custom else ""
                yield self.finding(
                    deployed.where(value), applies=deployed.applies(value), callback=callback
                )
                return


def _lists(value: SettingValue, marker: str) -> bool:
    """The evaluated list holds an entry starting with `marker`."""
    return isinstance(value.value, list | tuple) and any(
        isinstance(item, str) and item.startswith(marker) for item in value.value
    )


def _added_in_branch(value: SettingValue, marker: str) -> bool:
    """The update that brought the entry in ran under a condition (`if DEBUG:`).

    Later unconditional updates (`INSTALLED_APPS += ["whitenoise"]`) keep the entry
    as conditional as the statement that added it.
    """
    while value.derived_from is not None and _lists(value.derived_from, marker):
        value = value.derived_from
    return value.conditional
