"""Syntactic shapes the queryset evaluator reads: assignments, imports, slices, `self`, `super()`.

Pure functions of the syntax tree, with no project knowledge; the evaluator
(`evaluate.py`) gives them meaning.
"""

from __future__ import annotations

import ast

from djreview.nplusone.querysets import ROW_FREE
from djreview.nplusone.relation_map import Function
from djreview.project.modules import record_import

# A slice of at most this many rows, fixed by code, is a handful, not N.
FEW_ROWS = 5


def assignment_table(function: ast.AST) -> dict[str, list[tuple[int, ast.expr]]]:
    """name -> (line, value) of the assignments in a function body, in line order.

    A `for` or `with` target counts as an assignment to an unknown value.
    """
    table: dict[str, list[tuple[int, ast.expr]]] = {}
    unknown = ast.Constant(None)
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    table.setdefault(target.id, []).append((node.lineno, node.value))
        elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and isinstance(node.target, ast.Name):
            if node.value is not None:
                table.setdefault(node.target.id, []).append((node.lineno, node.value))
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            table.setdefault(node.target.id, []).append((node.lineno, unknown))
        elif isinstance(node, ast.For | ast.AsyncFor | ast.With | ast.AsyncWith):
            targets = (
                [node.target]
                if isinstance(node, ast.For | ast.AsyncFor)
                else [item.optional_vars for item in node.items if item.optional_vars]
            )
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        table.setdefault(name.id, []).append((node.lineno, unknown))
        if not isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            stack.extend(ast.iter_child_nodes(node))
    for entries in table.values():
        entries.sort(key=lambda item: item[0])
    return table


def function_imports(function: ast.AST | None, package: str) -> dict[str, str]:
    """name -> qualified name of what a function's own imports bind.

    `def f(): from .models import Post` (often to dodge a circular import)
    binds `Post` only inside `f`; the module's namespace never holds it. An
    import in a function or class nested in `f` binds in that scope, not in
    `f`. Relative imports start from `package`, the package of the function's
    module.
    """
    bound: dict[str, str] = {}
    stack = list(ast.iter_child_nodes(function)) if function is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            record_import(node, package, bound)
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(node))
    return bound


def restates(value: ast.expr, name: str, line: int) -> bool:
    """`name = name.method(...)` on one line: the value starts from the name's previous value."""
    node = value
    while isinstance(node, ast.Call | ast.Attribute):
        node = node.func if isinstance(node, ast.Call) else node.value
    return isinstance(node, ast.Name) and node.id == name and node.lineno == line


def branch_spans(function: ast.AST) -> list[tuple[int, int]]:
    """(first, last) lines of the body of each `if` without `else`, nested ones too.

    An `if`/`else` is left out: both branches may set the name, and which one
    ran is not known.
    """
    return [
        (node.body[0].lineno, node.body[-1].end_lineno or node.body[-1].lineno)
        for node in ast.walk(function)
        if isinstance(node, ast.If) and not node.orelse
    ]


_HINTS = frozenset({"select_related", "prefetch_related"})


def hints_beside_a_filter(value: ast.expr) -> bool:
    """`qs.select_related("a__b").filter(a__b__login=x)`: a select or prefetch added with a filter.

    Such a hint goes with the filter's condition (the branch that filters),
    not with what every row reads. A hint added alone under a condition
    (`if "project" in requested: qs = qs.prefetch_related("project")`)
    usually guards the same condition as the read, so it is kept.
    """
    node = value
    methods = set()
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Attribute):
            methods.add(node.attr)
        node = node.func if isinstance(node, ast.Call) else node.value
    return bool(methods & _HINTS) and bool(methods & {"filter", "exclude"})


def of_own_model(call: ast.Call) -> bool:
    """`X(self.model, ...)` / `X(model=self.model)`: a queryset of the manager's own model."""
    first = (
        call.args[0]
        if call.args
        else next((k.value for k in call.keywords if k.arg == "model"), None)
    )
    return (
        isinstance(first, ast.Attribute)
        and first.attr == "model"
        and isinstance(first.value, ast.Name)
        and first.value.id == "self"
    )


def few(bounds: ast.Slice) -> bool:
    """`[:2]`, `[1:4]`: constant bounds a handful of rows apart."""
    lower, upper = bounds.lower, bounds.upper
    if not (isinstance(upper, ast.Constant) and isinstance(upper.value, int)):
        return False
    start = 0
    if isinstance(lower, ast.Constant) and isinstance(lower.value, int):
        start = lower.value
    elif lower is not None:
        return False
    return 0 <= upper.value - start <= FEW_ROWS


def class_assignment(cls: ast.ClassDef, name: str) -> ast.Assign | None:
    """The last `name = ...` statement of a class body."""
    found = None
    for item in cls.body:
        if (
            isinstance(item, ast.Assign)
            and len(item.targets) == 1
            and isinstance(item.targets[0], ast.Name)
            and item.targets[0].id == name
        ):
            found = item
    return found


def callee(func: ast.Attribute | ast.Name) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id


def is_self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def is_request(node: ast.expr) -> bool:
    """`request` or `self.request`."""
    if isinstance(node, ast.Name):
        return node.id == "request"
    return isinstance(node, ast.Attribute) and node.attr == "request" and is_self(node.value)


def is_super(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )


# Queryset methods that keep rows of the same model and add no join or prefetch.
_PLAIN_ROWS = frozenset({"all", "filter", "exclude", "order_by", "distinct", "reverse", "none"})
_JOINING = frozenset({"select_related", "prefetch_related", "Prefetch", "only", "defer"})


def plain_rows(function: Function) -> bool:
    """Whether every return of a manager method is a plain row chain (`x.rel.filter(...)`).

    The method names no join, prefetch or field selection anywhere, so the
    rows it returns are the manager model's with nothing loaded ahead.
    """
    names = {
        node.attr if isinstance(node, ast.Attribute) else node.id
        for node in ast.walk(function)
        if isinstance(node, ast.Attribute | ast.Name)
    }
    if names & (_JOINING | ROW_FREE):
        return False
    returns = [n.value for n in ast.walk(function) if isinstance(n, ast.Return)]
    return bool(returns) and all(
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in _PLAIN_ROWS
        for value in returns
    )
