"""DJR331: a shell command built from variables, with no request data known to reach it."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from djreview.checks.base import Check
from djreview.checks.security._strings import unsafe_parts
from djreview.model import Finding
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis
from djreview.taint.names import module_names, resolve_callee
from djreview.taint.sinks import SHELL_FUNCTIONS, is_true, sinks_of

_QUOTES = frozenset({"quote"})


class ShellBuiltFromStrings(Check):
    """A shell command is built from unquoted variables (no request data known to reach it).

    ## What it does
    Flags `os.system()`, `os.popen()`, `subprocess.getoutput()` and
    `subprocess.*(..., shell=True)` whose command string is built (f-string,
    `%`, `+`, `.format()`) from values that are neither `shlex.quote()`d nor
    numbers from `int()`/`len()`. Callees are resolved through the imports.
    When request data reaches the command it is DJR305's (on by default),
    not this rule's.

    Not reported, deliberately: literal commands, argument lists run without
    a shell, test modules and migrations.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR331` switches it on), as DJR303 is for SQL: over three rounds of hand
    triage on ten unseen projects neither of the 2 such findings was a defect
    (an integer parameter, paths under a settings directory in a management
    command); the value is the operator's, not a visitor's. bandit (B602,
    B605) and ruff (S602, S605) report the same shape for review.

    ## Why is this bad?
    The value is safe today because it comes from the code, the database or
    an operator; the next caller may pass user input, and the shell
    interprets `;`, `|` and `$(...)` in it.

    ## Example
    ```python
    subprocess.check_call("cd %s && make translations" % directory, shell=True)
    ```

    ## Use instead
    ```python
    subprocess.check_call(["make", "translations"], cwd=directory)
    ```

    ## References
    - https://docs.python.org/3/library/subprocess.html#security-considerations
    """

    id = "DJR331"
    name = "shell-built-from-strings"
    message = (
        "The shell command of {sink} is built from variables; "
        "pass an argument list without shell=True"
    )
    category = "security"
    cwe = (78,)
    security_severity = 6.3
    precision = "low"
    tags = ("injection", "audit")
    enabled_by_default = False
    uses = (TaintAnalysis,)
    hints = ("system", "popen", "subprocess")

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per shell call whose command is built from unquoted variables."""
        if file.tree is None:
            return
        index = project.analysis(TaintAnalysis)
        names = module_names(file.tree)
        for node in file.nodes_of(ast.Call):
            for sink in sinks_of(node, names):
                if (
                    sink.kind == "shell"
                    and _runs_shell(node, names)
                    and unsafe_parts(sink.arg, _QUOTES)
                    and index.hit_at(file, node, "shell") is None
                ):
                    yield self.finding((file, node), sink=sink.what)


def _runs_shell(call: ast.Call, names: dict[str, str] | None) -> bool:
    if resolve_callee(call.func, names).full in SHELL_FUNCTIONS:
        return True
    return any(kw.arg == "shell" and is_true(kw.value) for kw in call.keywords)
