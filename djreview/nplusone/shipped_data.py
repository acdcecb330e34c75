"""Data the repository ships: a JSON/YAML/CSV file at a path the code spells.

`issues = read_seed_file("issues.json")`, where `read_seed_file(name)` loads
`os.path.join(settings.SEED_DIR, "data", name)`: the rows are the seed data
committed with the code, as fixed as a literal. A path from a command-line
option, an upload or a request is not spelled, and keeps its loop's findings.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from djreview.nplusone.evaluate import Evaluator, Scope
from djreview.project.modules import dotted_name

# Loaders whose result is the file's content (qualified names).
LOADERS = frozenset(
    {
        "json.load",
        "json.loads",
        "yaml.safe_load",
        "yaml.load",
        "yaml.full_load",
        "csv.reader",
        "csv.DictReader",
        "tomllib.load",
    }
)
# A dotted name as seen from the loader's module -> its qualified name.
_Resolve = Callable[[str], str | None]
# Building a path from fixed parts keeps it fixed.
_PATH_BUILDERS = frozenset(
    {
        "os.path.join",
        "os.path.dirname",
        "os.path.abspath",
        "os.path.realpath",
        "pathlib.Path",
    }
)


def shipped_data(evaluator: Evaluator, scope: Scope, value: ast.expr) -> bool:
    """Whether `value` is a call of a project function that loads a file at a spelled path.

    The call's arguments must be constants; the function must call a loader
    and open only paths built from constants, its parameters, settings,
    `__file__` and path joins.
    """
    if not isinstance(value, ast.Call):
        return False
    arguments = [*value.args, *(k.value for k in value.keywords)]
    if not all(isinstance(argument, ast.Constant) for argument in arguments):
        return False
    callee = dotted_name(value.func)
    index = evaluator.schema.index
    qualified = index.resolve_name(scope.module, callee) if callee else None
    module_name, _, name = (qualified or "").rpartition(".")
    module = evaluator.modules.get(module_name)
    function = module.defs.get(name) if module is not None else None
    if not isinstance(function, ast.FunctionDef) or module is None:
        return False

    def resolve(dotted: str) -> str | None:
        return index.resolve_name(module_name, dotted)

    calls = [node for node in ast.walk(function) if isinstance(node, ast.Call)]
    if not any(resolve(dotted_name(c.func) or "") in LOADERS for c in calls):
        return False
    fixed = _fixed_names(evaluator.assignments(function), function, resolve)
    opened = [c for c in calls if isinstance(c.func, ast.Name) and c.func.id == "open"]
    return bool(opened) and all(c.args and _fixed_path(c.args[0], fixed, resolve) for c in opened)


def _fixed_names(
    table: dict[str, list[tuple[int, ast.expr]]], function: ast.FunctionDef, resolve: _Resolve
) -> set[str]:
    """Parameters and locals every assignment of which builds a fixed path part.

    `table` is the function's assignment table, where a `for`/`with` target
    counts as an unknown value: such a name is never fixed.
    """
    parameters = {a.arg for a in (*function.args.posonlyargs, *function.args.args)}
    fixed = parameters - set(table)
    growing = True
    while growing:
        growing = False
        for name, values in table.items():
            if name not in fixed and all(_fixed_path(v, fixed, resolve) for _, v in values):
                fixed.add(name)
                growing = True
    return fixed


def _fixed_path(expr: ast.expr, fixed: set[str], resolve: _Resolve) -> bool:
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, str)
    if isinstance(expr, ast.Name):
        return expr.id in fixed or expr.id == "__file__"
    if isinstance(expr, ast.Attribute):
        base = dotted_name(expr.value)
        if base is not None and resolve(base) == "django.conf.settings":
            return True  # settings.SEED_DIR
        return expr.attr == "parent" and _fixed_path(expr.value, fixed, resolve)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
        return _fixed_path(expr.left, fixed, resolve) and _fixed_path(expr.right, fixed, resolve)
    if isinstance(expr, ast.JoinedStr):
        return all(
            isinstance(part, ast.Constant) or _fixed_path(part.value, fixed, resolve)
            for part in expr.values
            if isinstance(part, ast.Constant | ast.FormattedValue)
        )
    if isinstance(expr, ast.Call) and not expr.keywords:
        return resolve(dotted_name(expr.func) or "") in _PATH_BUILDERS and all(
            _fixed_path(argument, fixed, resolve) for argument in expr.args
        )
    return False
