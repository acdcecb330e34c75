"""Project helpers that keep a path inside a folder, recognised by what they do.

A helper validates a parameter when, on every way out that can hand a path
back (or say yes), a containment test of that parameter has passed: Django's
`safe_join(base, p)` did not raise, or a normalised path (`os.path.abspath`,
`realpath`, `normpath`, `Path.resolve()`) passed `commonpath([...]) == base`,
`commonprefix([...]) == base`, `.startswith(base)` or `.is_relative_to(base)`.
WebODM's `path_traversal_check(path, base)` raises unless the test passes and
returns the normalised path; tendenci's `is_valid_path(root, path)` returns
True after `safe_join` and False in its `except SuspiciousFileOperation`.
A helper that only normalises, or that tests and still returns the path when
the test fails, validates nothing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from djreview.project.modules import dotted_name
from djreview.taint.names import qualified_callee

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

_SAFE_JOIN = frozenset({"django.utils._os.safe_join"})
_PATH_MODULES = ("os.path.", "posixpath.", "ntpath.")
_NORMALISERS = frozenset({"abspath", "realpath", "normpath"})
_COMMON = frozenset({"commonpath", "commonprefix"})
_NO_GUARD = object()
_GUARDS: WeakKeyDictionary[ast.AST, PathGuard | object] = WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class PathGuard:
    """What a path-validating helper guarantees about its parameters (positions, no `self`).

    `verdict`: the parameters validated wherever it returns something truthy (`if
    helper(...)`). `raising`: those validated on every way out, so a bare call
    validates them (it fails only by raising). `returns_checked`: every return is
    falsy or a validated path, so its result is safe for paths.
    """

    verdict: frozenset[int]
    raising: frozenset[int]
    returns_checked: bool
    params: tuple[str, ...]


@dataclass
class _State:
    """Along one path through the helper: names built from parameters, the normalised
    ones, and the parameters a containment test has passed for."""

    derived: dict[str, frozenset[int]]
    normal: dict[str, frozenset[int]]
    checked: frozenset[int]

    def copy(self, checked: frozenset[int] = frozenset()) -> _State:
        return _State(dict(self.derived), dict(self.normal), self.checked | checked)


@dataclass(frozen=True, slots=True)
class _Exit:
    """A way out of the helper: what it hands back ("falsy", "path", "truthy"), and
    the parameters validated there."""

    kind: str
    checked: frozenset[int]


def path_guard(function: FunctionNode, names: dict[str, str]) -> PathGuard | None:
    """The guarantees of `function` (names: its module's qualified names), or None."""
    found = _GUARDS.get(function)
    if found is None:
        found = _GUARDS[function] = _analyse(function, names) or _NO_GUARD
    return found if isinstance(found, PathGuard) else None


def _analyse(function: FunctionNode, names: dict[str, str]) -> PathGuard | None:
    params = [arg.arg for arg in function.args.posonlyargs + function.args.args]
    if params and params[0] in {"self", "cls"}:
        params = params[1:]
    if not params:
        return None
    walk = _Walk(names)
    start = {name: frozenset({index}) for index, name in enumerate(params)}
    end = walk.block(function.body, _State(start, {}, frozenset()))
    exits = walk.exits + ([_Exit("falsy", end.checked)] if end is not None else [])
    if not walk.fails:
        return None
    every = frozenset(range(len(params)))
    handing = [exit.checked for exit in exits if exit.kind != "falsy"]
    verdict = every.intersection(*handing) if handing else frozenset()
    raising = every.intersection(*(exit.checked for exit in exits)) if exits else frozenset()
    returns = bool(handing) and all(exit.kind in {"falsy", "path"} for exit in exits)
    if not verdict and not raising:
        return None
    return PathGuard(verdict, raising, returns and bool(verdict), tuple(params))


class _Walk:
    """The statements of one helper in order, with the containment tests passed so far."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.exits: list[_Exit] = []
        # A containment test whose failure leaves (a raise, a `safe_join`): the helper can say no.
        self.fails = False

    def block(self, body: list[ast.stmt], state: _State | None) -> _State | None:
        """The state after `body`, or None when every path through it leaves."""
        for stmt in body:
            if state is None:
                return None
            state = self.statement(stmt, state)
        return state

    def statement(self, stmt: ast.stmt, state: _State) -> _State | None:
        if isinstance(stmt, ast.Return):
            self.exits.append(self.returned(stmt.value, state))
            return None
        if isinstance(stmt, ast.Raise):
            self.fails = True
            return None
        if isinstance(stmt, ast.Expr | ast.Assign):
            return self.assigned(stmt, state)
        if isinstance(stmt, ast.AugAssign | ast.AnnAssign):
            # `p += "/.."`: whatever it held, it is no longer the normalised path.
            self.rebound(stmt.target, stmt.value, state)
            return state
        if isinstance(stmt, ast.If):
            passed, failed = self.tested(stmt.test, state)
            body = self.block(stmt.body, state.copy(passed))
            orelse = self.block(stmt.orelse, state.copy(failed))
            return _merge(body, orelse)
        if isinstance(stmt, ast.Try | ast.TryStar):
            body = self.block(stmt.body, state.copy())
            body = self.block(stmt.orelse, body)
            ends = [body] + [self.block(handler.body, state.copy()) for handler in stmt.handlers]
            after = _merge(*ends)
            return self.block(stmt.finalbody, after) if stmt.finalbody else after
        if isinstance(stmt, ast.With | ast.AsyncWith):
            return self.block(stmt.body, state)
        if isinstance(stmt, ast.For | ast.AsyncFor | ast.While):
            if isinstance(stmt, ast.For | ast.AsyncFor):
                self.rebound(stmt.target, stmt.iter, state)
            # The body may run no time at all: what follows starts from either state.
            return _merge(state, self.block(stmt.body, state.copy()))
        return state

    def assigned(self, stmt: ast.Expr | ast.Assign, state: _State) -> _State:
        """`safe_join(base, p)` (raises unless contained), `x = <built from parameters>`."""
        value = stmt.value
        joined = self.safe_joined(value, state)
        state = state.copy(joined)
        if not isinstance(stmt, ast.Assign):
            return state
        params = self.params_of(value, state)
        for target in stmt.targets:
            if not isinstance(target, ast.Name):
                self.rebound(target, value, state)
                continue
            state.derived[target.id] = params
            if joined or self.normalising(value):
                state.normal[target.id] = params
            else:
                state.normal.pop(target.id, None)
        return state

    def rebound(self, target: ast.expr, value: ast.expr | None, state: _State) -> None:
        """Names a statement binds to something other than a normalised path."""
        params = self.params_of(value, state) if value is not None else frozenset()
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                state.derived[node.id] = state.derived.get(node.id, frozenset()) | params
                state.normal.pop(node.id, None)

    def returned(self, value: ast.expr | None, state: _State) -> _Exit:
        if value is None or (isinstance(value, ast.Constant) and not value.value):
            return _Exit("falsy", state.checked)
        joined = self.safe_joined(value, state)
        if joined:
            return _Exit("path", state.checked | joined)
        passed, _ = self.tested(value, state)
        if passed:
            return _Exit("truthy", state.checked | passed)
        if isinstance(value, ast.Name) and state.derived.get(value.id, frozenset()) & (
            state.checked
        ):
            return _Exit("path", state.checked)
        return _Exit("truthy", state.checked)

    def tested(self, test: ast.expr, state: _State) -> tuple[frozenset[int], frozenset[int]]:
        """The parameters validated where `test` is true, and where it is false."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            passed, failed = self.tested(test.operand, state)
            return failed, passed
        if isinstance(test, ast.BoolOp):
            parts = [self.tested(value, state) for value in test.values]
            if isinstance(test.op, ast.And):
                return frozenset().union(*(part[0] for part in parts)), frozenset()
            return frozenset(), frozenset().union(*(part[1] for part in parts))
        found = self.containment(test, state)
        if found is None:
            return frozenset(), frozenset()
        self.fails = True
        params, positive = found
        return (params, frozenset()) if positive else (frozenset(), params)

    def containment(self, test: ast.expr, state: _State) -> tuple[frozenset[int], bool] | None:
        """The parameters of the normalised path a containment test checks (not its base's),
        and whether the test is true when that path is contained."""
        found = containment(test, self.names)
        if found is None:
            return None
        paths, base, positive = found
        checked = frozenset().union(*(self.normal_params(path, state) for path in paths))
        checked -= self.params_of(base, state)
        return (checked, positive) if checked else None

    def safe_joined(self, value: ast.expr, state: _State) -> frozenset[int]:
        """The parameters `safe_join(base, *parts)` contains (it raises otherwise)."""
        if not (
            isinstance(value, ast.Call)
            and safe_join_call(value, self.names)
            and len(value.args) >= 2
        ):
            return frozenset()
        self.fails = True
        parts = frozenset().union(*(self.params_of(arg, state) for arg in value.args[1:]))
        return parts - self.params_of(value.args[0], state)

    def normal_params(self, node: ast.expr, state: _State) -> frozenset[int]:
        """The parameters a normalised path is built from (a name holding one, or inline;
        also as `str()` of one)."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str":
            return self.normal_params(node.args[0], state) if len(node.args) == 1 else frozenset()
        if isinstance(node, ast.Name):
            return state.normal.get(node.id, frozenset())
        return self.params_of(node, state) if self.normalising(node) else frozenset()

    def normalising(self, node: ast.expr) -> bool:
        return normalising(node, self.names)

    def params_of(self, node: ast.expr, state: _State) -> frozenset[int]:
        """The parameters whose values an expression is built from."""
        found: frozenset[int] = frozenset()
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name):
                found |= state.derived.get(inner.id, frozenset())
        return found


def containment(
    test: ast.expr, names: dict[str, str]
) -> tuple[list[ast.expr], ast.expr, bool] | None:
    """A containment test of paths against a base: `commonpath([b, n]) == b` (true when
    contained) / `!=` (false), `commonprefix` the same, `n.startswith(b)`,
    `n.is_relative_to(b)`; the paths compared (without the base), the base, the polarity."""
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Attribute)
        and test.func.attr in {"startswith", "is_relative_to"}
        and len(test.args) == 1
        and not test.keywords
    ):
        return [test.func.value], test.args[0], True
    if not (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq | ast.NotEq)
    ):
        return None
    left, right = test.left, test.comparators[0]
    common, base = (left, right) if _common(left, names) else (right, left)
    if not (isinstance(common, ast.Call) and _common(common, names)):
        return None
    listed = common.args[0]
    assert isinstance(listed, ast.List | ast.Tuple)
    paths = [path for path in listed.elts if ast.dump(path) != ast.dump(base)]
    return paths, base, isinstance(test.ops[0], ast.Eq)


def normalising(node: ast.expr, names: dict[str, str]) -> bool:
    """`os.path.abspath(...)`, `realpath`, `normpath`, `<path>.resolve()`, `str()` of one,
    and a storage's `path(name)` (Django's `FileSystemStorage.path()` is `safe_join()`
    under its root)."""
    if not isinstance(node, ast.Call):
        return False
    if isinstance(node.func, ast.Name) and node.func.id == "str" and len(node.args) == 1:
        return normalising(node.args[0], names)
    if isinstance(node.func, ast.Attribute) and node.func.attr == "resolve":
        return not node.args
    if isinstance(node.func, ast.Attribute) and node.func.attr == "path" and len(node.args) == 1:
        return "storage" in (dotted_name(node.func.value) or "").lower()
    return _path_function(node.func, _NORMALISERS, names)


def safe_join_call(node: ast.expr, names: dict[str, str]) -> bool:
    """Django's `safe_join(base, *parts)`: it raises unless the joined path stays in base."""
    return (
        isinstance(node, ast.Call)
        and qualified_callee(node.func, names) in _SAFE_JOIN
        and len(node.args) >= 2
    )


def _common(node: ast.expr, names: dict[str, str]) -> bool:
    """`os.path.commonpath([...])` / `commonprefix([...])` of a list or tuple literal."""
    return (
        isinstance(node, ast.Call)
        and _path_function(node.func, _COMMON, names)
        and len(node.args) == 1
        and isinstance(node.args[0], ast.List | ast.Tuple)
    )


def _path_function(func: ast.expr, last: frozenset[str], names: dict[str, str]) -> bool:
    """`os.path.<one of last>` (also `posixpath`, `ntpath`), through the imports."""
    qualified = qualified_callee(func, names)
    head, _, name = qualified.rpartition(".")
    return name in last and f"{head}.".startswith(_PATH_MODULES)


def _merge(*states: _State | None) -> _State | None:
    """Where paths join: what holds on each of them."""
    live = [state for state in states if state is not None]
    if not live:
        return None
    first, *rest = live
    derived = dict(first.derived)
    normal = dict(first.normal)
    checked = first.checked
    for state in rest:
        for name, params in state.derived.items():
            derived[name] = derived.get(name, frozenset()) | params
        normal = {
            name: params | state.normal[name]
            for name, params in normal.items()
            if name in state.normal
        }
        checked &= state.checked
    return _State(derived, normal, checked)
