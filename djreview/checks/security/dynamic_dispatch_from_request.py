"""DJR307: request data picks the function, attribute or module to use."""

from __future__ import annotations

import ast
import re

from djreview.checks.security._taint import TaintCheck
from djreview.taint.function import Hit

# A name prefix that confines `getattr` to a family of methods (`handle_`, `dispatch_`).
_PREFIX = re.compile(r"[A-Za-z_]\w*")


class DynamicDispatch(TaintCheck):
    """Request data chooses the object the code looks up: `globals()[x]`, `getattr(obj, x)`.

    ## What it does
    Flags request data used as the key of `globals()` / `locals()` /
    `vars()`, as the attribute name of `getattr()`, or as the module name of
    `importlib.import_module()`. A name checked against an allow-list first
    (`if action in ALLOWED:`) is fine; `setattr(obj, name, getattr(src, name))`
    is reported once, as DJR605 (mass assignment).

    Not reported, deliberately: `getattr(self, "handle_%s" % action)` and the
    same with an f-string, `+` or `.format()`, where a literal identifier
    prefix comes first. The client can only pick among the methods named
    with that prefix, which is the usual command-dispatch idiom (on shuup, 4
    of 6 findings were this shape); a name free of a prefix still is.

    Nor a name the code has confined to its own literals: inside `if kind
    == "property":` (or an `or` of such tests), or after a lookup that
    raises for any other value, `{"a": A, "b": B}[kind]` or `self.TABLE[kind]`
    of a dict of string keys bound once in the class or module, when no
    enclosing `try` catches the `KeyError` (SEED's inventory-type views).
    `.get(kind)` confines nothing.

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
        """Not where the same line writes the attribute (setattr, DJR605's), nor prefixed names."""
        line = hit.sink.call.lineno
        if hit.sink.what == "getattr()" and _prefixed(hit.sink.arg):
            return False
        return not any(
            other.sink.kind == "mass" and other.sink.call.lineno == line for other in hits
        )


def _prefixed(name: ast.expr) -> bool:
    """`"handle_%s" % x`, `f"handle_{x}"`, `"handle_" + x`, `"handle_{}".format(x)`."""
    head: ast.expr | None = None
    if isinstance(name, ast.BinOp) and isinstance(name.op, ast.Mod | ast.Add):
        head = name.left
    elif isinstance(name, ast.JoinedStr) and name.values:
        head = name.values[0]
    elif (
        isinstance(name, ast.Call)
        and isinstance(name.func, ast.Attribute)
        and name.func.attr == "format"
    ):
        head = name.func.value
    if not (isinstance(head, ast.Constant) and isinstance(head.value, str)):
        return False
    return _PREFIX.match(head.value.split("%", 1)[0].split("{", 1)[0]) is not None
