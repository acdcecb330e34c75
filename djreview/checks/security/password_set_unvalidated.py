"""DJR610: passwords from the request set without the password validators, or set empty."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from djreview.checks.security._taint import TaintCheck
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.sources import call_name


class PasswordSetUnvalidated(TaintCheck):
    """A password from the request is set without `validate_password()`, or a password is set to "".

    ## What it does
    Follows request data to `user.set_password()` and flags it when
    `validate_password()` has not checked the value first (forms such as
    `SetPasswordForm` validate in `is_valid()`; their `cleaned_data` is
    fine). Also flags `set_password("")` and `create_user(..., password="")`.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR610` switches it on): projects check new passwords with their own
    validators (zxcvbn, a form's clean method) as often as with
    `validate_password`; on seven unseen projects 0 of 8 findings were real.

    ## Why is this bad?
    `AUTH_PASSWORD_VALIDATORS` only run where the code calls them: an API or
    custom view that skips them accepts `123`. An empty string is a real
    password that hashes and can be guessed; `set_unusable_password()` is
    what an account without password needs.

    ## Example
    ```python
    def change_password(request):
        request.user.set_password(request.POST["password"])
    ```

    ## Use instead
    ```python
    def change_password(request):
        password = request.POST["password"]
        validate_password(password, request.user)
        request.user.set_password(password)
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/topics/auth/passwords/#integrating-validation
    """

    id = "DJR610"
    name = "password-set-unvalidated"
    message = "{sink} stores a password from {source} that validate_password() never checked"
    severity = Severity.WARNING
    cwe = (521,)
    security_severity = 5.3
    precision = "high"
    tags = ("auth", "audit")
    enabled_by_default = False
    kinds = frozenset({"password"})
    hints = ("set_password", "create_user", "create_superuser")

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """Unvalidated passwords from the request, then empty-string passwords."""
        yield from self._findings(file, project)
        yield from self._empty(file)

    def _empty(self, file: SourceFile) -> Iterator[Finding]:
        for node in file.nodes_of(ast.Call):
            name = call_name(node.func)
            value: ast.expr | None = None
            if name == "set_password" and node.args:
                value = node.args[0]
            elif name in {"create_user", "create_superuser"}:
                value = next((kw.value for kw in node.keywords if kw.arg == "password"), None)
            if isinstance(value, ast.Constant) and value.value == "":
                yield self.finding(
                    (file, node),
                    f"{name}() sets the empty string as password; use set_unusable_password()",
                )
