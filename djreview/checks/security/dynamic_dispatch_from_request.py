"""DJR307: request data picks the function, attribute or module to use."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck
from djreview.taint.function import Hit


class DynamicDispatch(TaintCheck):
    """Request data chooses the object the code looks up: `globals()[x]`, `getattr(obj, x)`.

    ## What it does
    Flags request data used as the key of `globals()` / `locals()` /
    `vars()`, as the attribute name of `getattr()`, or as the module name of
    `importlib.import_module()`. A name checked against an allow-list first
    (`if action in ALLOWED:`) is fine; `setattr(obj, name, getattr(src, name))`
    is reported once, as DJR605 (mass assignment).

    ## Why is this bad?
    The client can reach any function or attribute in scope, including ones
    never meant as actions (`delete`, `__class__`), or import any installed
    module.

    ## Example
    ```python
    def run(request):
        handler = globals()[request.POST["action"]]
        return handler(request)
    ```

    ## Use instead
    ```python
    ACTIONS = {"archive": archive, "publish": publish}

    def run(request):
        handler = ACTIONS[request.POST["action"]]
        return handler(request)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/470.html
    """

    id = "DJR307"
    name = "dynamic-dispatch-from-request"
    message = (
        "Request data from {source} selects the object looked up by {sink}; use an explicit mapping"
    )
    cwe = (470,)
    security_severity = 7.5
    precision = "medium"
    tags = ("injection",)
    kinds = frozenset({"dispatch"})

    def accepts(self, hit: Hit, hits: list[Hit]) -> bool:
        """Not where the same line writes the attribute (setattr): that is DJR605's finding."""
        line = hit.sink.call.lineno
        return not any(
            other.sink.kind == "mass" and other.sink.call.lineno == line for other in hits
        )
