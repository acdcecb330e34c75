"""DJR407: a weak password hasher first in PASSWORD_HASHERS."""

from __future__ import annotations

from collections.abc import Iterator

from djreview.checks.security._settings import Deployed, SettingsCheck
from djreview.model import Finding, Severity

WEAK = frozenset(
    {
        "MD5PasswordHasher",
        "UnsaltedMD5PasswordHasher",
        "SHA1PasswordHasher",
        "UnsaltedSHA1PasswordHasher",
        "CryptPasswordHasher",
    }
)


class WeakPasswordHasher(SettingsCheck):
    """`PASSWORD_HASHERS` starts with a fast or unsalted hasher (MD5, SHA1, crypt).

    ## What it does
    Flags deployed settings whose first `PASSWORD_HASHERS` entry (the one new
    passwords are hashed with) is MD5, SHA1, their unsalted variants or
    crypt. Test settings, where MD5 speeds up the suite, are not flagged,
    nor a list set only in a branch whose environment-read test is false
    by default (`if TEST_ENV:` with `TEST_ENV` read as false when unset,
    through os.environ, django-environ, decouple or everett's
    `ConfigManager`); weak hashers later in the list only verify old
    hashes and are fine.

    ## Why is this bad?
    A GPU tries billions of MD5 or SHA1 guesses a second: a leaked user table
    gives up most passwords within hours; unsalted hashes fall to lookup
    tables at once.

    ## Example
    ```python
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ```

    ## Use instead
    ```python
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/topics/auth/passwords/#how-django-stores-passwords
    """

    id = "DJR407"
    name = "weak-password-hasher"
    message = "New passwords are hashed with {hasher} {applies}; use Argon2, bcrypt or PBKDF2"
    severity = Severity.ERROR
    cwe = (916, 328)
    security_severity = 7.5
    precision = "high"
    tags = ("settings", "auth")

    def check_settings(self, deployed: Deployed) -> Iterator[Finding]:
        """The first hasher, when it is a weak one."""
        value = deployed.value("PASSWORD_HASHERS")
        value = value.by_default() if value is not None else None
        if value is None or not isinstance(value.value, list | tuple) or not value.value:
            return
        first = value.value[0]
        if isinstance(first, str) and first.rsplit(".", 1)[-1] in WEAK:
            yield self.finding(
                deployed.where(value),
                hasher=first.rsplit(".", 1)[-1],
                applies=deployed.applies(value),
            )
