"""DJR608: passwords, tokens and keys written to logs."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator

from djreview.checks.base import Check
from djreview.checks.security._resolved import assigned_values, qualified
from djreview.checks.security._scripts import operator_command, stand_alone_script
from djreview.model import Finding, Severity
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.names import imported_names
from djreview.taint.sources import call_name

# Functions that make a new random secret (resolved through the imports): a command or
# script that prints what they made is handing a new credential to the person who ran it.
_GENERATORS = frozenset(
    {
        "django.utils.crypto.get_random_string",
        "django.core.management.utils.get_random_secret_key",
        "os.urandom",
        "uuid.uuid4",
    }
)
_GENERATOR_MODULES = ("secrets.",)

_LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
)
_LOGGERS = re.compile(r"(^|_)(log|logger|logging|log_\w+|\w+_log(ger)?)$", re.IGNORECASE)
_SECRET = re.compile(
    r"^(password|passwd|pwd|new_password\d?|old_password|secret|secret_key|client_secret|"
    r"token|access_token|refresh_token|auth_token|api_key|apikey|private_key|card_number|cvv|otp)$",
    re.IGNORECASE,
)
# Words one of which every `_SECRET` name holds (compared lower-cased): a file without
# any cannot log a secret, and is not walked at all. (A case-blind regex over the text
# cost more than the walk it saved.)
_SECRET_WORDS = (
    "passw",
    "pwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "private_key",
    "card_number",
    "cvv",
    "otp",
)


class SecretInLog(Check):
    """A password, token or key is passed to a logger (or `print`).

    ## What it does
    Flags logging calls (`logger.info(...)`, `logging.warning(...)`,
    `print(...)`) whose arguments, f-string parts or `%`-formatted values
    include a variable, attribute or request field named like a secret:
    `password`, `token`, `api_key`, `secret`, `access_token`... Names that
    merely mention one (`password_reset_url`, `token_count`), words in the
    message text, and a model's `token` attribute (usually a public
    identifier such as `checkout.token`) are fine.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR608` switches it on): a name such as `token` or
    `credential` in a log call mostly logs an id, a name or an object's
    repr, not the secret; on 27 projects judged before any tuning none of 13
    was a defect, 1 of 19 in all rounds. A rule stays in the default
    set only if at least one in four of its findings is true, both on
    first contact with unseen projects and after the fixes made since
    (docs/triage/security.md, session 12).

    ## Why is this bad?
    Logs are copied to log services, shared in tickets and kept for years,
    with far weaker access control than the database: a password or token in
    them is a credential leak.

    `print()` of a secret the same function (or script) has just generated
    (every value bound to the name comes from `secrets.*`,
    `get_random_string()`, `get_random_secret_key()`, `os.urandom()`) is not
    reported: that is a generator handing its result to the person who ran
    it, such as a script that prints a new `SECRET_KEY`. A logger call of
    the same value still is: a log is kept, a terminal is not.

    Nor is `print()` in a stand-alone script: a module that ends with an
    `if __name__ == "__main__":` block and that no module of the project
    (tests aside) imports, by an import statement or by its dotted name in
    a string. Such a module runs only when an operator starts it, and what
    it prints (a token it has just fetched for the operator to paste into
    the settings) is its output to that person, not a log. `print()` in a
    module the project imports, and logger calls anywhere, are reported.

    The same holds for `print()` in a management command
    (`<app>/management/commands/<name>.py`) and in a module that only
    management commands import (tests aside), such as the sample-data
    helpers of a `setup` command: an operator started the command and reads
    its console, so the password it was given or the test password it just
    set is shown to that person. A logger call there is still reported.

    ## Example
    ```python
    logger.info("login attempt %s / %s", username, password)
    ```

    ## Use instead
    ```python
    logger.info("login attempt for %s", username)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/532.html
    """

    uses = (ProjectModel,)
    id = "DJR608"
    name = "secret-in-log"
    message = "`{secret}` is written to the log; logs must not hold credentials"
    severity = Severity.WARNING
    category = "security"
    cwe = (532,)
    security_severity = 5.5
    precision = "low"
    tags = ("data-exposure", "audit")
    enabled_by_default = False

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per logging call with a secret among its values."""
        return self._findings(file, project)

    def _findings(self, file: SourceFile, project: Project) -> Iterator[Finding]:
        lowered = file.text.lower()
        if not any(word in lowered for word in _SECRET_WORDS):
            return
        script: bool | None = None
        for node in file.nodes_of(ast.Call):
            if _is_log_call(node):
                secret = next((found for arg in _values(node) if (found := _secret_in(arg))), None)
                if secret is None or _prints_what_it_generated(file, node, secret):
                    continue
                if _is_print(node):
                    if script is None:
                        script = stand_alone_script(file, project) or operator_command(
                            file, project
                        )
                    if script:
                        continue
                yield self.finding((file, node), secret=secret)


def _is_print(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == "print"


def _is_log_call(call: ast.Call) -> bool:
    if isinstance(call.func, ast.Name):
        return call.func.id == "print"
    if not isinstance(call.func, ast.Attribute) or call.func.attr not in _LOG_METHODS:
        return False
    receiver = call.func.value
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return bool(_LOGGERS.search(name))


def _values(call: ast.Call) -> Iterator[ast.expr]:
    yield from call.args
    yield from (kw.value for kw in call.keywords if kw.arg not in {"exc_info", "stack_info"})


def _secret_in(node: ast.expr) -> str | None:
    """The secret-named value inside an argument, if any (literal text does not count)."""
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and _SECRET.match(child.id):
            return child.id
        if isinstance(child, ast.Attribute) and _SECRET.match(child.attr) and child.attr != "token":
            return ast.unparse(child)
        if (
            isinstance(child, ast.Subscript)
            and isinstance(child.slice, ast.Constant)
            and isinstance(child.slice.value, str)
            and _SECRET.match(child.slice.value)
        ):
            return ast.unparse(child)
        if (
            isinstance(child, ast.Call)
            and call_name(child.func) == "get"
            and child.args
            and isinstance(child.args[0], ast.Constant)
            and isinstance(child.args[0].value, str)
            and _SECRET.match(child.args[0].value)
        ):
            return ast.unparse(child)
    return None


def _prints_what_it_generated(file: SourceFile, call: ast.Call, secret: str) -> bool:
    """`print(password)` where every value bound to `password` here is freshly generated."""
    tree = file.tree
    if tree is None or not _is_print(call):
        return False
    scope: ast.AST = tree
    for function in file.functions():
        end = function.end_lineno or function.lineno
        if function.lineno <= call.lineno <= end and function.lineno >= getattr(scope, "lineno", 0):
            scope = function
    values = assigned_values(scope, secret)
    names = imported_names(tree)
    return bool(values) and all(_generated(value, names) for value in values)


def _generated(value: ast.expr, names: dict[str, str]) -> bool:
    """Whether a value is built by a call of a random-secret generator."""
    for node in ast.walk(value):
        if isinstance(node, ast.Call):
            full = qualified(node.func, names)
            if full in _GENERATORS or full.startswith(_GENERATOR_MODULES):
                return True
    return False
