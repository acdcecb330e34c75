"""DJR609: tracebacks sent to the client."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from djreview.checks.base import Check
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.sources import call_name, dotted

_TRACEBACK_CALLS = frozenset(
    {"format_exc", "format_exception", "format_tb", "format_stack", "extract_tb"}
)
_RESPONSES = frozenset(
    {
        "HttpResponse",
        "JsonResponse",
        "Response",
        "HttpResponseServerError",
        "HttpResponseBadRequest",
        "render",
        "StreamingHttpResponse",
    }
)


class TracebackInResponse(Check):
    """A traceback (`traceback.format_exc()` and friends) is sent back in a response.

    ## What it does
    Flags `HttpResponse`, `JsonResponse`, DRF `Response` and `render()` calls
    whose arguments hold the result of `traceback.format_exc()`,
    `format_exception()`, `format_tb()` or `format_stack()`, directly or
    through a variable of the same function.

    ## Why is this bad?
    A traceback shows file paths, library versions, code and sometimes local
    values: a map for the attacker that `DEBUG = False` was meant to hide.

    ## Example
    ```python
    except Exception:
        return JsonResponse({"error": traceback.format_exc()}, status=500)
    ```

    ## Use instead
    ```python
    except Exception:
        logger.exception("import failed")
        return JsonResponse({"error": "import failed"}, status=500)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/209.html
    """

    id = "DJR609"
    name = "traceback-in-response"
    message = "{response}() sends a traceback to the client; log it and return a generic error"
    severity = Severity.WARNING
    category = "security"
    hints = ("format_exc", "format_exception", "format_tb", "format_stack", "extract_tb")
    cwe = (209,)
    security_severity = 5.3
    precision = "high"
    tags = ("data-exposure",)

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per response carrying a traceback."""
        tree = file.tree
        if tree is None:
            return ()
        return self._findings(file, tree)

    def _findings(self, file: SourceFile, tree: ast.Module) -> Iterator[Finding]:
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            names = _traceback_names(function)
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and call_name(node.func) in _RESPONSES
                    and any(
                        _carries(arg, names)
                        for arg in [*node.args, *(k.value for k in node.keywords)]
                    )
                ):
                    yield self.finding((file, node), response=call_name(node.func))


def _is_traceback_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and call_name(node.func) in _TRACEBACK_CALLS
        and dotted(node.func).startswith(("traceback.", "format_", "extract_"))
    )


def _traceback_names(function: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(
            _is_traceback_call(n) for n in ast.walk(node.value)
        ):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _carries(node: ast.expr, names: set[str]) -> bool:
    return any(
        _is_traceback_call(child) or (isinstance(child, ast.Name) and child.id in names)
        for child in ast.walk(node)
    )
