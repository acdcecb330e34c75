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

    A variable carries the traceback only where its assignment reaches:
    statements are followed in order, branches merge, and a later
    assignment of the same name without a traceback ends it. So a view that
    builds `response = {"msg": traceback.format_exc()}` in one `except`
    branch and a fresh `response = {"msg": "..."}` before each other return
    is reported at the first return only.

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
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                responses: dict[int, ast.Call] = {}
                _Flow(responses).block(function.body, frozenset())
                for node in responses.values():
                    yield self.finding((file, node), response=call_name(node.func))


def _is_traceback_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and call_name(node.func) in _TRACEBACK_CALLS
        and dotted(node.func).startswith(("traceback.", "format_", "extract_"))
    )


class _Flow:
    """Names holding a traceback, followed through a function's statements in order.

    A name carries the traceback from an assignment whose value holds one up
    to the next assignment of that name without one; branches merge by
    union, and a block ending in return or raise passes nothing on.
    """

    def __init__(self, responses: dict[int, ast.Call]) -> None:
        # Keyed by node: a loop body is walked twice round, so one
        # response may be recorded more than once.
        self.responses = responses

    def block(self, body: list[ast.stmt], names: frozenset[str] | None) -> frozenset[str] | None:
        """Names tainted after `body`, or None when no path runs past it."""
        for statement in body:
            if names is None:
                return None
            names = self.statement(statement, names)
        return names

    def statement(self, node: ast.stmt, names: frozenset[str]) -> frozenset[str] | None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return names
        self._responses(node, names)
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            return _assigned(node, names)
        if isinstance(node, ast.Return | ast.Raise):
            return None
        if isinstance(node, ast.If):
            return _union(self.block(node.body, names), self.block(node.orelse, names))
        if isinstance(node, ast.For | ast.AsyncFor | ast.While):
            entry = names
            if isinstance(node, ast.For | ast.AsyncFor) and _carries(node.iter, names):
                entry = names | _target_names(node.target)
            # Twice round: an assignment late in the body reaches the top.
            looped = _merge(
                entry, self.block(node.body, _merge(entry, self.block(node.body, entry)))
            )
            return _union(looped, self.block(node.orelse, looped))
        if isinstance(node, ast.With | ast.AsyncWith):
            return self.block(node.body, names)
        if isinstance(node, ast.Try | ast.TryStar):
            tried = self.block(node.body, names)
            # A handler may start after any statement of the body.
            caught = _merge(names, tried)
            merged = self.block(node.orelse, tried) if tried is not None else None
            for handler in node.handlers:
                merged = _union(merged, self.block(handler.body, caught))
            if not node.finalbody:
                return merged
            after = self.block(node.finalbody, _merge(caught, merged))
            return None if merged is None else after
        if isinstance(node, ast.Match):
            merged = names
            for case in node.cases:
                merged = _merge(merged, self.block(case.body, names))
            return merged
        return names

    def _responses(self, node: ast.stmt, names: frozenset[str]) -> None:
        """Record the responses in `node`'s own expressions that carry a traceback."""
        for expression in _own_expressions(node):
            for call in ast.walk(expression):
                if (
                    isinstance(call, ast.Call)
                    and call_name(call.func) in _RESPONSES
                    and any(
                        _carries(arg, names)
                        for arg in [*call.args, *(k.value for k in call.keywords)]
                    )
                ):
                    self.responses.setdefault(id(call), call)


def _own_expressions(node: ast.stmt) -> Iterator[ast.expr]:
    """The expressions of `node` itself, not those of the statements it contains."""
    for _field, value in ast.iter_fields(node):
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ast.expr):
                yield item
            elif isinstance(item, ast.withitem):
                yield item.context_expr


def _assigned(
    node: ast.Assign | ast.AnnAssign | ast.AugAssign, names: frozenset[str]
) -> frozenset[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    assigned = frozenset().union(*(_target_names(t) for t in targets))
    if node.value is not None and _carries(node.value, names):
        return names | assigned
    if isinstance(node, ast.AugAssign):
        return names
    return names - assigned


def _target_names(target: ast.expr) -> frozenset[str]:
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    if isinstance(target, ast.Tuple | ast.List):
        return frozenset().union(*(_target_names(e) for e in target.elts))
    return frozenset({target.id}) if isinstance(target, ast.Name) else frozenset()


def _merge(names: frozenset[str], other: frozenset[str] | None) -> frozenset[str]:
    return names if other is None else names | other


def _union(left: frozenset[str] | None, right: frozenset[str] | None) -> frozenset[str] | None:
    if left is None:
        return right
    if right is None:
        return left
    return left | right


def _carries(node: ast.expr, names: frozenset[str]) -> bool:
    return any(
        _is_traceback_call(child) or (isinstance(child, ast.Name) and child.id in names)
        for child in ast.walk(node)
    )
