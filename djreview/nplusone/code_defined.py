"""Loops whose length the code fixes: over literals it spells, not over rows.

`for key, handler in field_map.items()` with `field_map = {...}`, a module
constant (also unpacking others), a literal setting, or a parameter every
caller in the project fills with a literal: their queries run a number of
times fixed by code, like a loop over the literal itself (DJR104, DJR105).
"""

from __future__ import annotations

import ast

from djreview.nplusone.evaluate import Evaluator, Scope
from djreview.nplusone.loops import literal
from djreview.nplusone.shipped_data import shipped_data
from djreview.project.modules import dotted_name

_DICT_VIEWS = frozenset({"items", "keys", "values"})
# Reading a part of a row of data: `seed.pop("labels")`, `seed.get("ids", [])`.
_ITEM_READS = frozenset({"pop", "get"})


def code_defined(evaluator: Evaluator, scope: Scope, iterable: ast.expr, depth: int = 0) -> bool:
    """A loop over values the code itself spells: a literal bound to a name, or a setting.

    `for key, handler in field_map.items()` with `field_map = {...}` in the
    function, `for item in DEFAULT_KEYS` with a module-level (or imported)
    list literal, `for pair in settings.DEFAULT_TYPES` with a literal in the
    settings: the number of iterations is fixed by code, not by rows, like a
    loop over the literal itself.
    """
    if (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Attribute)
        and iterable.func.attr in _DICT_VIEWS
        and not iterable.args
    ):
        iterable = iterable.func.value
    index = evaluator.schema.index
    if isinstance(iterable, ast.Attribute) and dotted_name(iterable) == f"settings.{iterable.attr}":
        if index.resolve_name(scope.module, "settings") != "django.conf.settings":
            return False
        found = index.settings.get(iterable.attr)
        return found is not None and found.known and isinstance(found.value, list | tuple | dict)
    if isinstance(iterable, ast.Call):
        return shipped_data(evaluator, scope, iterable)
    if not isinstance(iterable, ast.Name):
        return False
    if scope.function is not None:
        if iterable.id in _parameters(scope.function):
            return _every_caller_spells(evaluator, scope, iterable.id)
        assigned = evaluator.assignments(scope.function).get(iterable.id, [])
        if assigned:
            return all(
                _spelled(value)
                or shipped_data(evaluator, scope, value)
                or _part_of_a_fixed_row(evaluator, scope, value, depth)
                for _, value in assigned
            ) and not _filled(scope.function, iterable.id)
    return _module_constant(evaluator, scope.module, iterable.id)


def _part_of_a_fixed_row(evaluator: Evaluator, scope: Scope, value: ast.expr, depth: int) -> bool:
    """`labels = seed.pop("labels")` where `seed` walks a loop that is fixed by code."""
    while isinstance(value, ast.Subscript | ast.Attribute | ast.Call):
        if isinstance(value, ast.Call):
            if not isinstance(value.func, ast.Attribute) or value.func.attr not in _ITEM_READS:
                return False
            value = value.func.value
        else:
            value = value.value
    if not isinstance(value, ast.Name) or scope.function is None or depth > 2:
        return False
    loops = [
        node
        for node in ast.walk(scope.function)
        if isinstance(node, ast.For | ast.AsyncFor)
        and any(isinstance(n, ast.Name) and n.id == value.id for n in ast.walk(node.target))
    ]
    return bool(loops) and all(
        literal(loop.iter) or code_defined(evaluator, scope, loop.iter, depth + 1) for loop in loops
    )


def _every_caller_spells(evaluator: Evaluator, scope: Scope, parameter: str) -> bool:
    """Every call of the module-level function passes `parameter` a literal of constants.

    `create_group(instance, "translators", ["can_translate_locale"])` at each
    call site: the loop over `perms` in `create_group` is as long as a list
    the code spells. A function with no call found, called with the value
    left to its default, or passed a computed value, gets no such pass.
    """
    function = scope.function
    module = evaluator.modules.get(scope.module)
    if (
        scope.class_node is not None
        or not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        or module is None
        or module.defs.get(function.name) is not function
    ):
        return False
    positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    position = positional.index(parameter) if parameter in positional else None
    qualified = f"{scope.module}.{function.name}"
    calls = [
        (caller, call)
        for caller, call in evaluator.calls_named(function.name)
        if (callee := dotted_name(call.func)) is not None
        and evaluator.schema.index.resolve_name(caller.name, callee) == qualified
    ]
    if not calls:
        return False
    for caller, call in calls:
        given = next((k.value for k in call.keywords if k.arg == parameter), None)
        if given is None and position is not None and position < len(call.args):
            if any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
                return False
            given = call.args[position]
        if given is None:
            return False
        if not (
            _spelled(given)
            or (isinstance(given, ast.Name) and _module_constant(evaluator, caller.name, given.id))
        ):
            return False
    return True


def _module_constant(evaluator: Evaluator, module_name: str, name: str, depth: int = 0) -> bool:
    """`name`, seen from `module_name`, is a module-level literal of constants.

    Also `ALL = [*CORE, *EXTENDED]`: a list unpacking such literals (a few levels).
    """
    index = evaluator.schema.index
    qualified = index.resolve_name(module_name, name)
    module, _, attribute = (qualified or "").rpartition(".")
    bound = index.modules[module].defs.get(attribute) if module in index.modules else None
    if not isinstance(bound, ast.Assign):
        return False
    value = bound.value
    if depth and isinstance(value, ast.List | ast.Tuple) and not value.elts:
        return True  # an empty part (`EXTENDED = []`, for editions that add some)
    if isinstance(value, ast.List | ast.Tuple) and depth < 3:
        unpacked = [e for e in value.elts if isinstance(e, ast.Starred)]
        if unpacked and all(
            isinstance(e.value, ast.Name)
            and _module_constant(evaluator, module, e.value.id, depth + 1)
            for e in unpacked
        ):
            rest = [e for e in value.elts if not isinstance(e, ast.Starred)]
            return all(_spelled(e) for e in rest)
    return _spelled(value)


_FILLERS = frozenset({"append", "extend", "insert", "add", "update", "setdefault"})


def _spelled(value: ast.expr) -> bool:
    """A literal of constants (or of literals of them): not a tuple of row variables."""
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, ast.Dict):
        return all(isinstance(key, ast.Constant) for key in value.keys)
    if isinstance(value, ast.List | ast.Tuple | ast.Set):
        return bool(value.elts) and all(_spelled(item) for item in value.elts)
    return literal(value) and isinstance(value, ast.Call)  # range(<number>)


def _filled(function: ast.AST, name: str) -> bool:
    """Whether the function adds to `name` (`x.append(...)`, `x += ...`, `x[k] = ...`)."""
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _FILLERS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
        ):
            return True
        if (
            isinstance(node, ast.AugAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
        ):
            return True
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == name
            for t in node.targets
        ):
            return True
    return False


def _parameters(function: ast.AST) -> set[str]:
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return set()
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return {a.arg for a in every}
