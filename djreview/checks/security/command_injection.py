"""DJR305: request data or a built string run as a shell command."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from djreview.checks.security._strings import unsafe_parts
from djreview.checks.security._taint import TaintCheck
from djreview.model import Finding
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis
from djreview.taint.names import module_names, resolve_callee
from djreview.taint.sinks import SHELL_FUNCTIONS, is_true, sinks_of

_QUOTES = frozenset({"quote"})


class CommandInjection(TaintCheck):
    """Request data, or a string built from variables, runs as a shell command.

    ## What it does
    Flags request data (followed through variables and helpers) in the
    command of `os.system()`, `os.popen()`, `subprocess.getoutput()` or
    `subprocess.*(..., shell=True)`, or as the program an argument list
    starts; and shell commands built from unquoted variables even when no
    request data is known to reach them. An argument list run without a shell
    is fine whatever its later arguments hold; `shlex.quote()` makes a value
    safe for the shell. Callees are resolved through the imports (`import
    subprocess as sp`, `from os import system`); a `run`/`system` imported
    from another library or defined in the module is a look-alike and not
    reported, nor are test modules and migrations.

    ## Why is this bad?
    The shell interprets `;`, `|`, `$(...)` and backticks: a file name like
    `x; rm -rf ~` runs a second command with the server's rights.

    ## Example
    ```python
    def thumbnail(request):
        os.system(f"convert {request.GET['file']} thumb.png")
    ```

    ## Use instead
    ```python
    def thumbnail(request):
        name = get_valid_filename(request.GET["file"])
        subprocess.run(["convert", "--", name, "thumb.png"], check=True)
    ```

    ## References
    - https://docs.python.org/3/library/subprocess.html#security-considerations
    - https://owasp.org/www-community/attacks/Command_Injection
    """

    id = "DJR305"
    name = "command-injection"
    message = "Request data from {source} reaches the command of {sink}"
    cwe = (78,)
    security_severity = 9.8
    precision = "high"
    tags = ("injection",)
    kinds = frozenset({"shell"})
    # Every shell sink names one of these (os.system, os.popen, subprocess.*).
    hints = ("system", "popen", "subprocess")

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """Tainted commands, then shell strings built from variables (one finding per call)."""
        yield from self._findings(file, project)
        index = project.analysis(TaintAnalysis)
        names = module_names(file.tree) if file.tree is not None else None
        for node in file.nodes_of(ast.Call):
            for sink in sinks_of(node, names):
                if (
                    sink.kind != "shell"
                    or not _runs_shell(node, names)
                    or not unsafe_parts(sink.arg, _QUOTES)
                ):
                    continue
                if index.hit_at(file, node, "shell") is None:
                    yield self.finding(
                        (file, node),
                        f"The shell command of {sink.what} is built from variables; "
                        "pass an argument list without shell=True",
                    )


def _runs_shell(call: ast.Call, names: dict[str, str] | None) -> bool:
    if resolve_callee(call.func, names).full in SHELL_FUNCTIONS:
        return True
    return any(kw.arg == "shell" and is_true(kw.value) for kw in call.keywords)
