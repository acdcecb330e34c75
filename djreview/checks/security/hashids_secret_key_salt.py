"""DJR326: hashids salted with Django's SECRET_KEY."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from djreview.checks.security._resolved import ModuleCheck, argument, resolved_calls
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project

_HASHIDS = frozenset({"hashids.Hashids"})
# django-hashid-field's and django-hashids' settings for the salt.
_SALT_SETTING = re.compile(r"^HASHIDS?(_FIELD)?_SALT$")


class HashidsSecretKeySalt(ModuleCheck):
    """Hashids are salted with `SECRET_KEY`, which the ids then leak.

    ## What it does
    Flags `Hashids(salt=...)` (resolved through the imports to
    `hashids.Hashids`) whose salt contains `SECRET_KEY` (also concatenated or
    formatted with other text), and the settings `HASHID_FIELD_SALT` /
    `HASHIDS_SALT` assigned from `SECRET_KEY`.

    It deliberately does not report a salt of its own (a separate setting or
    environment variable), whatever its strength: hashids are an
    obfuscation, and a weak salt only reveals the ids. Nor tests and
    migrations.

    ## Why is this bad?
    Hashids is not encryption: its salt can be recovered from a handful of
    encoded ids, which every user sees in URLs. Salted with `SECRET_KEY`,
    that recovers the key that signs sessions, password-reset tokens and
    signed cookies.

    ## Example
    ```python
    hashids = Hashids(salt=settings.SECRET_KEY, min_length=8)
    ```

    ## Use instead
    ```python
    hashids = Hashids(salt=settings.HASHIDS_SALT, min_length=8)
    ```

    ## References
    - https://hashids.org/python/
    - https://cwe.mitre.org/data/definitions/321.html
    """

    id = "DJR326"
    name = "hashids-secret-key-salt"
    message = (
        "{what} uses SECRET_KEY as the hashids salt; the salt can be recovered from the ids "
        "it encodes, and with it the key that signs sessions and tokens"
    )
    severity = Severity.WARNING
    cwe = (321,)
    security_severity = 7.5
    precision = "high"
    tags = ("secrets",)
    hints = ("SECRET_KEY",)

    def module_findings(
        self, file: SourceFile, project: Project, tree: ast.Module
    ) -> Iterator[Finding]:
        """Findings in one module."""
        for resolved in resolved_calls(tree):
            if resolved.name in _HASHIDS:
                salt = argument(resolved.call, 0, "salt")
                if salt is not None and _reads_secret_key(salt):
                    yield self.finding((file, salt), what="Hashids()")
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and _reads_secret_key(node.value):
                for target in node.targets:
                    if isinstance(target, ast.Name) and _SALT_SETTING.match(target.id):
                        yield self.finding((file, node), what=f"`{target.id}`")


def _reads_secret_key(node: ast.expr) -> bool:
    return any(
        (isinstance(n, ast.Name) and n.id == "SECRET_KEY")
        or (isinstance(n, ast.Attribute) and n.attr == "SECRET_KEY")
        for n in ast.walk(node)
    )
