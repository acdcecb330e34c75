"""DJR402: SECRET_KEY written in the source (directly or as an environment fallback)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from djreview.checks.security._settings import (
    Deployed,
    SettingsCheck,
    env_helper_default,
    supplied_at_deploy,
)
from djreview.model import Finding, Severity
from djreview.project.settings_eval import SettingValue

# `{{ secret_key }}` in a project template: `startproject --template` (or cookiecutter)
# renders a fresh random key in its place for every project it creates.
_TEMPLATE_PLACEHOLDER = re.compile(r"\{\{\s*[\w.]+\s*\}\}")


class HardCodedSecretKey(SettingsCheck):
    """`SECRET_KEY` is a literal in the source, or falls back to one when the environment lacks it.

    ## What it does
    Flags `SECRET_KEY = "..."` and `SECRET_KEY = os.environ.get("SECRET_KEY",
    "...")` (and django-environ / decouple defaults) in settings that are
    deployed or shared by deployed settings (a base module's fallback ships
    even when production overrides it), and says when the key is the
    `django-insecure-` one from `startproject`. The message does not dwell on
    a short key: one written in the source is public, and its length
    changes nothing. Keys read from the environment without a fallback are
    fine, as are keys in development and test settings.

    Nor is a key set before an unconditional `from .local_settings import *`
    (not in a `try`) of a sibling module absent from the repository: that
    import fails unless the deployment supplies the module, so the key
    written before it is the fallback of a file the deployment writes (and
    usually fills with a generated key). Nor a key that is a template
    placeholder (`"{{ secret_key }}"` in a project template, which
    `startproject --template` or cookiecutter replaces by a fresh key per
    project). The same import inside
    `try: ... except ImportError: pass` is optional and leaves the key as
    reported.

    ## Why is this bad?
    Whoever reads the repository can sign session cookies, password-reset
    links and any `signing` payload as your site: log in as any user, and with
    a pickle-based serializer run code.

    ## Example
    ```python
    SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-q8v!2m#d0r7w$k1z")
    ```

    ## Use instead
    ```python
    SECRET_KEY = os.environ["SECRET_KEY"]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#secret-key
    - https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#secret-key
    """

    id = "DJR402"
    name = "hard-coded-secret-key"
    message = (
        "SECRET_KEY {how} {applies}; anyone with the source can forge sessions and signed data"
    )
    severity = Severity.ERROR
    cwe = (798,)
    security_severity = 8.1
    precision = "high"
    tags = ("settings", "secrets")
    include_bases = True

    def check_settings(self, deployed: Deployed) -> Iterator[Finding]:
        """A literal key, or a literal fallback for an environment variable."""
        value = deployed.value("SECRET_KEY")
        if value is None or supplied_at_deploy(deployed, value):
            return
        key = _literal_key(value)
        helper = env_helper_default(value.node)
        if key is None and helper is not None and isinstance(helper[1], str) and helper[1]:
            key = helper[1]
            how = f"falls back to a key written in the source ({helper[2]}())"
        elif key is None:
            return
        elif value.from_env:
            how = "falls back to a key written in the source"
        else:
            how = "is written in the source"
        if _TEMPLATE_PLACEHOLDER.fullmatch(key):
            return
        if key.startswith("django-insecure-"):
            how = f"{how} (the django-insecure- key from startproject)"
        yield self.finding(deployed.where(value), how=how, applies=deployed.applies(value))


def _literal_key(value: SettingValue | None) -> str | None:
    if value is None or not isinstance(value.value, str) or not value.value:
        return None
    if value.from_env:
        # Only the fallback counts: the value is the default the code wrote.
        defaults = [env.default for env in value.env if isinstance(env.default, str)]
        return value.value if value.value in defaults else None
    return value.value
