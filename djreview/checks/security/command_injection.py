"""DJR305: request data run as a shell command."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck


class CommandInjection(TaintCheck):
    """Request data runs as a shell command.

    ## What it does
    Flags request data (followed through variables and helpers) in the
    command of `os.system()`, `os.popen()`, `subprocess.getoutput()` or
    `subprocess.*(..., shell=True)`, or as the program an argument list
    starts. An argument list run without a shell
    is fine whatever its later arguments hold; `shlex.quote()` makes a value
    safe for the shell. Callees are resolved through the imports (`import
    subprocess as sp`, `from os import system`); a `run`/`system` imported
    from another library or defined in the module is a look-alike and not
    reported, nor are test modules and migrations. A shell command built
    from variables that no request data is known to reach is DJR331's, an
    audit rule (off by default): on unseen projects those values were the
    code's or the operator's.

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
