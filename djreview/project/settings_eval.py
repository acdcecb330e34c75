"""Evaluating settings expressions statically: literals, simple operators, env lookups.

Nothing is executed. An expression becomes a `SettingValue`: the value it has
when every environment variable takes its default (`UNKNOWN` when it cannot be
known), plus the `EnvDefault`s it read, so a check can tell "DEBUG is True"
from "DEBUG is True unless DJANGO_DEBUG says otherwise".
"""

from __future__ import annotations

import ast
import operator
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from djreview.model import Location
from djreview.project.modules import dotted_name


class _Unknown:
    """The value of an expression the evaluator cannot know."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Any = _Unknown()
# The default of `os.environ["X"]` / `env("X")` without one: the variable is required.
REQUIRED: Any = type("_Required", (), {"__repr__": lambda self: "REQUIRED"})()


@dataclass(frozen=True)
class ProjectPath:
    """A filesystem path computed from `__file__` (`BASE_DIR / "templates"`), project-relative."""

    rel: str

    def join(self, *parts: str) -> ProjectPath:
        """The path with `parts` appended (an absolute part replaces it, as os.path.join)."""
        return ProjectPath(posixpath.normpath(posixpath.join(self.rel, *parts)))

    @property
    def parent(self) -> ProjectPath:
        """The folder holding this path."""
        return ProjectPath(posixpath.normpath(posixpath.join(self.rel, "..")))

    def __str__(self) -> str:
        return self.rel


_PATH_CALLS = {
    "Path",
    "pathlib.Path",
    "PurePath",
    "str",
    "os.path.abspath",
    "os.path.realpath",
    "os.path.normpath",
    "abspath",
    "realpath",
    "normpath",
}
_DIRNAME = {"os.path.dirname", "dirname"}
_JOIN = {"os.path.join", "join"}


@dataclass(frozen=True)
class EnvDefault:
    """An environment variable read by a setting, with the default used when it is unset.

    `default` is REQUIRED when the code gives none (`os.environ["X"]`), UNKNOWN
    when the default is an expression we cannot evaluate; `cast` names a
    django-environ/decouple cast (bool, int, list...) when one applies.
    """

    name: str
    default: Any
    cast: str | None = None


@dataclass(frozen=True)
class SettingValue:
    """A setting's value (env defaults applied), where it was set, and the env vars it read."""

    name: str
    value: Any
    location: Location | None
    env: tuple[EnvDefault, ...] = ()
    conditional: bool = False
    node: ast.AST | None = None
    # Set only in an `if` branch the environment's defaults skip (`if env("CI", False):`):
    # the value it replaced, the one a deployment with those variables unset runs with.
    replaced: SettingValue | None = None
    only_when_env_set: bool = False
    # The value this one updates in place (`X += e`, `X = X + e`, `X.append(e)`, `X[k] = v`).
    derived_from: SettingValue | None = None

    @property
    def known(self) -> bool:
        """True when the value could be evaluated."""
        return self.value is not UNKNOWN and self.value is not REQUIRED

    @property
    def from_env(self) -> bool:
        """True when an environment variable can change the value."""
        return bool(self.env)

    def by_default(self) -> SettingValue | None:
        """The value with every environment variable unset (None: then never set).

        A value set in an `if` branch whose environment-read test is false by default
        (`if config("CI_TEST_RUN", default=False, cast=bool):`) gives way to the one it
        replaced, as `DEBUG = config("DEBUG", default=False)` counts as False.
        """
        value: SettingValue | None = self
        while value is not None and value.only_when_env_set:
            value = value.replaced
        return value


# Environment reads that return the variable's text as is.
ENV_GETTERS = frozenset({"os.environ.get", "os.getenv", "environ.get", "getenv"})
_CASTS: dict[str, Callable[[Any], Any]] = {
    "bool": lambda v: (
        v if isinstance(v, bool) else str(v).strip().lower() in ("1", "true", "yes", "on", "y", "t")
    ),
    "int": int,
    "float": float,
    "str": str,
    "list": lambda v: (
        v if isinstance(v, list) else [p.strip() for p in str(v).split(",") if p.strip()]
    ),
    "tuple": lambda v: (
        tuple(v) if isinstance(v, list | tuple) else tuple(p for p in str(v).split(",") if p)
    ),
}
# everett's parsers, by the cast they amount to (`parser=parse_bool`, `ListOf(str)`).
_PARSERS = {"parse_bool": "bool", "ListOf": "list"}


def _parser(node: ast.expr) -> str | None:
    """The cast a `cast=`/`parser=` argument names: `bool`, `parse_bool`, `ListOf(str)`."""
    if isinstance(node, ast.Call):
        name = dotted_name(node.func)
        return _PARSERS.get(name.rpartition(".")[2]) if name is not None else None
    name = dotted_name(node)
    return _PARSERS.get(name.rpartition(".")[2], name) if name is not None else None


_BINOPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Mod: operator.mod,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.BitOr: operator.or_,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.Lt: operator.lt,
    ast.Gt: operator.gt,
    ast.LtE: operator.le,
    ast.GtE: operator.ge,
}


class Evaluator:
    """Evaluates expressions against a namespace of already-evaluated settings."""

    def __init__(
        self,
        namespace: dict[str, SettingValue],
        env_schemes: dict[str, dict[str, tuple[str | None, Any]]],
        file_rel: str = "",
        readers: frozenset[str] = frozenset(),
    ) -> None:
        self.namespace = namespace
        self.file_rel = file_rel
        # Module names bound to a config library's reader (everett's `ConfigManager`).
        self.readers = readers
        # django-environ `env = environ.Env(DEBUG=(bool, False))`: per Env variable, its scheme.
        self.env_schemes = env_schemes
        self.env: list[EnvDefault] = []

    def evaluate(self, node: ast.expr) -> Any:
        """The value of `node` with env defaults applied; env reads go to `self.env`."""
        try:
            return self._eval(node)
        except Exception:  # an operator on odd values: the value is simply unknown
            return UNKNOWN

    def _eval(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = [self._eval(item) for item in node.elts if not isinstance(item, ast.Starred)]
            if any(isinstance(item, ast.Starred) for item in node.elts):
                return UNKNOWN
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.Dict):
            result: dict[Any, Any] = {}
            for key, value in zip(node.keys, node.values, strict=True):
                if key is None:
                    merged = self._eval(value)
                    if not isinstance(merged, dict):
                        return UNKNOWN
                    result.update(merged)
                else:
                    result[self._eval(key)] = self._eval(value)
            return result
        if isinstance(node, ast.Name) and node.id == "__file__" and self.file_rel:
            return ProjectPath(self.file_rel)
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            base = self._eval(node.value)
            return base.parent if isinstance(base, ProjectPath) else UNKNOWN
        if isinstance(node, ast.Name):
            found = self.namespace.get(node.id)
            if found is None:
                return {"True": True, "False": False, "None": None}.get(node.id, UNKNOWN)
            self.env.extend(found.env)
            return found.value
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.UnaryOp):
            operand = self._eval(node.operand)
            if operand is UNKNOWN:
                return UNKNOWN
            if isinstance(node.op, ast.Not):
                return not operand
            return -operand if isinstance(node.op, ast.USub) else UNKNOWN
        if isinstance(node, ast.BoolOp):
            return self._boolop(node)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right = self._eval(node.left), self._eval(node.comparators[0])
            if UNKNOWN in (left, right) and not (left is UNKNOWN and right is UNKNOWN):
                return UNKNOWN
            if left is UNKNOWN:
                return UNKNOWN
            return _COMPARE[type(node.ops[0])](left, right)
        if isinstance(node, ast.IfExp):
            test = self._eval(node.test)
            if test is UNKNOWN:
                return UNKNOWN
            return self._eval(node.body if test else node.orelse)
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                part = (
                    self._eval(value.value)
                    if isinstance(value, ast.FormattedValue)
                    else self._eval(value)
                )
                if part is UNKNOWN or part is REQUIRED:
                    return UNKNOWN
                parts.append(str(part))
            return "".join(parts)
        if isinstance(node, ast.Subscript):
            return self._subscript(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        return UNKNOWN

    def _binop(self, node: ast.BinOp) -> Any:
        left, right = self._eval(node.left), self._eval(node.right)
        if left is UNKNOWN or right is UNKNOWN or left is REQUIRED or right is REQUIRED:
            return UNKNOWN
        if (
            isinstance(left, ProjectPath)
            and isinstance(node.op, ast.Div)
            and isinstance(right, str)
        ):
            return left.join(right)
        function = _BINOPS.get(type(node.op))
        return function(left, right) if function else UNKNOWN

    def _boolop(self, node: ast.BoolOp) -> Any:
        result: Any = UNKNOWN
        for value in node.values:
            result = self._eval(value)
            if result is UNKNOWN:
                return UNKNOWN
            if isinstance(node.op, ast.Or) and result:
                return result
            if isinstance(node.op, ast.And) and not result:
                return result
        return result

    def _subscript(self, node: ast.Subscript) -> Any:
        if dotted_name(node.value) in ("os.environ", "environ"):
            name = self._eval(node.slice)
            if isinstance(name, str):
                self.env.append(EnvDefault(name, REQUIRED))
            return REQUIRED
        container, key = self._eval(node.value), self._eval(node.slice)
        if container is UNKNOWN or key is UNKNOWN:
            return UNKNOWN
        return container[key]

    def _call(self, node: ast.Call) -> Any:
        func = dotted_name(node.func) or ""
        path = self._path_call(node, func)
        if path is not None:
            return path
        if func in ENV_GETTERS:
            return self._env_read(node, None, required=False)
        if (
            func in ("env", "config")
            or func.startswith(("env.", "config."))
            or func in self.readers
        ):
            # django-environ / python-decouple: no default means the variable is required.
            return self._env_read(node, func.partition(".")[2] or None, required=True)
        if isinstance(node.func, ast.Attribute) and node.func.attr in (
            "split",
            "lower",
            "upper",
            "strip",
        ):
            receiver = self._eval(node.func.value)
            args = [self._eval(arg) for arg in node.args]
            if (
                receiver is UNKNOWN
                or receiver is REQUIRED
                or UNKNOWN in args
                or not isinstance(receiver, str)
            ):
                return UNKNOWN
            return (
                list(getattr(receiver, node.func.attr)(*args))
                if node.func.attr == "split"
                else getattr(receiver, node.func.attr)(*args)
            )
        if func in ("bool", "int", "str", "list", "tuple", "float") and len(node.args) == 1:
            value = self._eval(node.args[0])
            if value is UNKNOWN or value is REQUIRED:
                return value
            return _CASTS[func](value)
        return UNKNOWN

    def _path_call(self, node: ast.Call, func: str) -> ProjectPath | None:
        """Path(__file__), .resolve(), os.path.dirname/join/abspath on a ProjectPath."""
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("resolve", "absolute"):
            base = self._eval(node.func.value)
            return base if isinstance(base, ProjectPath) else None
        if not node.args:
            return None
        first = self._eval(node.args[0])
        if not isinstance(first, ProjectPath):
            return None
        if func in _PATH_CALLS and len(node.args) == 1:
            return first
        if func in _DIRNAME:
            return first.parent
        if func in _JOIN:
            parts = [self._eval(arg) for arg in node.args[1:]]
            if all(isinstance(part, str) for part in parts):
                return first.join(*parts)
        return None

    def _env_read(self, node: ast.Call, cast: str | None, required: bool) -> Any:
        if not node.args:
            return UNKNOWN
        name = self._eval(node.args[0])
        if not isinstance(name, str):
            return UNKNOWN
        default_node = (
            node.args[1]
            if len(node.args) > 1
            else next((kw.value for kw in node.keywords if kw.arg == "default"), None)
        )
        cast_node = next((kw.value for kw in node.keywords if kw.arg in ("cast", "parser")), None)
        if cast_node is not None:
            cast = _parser(cast_node) or cast
        scheme = self.env_schemes.get("env", {}).get(name)
        if default_node is not None:
            default = self._eval(default_node)
        elif scheme is not None:
            cast, default = cast or scheme[0], scheme[1]
        else:
            default = REQUIRED if required else None
        self.env.append(EnvDefault(name, default, cast))
        if default is UNKNOWN or default is REQUIRED:
            return default
        if cast in _CASTS and default is not None:
            try:
                return _CASTS[cast](default)
            except (TypeError, ValueError):
                return UNKNOWN
        return default


def env_scheme(call: ast.Call, evaluator: Evaluator) -> dict[str, tuple[str | None, Any]]:
    """django-environ's `environ.Env(DEBUG=(bool, False), ...)` scheme, by variable."""
    scheme: dict[str, tuple[str | None, Any]] = {}
    for kw in call.keywords:
        if kw.arg and isinstance(kw.value, ast.Tuple) and len(kw.value.elts) == 2:
            cast = dotted_name(kw.value.elts[0])
            scheme[kw.arg] = (cast, evaluator.evaluate(kw.value.elts[1]))
    return scheme
