"""DJR306: request data evaluated as Python code."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck


class CodeInjection(TaintCheck):
    """Request data reaches `eval()`, `exec()` or `compile()`.

    ## What it does
    Follows request data through variables and helpers and flags it where it
    is passed to the builtins `eval`, `exec` or `compile`.

    ## Why is this bad?
    Evaluating client input runs arbitrary Python in the server process:
    `__import__("os").system(...)` is one request away. There is no safe way
    to sandbox `eval`.

    ## Example
    ```python
    def calculate(request):
        return JsonResponse({"result": eval(request.GET["expr"])})
    ```

    ## Use instead
    ```python
    def calculate(request):
        return JsonResponse({"result": ast.literal_eval(request.GET["expr"])})
    ```

    ## References
    - https://docs.python.org/3/library/functions.html#eval
    - https://cwe.mitre.org/data/definitions/95.html
    """

    id = "DJR306"
    name = "code-injection"
    message = "Request data from {source} is evaluated as Python code by {sink}"
    cwe = (95,)
    security_severity = 9.8
    tags = ("injection",)
    kinds = frozenset({"code"})
