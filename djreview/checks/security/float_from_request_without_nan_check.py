"""DJR330: `float()` of request data in a function that never checks for NaN or infinity."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from djreview.checks.security._resolved import ModuleCheck, assigned_values, resolved_calls
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.sources import request_source

_CHECKS = frozenset({"isnan", "isfinite", "isinf", "is_nan", "is_finite", "is_infinite"})


class FloatFromRequestWithoutNanCheck(ModuleCheck):
    """`float()` parses request data, and nothing rejects `nan` or `inf`.

    ## What it does
    An audit rule, off by default (select it with `--select DJR330` or
    `--select audit`): flags `float(x)` where `x` reads request data
    (`request.GET`, `request.POST`, `request.data`, `request.body`...,
    directly or through a variable assigned in the same function) when the
    value is then ordered (`<`, `>`, `<=`, `>=`, `min()`, `max()`) in a
    function that calls no `isnan()` / `isfinite()` / `isinf()` (of `math`,
    `cmath`, `numpy`, or `Decimal`'s methods) and compares nothing with
    itself (`x != x`).

    It deliberately does not report a value that is only stored or returned
    (NaN there breaks sums and JSON, not a check), `int()` or `Decimal()`
    (neither yields
    NaN from a plain number string; `Decimal("nan")` is reported by its own
    `is_nan` checks or not at all), values from forms and serializers
    (`FloatField` rejects NaN and infinity), nor tests and migrations.

    Audit-level: a NaN is harmful only where the value is compared or
    stored (a price, a limit, a coordinate); this rule cannot tell which.

    ## Why is this bad?
    `float("nan")` and `float("inf")` parse without error. NaN compares
    false with everything, so `if amount > limit: reject()` lets it through;
    stored, it breaks sorting, sums and JSON output.

    ## Example
    ```python
    def bid(request):
        amount = float(request.POST["amount"])
        if amount > request.user.balance:
            return HttpResponseBadRequest()
    ```

    ## Use instead
    ```python
    def bid(request):
        amount = float(request.POST["amount"])
        if not math.isfinite(amount) or amount > request.user.balance:
            return HttpResponseBadRequest()
    ```

    ## References
    - https://docs.python.org/3/library/functions.html#float
    - https://cwe.mitre.org/data/definitions/1287.html
    """

    id = "DJR330"
    name = "float-from-request-without-nan-check"
    message = (
        "float() of {source} accepts 'nan', which every comparison lets through, and this "
        "function never rejects it (math.isfinite)"
    )
    severity = Severity.NOTE
    cwe = (1287,)
    security_severity = 3.7
    precision = "low"
    tags = ("input-validation", "audit")
    enabled_by_default = False
    hints = ("float(",)

    def module_findings(
        self, file: SourceFile, project: Project, tree: ast.Module
    ) -> Iterator[Finding]:
        """One finding per float() of request data in a function without a NaN check."""
        for resolved in resolved_calls(tree):
            call = resolved.call
            if resolved.name != "float" or len(call.args) != 1:
                continue
            scope = resolved.scope
            if isinstance(scope, ast.Module) or _checks_nan(scope):
                continue
            source = _request_data(call.args[0], scope)
            if source and _compared(call, scope):
                yield self.finding((file, call), source=f"`{source}`")


def _request_data(node: ast.expr, scope: ast.AST) -> str:
    values = assigned_values(scope, node.id) if isinstance(node, ast.Name) else [node]
    for value in values:
        for inner in ast.walk(value):
            if isinstance(inner, ast.expr):
                source = request_source(inner, in_class_view=False)
                if source:
                    return source
    return ""


def _compared(call: ast.Call, scope: ast.AST) -> bool:
    """Whether the parsed value is ordered: `<`/`>` or min()/max(), itself or via its name."""
    names = {
        target.id
        for node in ast.walk(scope)
        if isinstance(node, ast.Assign) and node.value is call
        for target in node.targets
        if isinstance(target, ast.Name)
    }

    def is_value(node: ast.expr) -> bool:
        return node is call or (isinstance(node, ast.Name) and node.id in names)

    for node in ast.walk(scope):
        if isinstance(node, ast.Compare) and any(
            isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE) for op in node.ops
        ):
            if any(is_value(side) for side in [node.left, *node.comparators]):
                return True
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"min", "max"}
            and any(is_value(arg) for arg in node.args)
        ):
            return True
    return False


def _checks_nan(scope: ast.AST) -> bool:
    for node in ast.walk(scope):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in _CHECKS:
                return True
        if (
            isinstance(node, ast.Compare)
            and len(node.comparators) == 1
            and isinstance(node.ops[0], ast.NotEq | ast.Eq)
            and ast.dump(node.left) == ast.dump(node.comparators[0])
        ):
            return True
    return False
