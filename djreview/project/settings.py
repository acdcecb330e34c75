"""The project's settings modules, found and evaluated statically.

Settings modules are the ones `manage.py`, `wsgi.py` and `asgi.py` name as
the `DJANGO_SETTINGS_MODULE` default, what those star-import (split
`base`/`dev`/`prod` layouts), and, by name, modules called `settings*` or
living in a `settings` package. Each is evaluated top to bottom: literals,
simple expressions, `+=`/`.append`/`DATABASES[...] = ...`, env lookups with
their defaults (settings_eval.py). `exec`, `globals().update(...)` and the
like are noted in `dynamic`, never run.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from djreview.project.modules import ModuleInfo, dotted_name, resolve_relative
from djreview.project.settings_eval import (
    UNKNOWN,
    EnvDefault,
    Evaluator,
    SettingValue,
    env_scheme,
)

# An update in place: the new value (and env reads) computed from the one it updates.
_Update = Callable[[SettingValue], tuple[Any, list[EnvDefault]]]

# Calls building everett's reader, called as `_config("KEY", default="...", parser=bool)`.
_CONFIG_READERS = ("ConfigManager", "ConfigManager.basic_config")

_ENTRY_FILES = ("manage.py", "wsgi.py", "asgi.py", "celery.py")
_PRODUCTION_WORDS = ("prod", "production", "live", "deploy", "release", "staging")
_DEVELOPMENT_WORDS = (
    "dev",
    "devproject",
    "testproject",
    "develop",
    "development",
    "local",
    "test",
    "tests",
    "testing",
    "ci",
    "debug",
    # Test runners' settings named as one word (DefectDojo's `settings/unittests.py`);
    # not "ends with test", which would take `latest` or `contest` for a test module.
    "unittest",
    "unittests",
    "pytest",
    "testsettings",
    "e2e",
)


@dataclass
class SettingsModule:
    """One settings module: its evaluated top-level values and what it star-imports."""

    name: str
    module: ModuleInfo
    values: dict[str, SettingValue] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    # Named by DJANGO_SETTINGS_MODULE in manage.py / wsgi.py / asgi.py (and which file).
    entry_points: list[str] = field(default_factory=list)
    # Dynamic code the evaluator saw but did not run (exec, globals().update...).
    dynamic: list[str] = field(default_factory=list)

    @property
    def rel(self) -> str:
        """The settings file's project-relative path."""
        return self.module.rel


def _words(module: str) -> list[str]:
    return [w for part in module.split(".") for w in part.replace("-", "_").split("_") if w]


def environment_of(module: str) -> str | None:
    """'production', 'development' or None, guessed from the module name's words."""
    words = _words(module)
    if any(w in _DEVELOPMENT_WORDS for w in words):
        return "development"
    if any(w in _PRODUCTION_WORDS for w in words):
        return "production"
    return None


def _settings_module_default(file_module: ModuleInfo) -> list[str]:
    """The DJANGO_SETTINGS_MODULE values an entry file sets as default."""
    found: list[str] = []
    tree = file_module.file.tree
    if tree is None or "DJANGO_SETTINGS_MODULE" not in file_module.file.text:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and len(node.args) == 2:
            key, value = node.args
            if (
                isinstance(key, ast.Constant)
                and key.value == "DJANGO_SETTINGS_MODULE"
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            ):
                found.append(value.value)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            target = node.targets[0]
            if (
                isinstance(target, ast.Subscript)
                and isinstance(target.slice, ast.Constant)
                and target.slice.value == "DJANGO_SETTINGS_MODULE"
                and isinstance(node.value.value, str)
            ):
                found.append(node.value.value)
    return found


class SettingsInfo:
    """Every settings module of the project, evaluated; see the module docstring.

    `modules` maps dotted names to SettingsModule; `entry_modules` lists the
    ones named by DJANGO_SETTINGS_MODULE defaults (the ones Django would load).
    """

    def __init__(self, modules: dict[str, ModuleInfo]) -> None:
        self._project = modules
        self.modules: dict[str, SettingsModule] = {}
        self.entry_modules: list[str] = []
        self._done: set[str] = set()
        entry_files = [m for m in modules.values() if m.rel.rsplit("/", 1)[-1] in _ENTRY_FILES]
        # manage.py first: it names the settings developers (and Django's checks) run with.
        entry_files.sort(key=lambda m: (_ENTRY_FILES.index(m.rel.rsplit("/", 1)[-1]), m.rel))
        for module in entry_files:
            for name in _settings_module_default(module):
                if name in modules and name not in self.entry_modules:
                    self.entry_modules.append(name)
                    self._add(name).entry_points.append(module.rel)
        for module in modules.values():
            last = module.name.rsplit(".", 1)[-1]
            if (
                (
                    last.startswith("settings")
                    or ".settings." in f".{module.name}."
                    and not module.is_package
                )
                or module.is_package
                and last == "settings"
            ):
                self._add(module.name)
        for name in list(self.modules):
            self._evaluate(name, set())

    def _add(self, name: str) -> SettingsModule:
        if name not in self.modules:
            self.modules[name] = SettingsModule(name, self._project[name])
        return self.modules[name]

    def _evaluate(self, name: str, stack: set[str]) -> dict[str, SettingValue]:
        settings = self.modules.get(name)
        if settings is None:
            settings = self._add(name)
        if name in self._done or name in stack:
            return settings.values
        self._done.add(name)
        tree = settings.module.file.tree
        if tree is None:
            return settings.values
        try:
            _ModuleEvaluator(self, settings, stack | {name}).run(tree.body, conditional=False)
        except RecursionError:
            # Pathologically nested expressions: keep what was evaluated so far.
            settings.dynamic.append("evaluation stopped: expressions nested too deeply")
        return settings.values

    def value(self, module: str, name: str) -> SettingValue | None:
        """The value `name` has at the end of settings module `module` (None if never set)."""
        settings = self.modules.get(module)
        return settings.values.get(name) if settings is not None else None

    def get(self, name: str) -> SettingValue | None:
        """`name` in the first entry settings module (else the only settings module setting it)."""
        for module in self.entry_modules:
            found = self.value(module, name)
            if found is not None:
                return found
        candidates = [m.values[name] for m in self.modules.values() if name in m.values]
        return candidates[0] if len(candidates) == 1 else None

    def values_of(self, name: str) -> dict[str, SettingValue]:
        """`name` in every settings module that sets or inherits it."""
        return {m.name: m.values[name] for m in self.modules.values() if name in m.values}

    def is_production(self, module: str) -> bool:
        """True when the module name says production (prod, production, live, deploy...)."""
        return environment_of(module) == "production"

    def is_development(self, module: str) -> bool:
        """True when the module name says development or tests (dev, local, test, ci...)."""
        return environment_of(module) == "development"

    def literal(self, name: str, default: Any = None) -> Any:
        """The known value of `name` (see `get`), else `default`."""
        found = self.get(name)
        return found.value if found is not None and found.known else default


class _ModuleEvaluator:
    """Runs through one settings module's top level, updating its values in order."""

    def __init__(self, info: SettingsInfo, settings: SettingsModule, stack: set[str]) -> None:
        self.info = info
        self.settings = settings
        self.stack = stack
        self.values = settings.values
        self.schemes: dict[str, dict[str, tuple[str | None, Any]]] = {}
        # Names bound to everett's reader: `_config = ConfigManager.basic_config()`.
        self.readers: set[str] = set()
        # Module functions binding the global their first argument names -> whether they
        # (or the helper they hand `globals()` to) read the environment.
        self.setters: dict[str, bool] | None = None

    def run(self, body: list[ast.stmt], conditional: bool) -> None:
        for node in body:
            self.statement(node, conditional)

    def statement(self, node: ast.stmt, conditional: bool) -> None:
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            self._star(node)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                self._assign(target, node.value, node, conditional)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            self._assign(node.target, node.value, node, conditional)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            self._assign(
                node.target, ast.BinOp(node.target, node.op, node.value), node, conditional
            )
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            self._call(node.value, node, conditional)
        elif isinstance(node, ast.If):
            self._if(node, conditional)
        elif isinstance(node, ast.Try):
            self.run(node.body, conditional)
            self.run(node.orelse, conditional)
            self.run(node.finalbody, conditional)
        elif isinstance(node, ast.With):
            self.run(node.body, conditional)
        elif isinstance(node, ast.For | ast.While):
            self.settings.dynamic.append(f"line {node.lineno}: loop at module level")

    def _evaluator(self) -> Evaluator:
        return Evaluator(self.values, self.schemes, self.settings.rel, frozenset(self.readers))

    def _set(
        self, name: str, value: Any, node: ast.stmt, env: list[EnvDefault], conditional: bool
    ) -> None:
        self.values[name] = SettingValue(
            name,
            value,
            self.settings.module.file.node_location(node),
            _unique(env),
            conditional,
            node,
        )

    def _update(
        self, old: SettingValue, compute: _Update, node: ast.stmt, conditional: bool
    ) -> None:
        """Set `old.name` to `compute(old)`: an update in place (`+=`, `.append`, `[k] = v`)."""
        self.values[old.name] = self._derived(old, compute, node, conditional)

    def _derived(
        self, old: SettingValue, compute: _Update, node: ast.stmt, conditional: bool
    ) -> SettingValue:
        # The update applies to the value an env-default deployment has too (`replaced`):
        # `if env.bool("DEBUG", False): INSTALLED_APPS += ["debug_toolbar"]` and then an
        # unconditional `INSTALLED_APPS += ["whitenoise"]` leaves the toolbar env-only.
        value, env = compute(old)
        replaced = old.replaced
        if replaced is not None:
            replaced = self._derived(replaced, compute, node, conditional)
        return SettingValue(
            old.name,
            value,
            self.settings.module.file.node_location(node),
            _unique([*old.env, *env]),
            conditional,
            node,
            replaced,
            old.only_when_env_set,
            old,
        )

    def _assign(self, target: ast.expr, value: ast.expr, node: ast.stmt, conditional: bool) -> None:
        evaluator = self._evaluator()
        if isinstance(target, ast.Name):
            if isinstance(value, ast.Call) and (dotted_name(value.func) or "").endswith("Env"):
                self.schemes[target.id] = env_scheme(value, evaluator)
            if isinstance(value, ast.Call) and (dotted_name(value.func) or "").endswith(
                _CONFIG_READERS
            ):
                self.readers.add(target.id)
            old = self.values.get(target.id)
            if old is not None and _updates(target.id, value):
                self._update(old, lambda base: self._evaluate_with(value, base), node, conditional)
                return
            result = evaluator.evaluate(value)
            self._set(target.id, result, node, evaluator.env, conditional)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                if isinstance(element, ast.Name):
                    self._set(element.id, UNKNOWN, node, [], conditional)
        elif isinstance(target, ast.Subscript):
            self._assign_item(target, value, node, conditional)

    def _assign_item(
        self, target: ast.Subscript, value: ast.expr, node: ast.stmt, conditional: bool
    ) -> None:
        # DATABASES["default"]["ENGINE"] = ...: update the known dict in place (a copy).
        keys: list[ast.expr] = []
        base: ast.expr = target
        while isinstance(base, ast.Subscript):
            keys.insert(0, base.slice)
            base = base.value
        if not isinstance(base, ast.Name) or base.id not in self.values:
            return
        evaluator = self._evaluator()
        key_values = [evaluator.evaluate(key) for key in keys]
        item = evaluator.evaluate(value)

        def compute(old: SettingValue) -> tuple[Any, list[EnvDefault]]:
            container = _deep_copy(old.value)
            cursor = container
            if not all(isinstance(key, str | int | bool | None) for key in key_values):
                cursor = None  # a key we cannot know (or hash): the whole value becomes unknown
            for key in key_values[:-1]:
                cursor = cursor.get(key) if isinstance(cursor, dict) else None
            if isinstance(cursor, dict):
                cursor[key_values[-1]] = item
            else:
                container = UNKNOWN
            return container, evaluator.env

        self._update(self.values[base.id], compute, node, conditional)

    def _call(self, call: ast.Call, node: ast.stmt, conditional: bool) -> None:
        func = dotted_name(call.func) or ""
        if (
            func in ("exec", "eval")
            or func.endswith(("globals().update", "setattr"))
            or (
                isinstance(call.func, ast.Attribute)
                and call.func.attr == "update"
                and isinstance(call.func.value, ast.Call)
                and dotted_name(call.func.value.func) in ("globals", "locals", "vars")
            )
        ):
            what = func or ast.unparse(call.func)
            self.settings.dynamic.append(f"line {call.lineno}: {what}(...) not evaluated")
            return
        if isinstance(call.func, ast.Name) and call.func.id in self._global_setters():
            self._set_through_helper(call, node, conditional)
            return
        if not isinstance(call.func, ast.Attribute) or not isinstance(call.func.value, ast.Name):
            return
        name, method = call.func.value.id, call.func.attr
        old = self.values.get(name)
        if old is None or method not in ("append", "extend", "insert", "remove", "update"):
            return
        evaluator = self._evaluator()
        args = [evaluator.evaluate(arg) for arg in call.args]

        def compute(base: SettingValue) -> tuple[Any, list[EnvDefault]]:
            updated = _deep_copy(base.value)
            try:
                getattr(updated, method)(*args)
            except Exception:  # wrong type or arity: we only know it changed
                updated = UNKNOWN
            if UNKNOWN in args:
                updated = UNKNOWN
            return updated, evaluator.env

        self._update(old, compute, node, conditional)

    def _evaluate_with(self, value: ast.expr, base: SettingValue) -> tuple[Any, list[EnvDefault]]:
        """`value` (which reads `base.name`) with that name bound to `base`."""
        evaluator = Evaluator(
            {**self.values, base.name: base},
            self.schemes,
            self.settings.rel,
            frozenset(self.readers),
        )
        return evaluator.evaluate(value), evaluator.env

    def _global_setters(self) -> dict[str, bool]:
        """The module's functions that bind the global their first argument names."""
        if self.setters is None:
            tree = self.settings.module.file.tree
            self.setters = global_setters(tree) if tree is not None else {}
        return self.setters

    def _set_through_helper(self, call: ast.Call, node: ast.stmt, conditional: bool) -> None:
        """`set_option("NAME", value)`: NAME = value; when the setter reads the environment,
        unless the environment variable NAME is set.

        Only with a value: `set_from_env("NAME")` binds nothing when the variable is unset.
        """
        if len(call.args) < 2 or isinstance(call.args[1], ast.Starred):
            return
        first = call.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            return
        evaluator = self._evaluator()
        value = evaluator.evaluate(call.args[1])
        env = list(evaluator.env)
        if isinstance(call.func, ast.Name) and self._global_setters().get(call.func.id):
            env.append(EnvDefault(first.value, value))
        self._set(first.value, value, node, env, conditional)

    def _if(self, node: ast.If, conditional: bool) -> None:
        evaluator = self._evaluator()
        test = evaluator.evaluate(node.test)
        if test is UNKNOWN or evaluator.env:
            # Either branch may run: keep both, marked conditional (the later one wins).
            before = dict(self.values)
            self.run(node.body, True)
            if test is not UNKNOWN and not test:
                self._mark_skipped_by_default(before)
            after_body = dict(self.values)
            self.run(node.orelse, True)
            if test is not UNKNOWN and test:
                self._mark_skipped_by_default(after_body)
        else:
            self.run(node.body if test else node.orelse, conditional)

    def _mark_skipped_by_default(self, before: dict[str, SettingValue]) -> None:
        """Values the branch just run changed, though the environment's defaults skip it."""
        for name, value in self.values.items():
            if before.get(name) is not value:
                self.values[name] = replace(
                    value, replaced=before.get(name), only_when_env_set=True
                )

    def _star(self, node: ast.ImportFrom) -> None:
        source = (
            resolve_relative(self.settings.module.package, node.module, node.level)
            if node.level
            else node.module or ""
        )
        if source not in self.info._project:
            self.settings.dynamic.append(f"line {node.lineno}: star import of unknown {source}")
            return
        self.settings.star_imports.append(source)
        for name, value in self.info._evaluate(source, self.stack).items():
            if not name.startswith("_"):
                self.values[name] = value


def _updates(name: str, value: ast.expr) -> bool:
    """`value` is `name <op> e` or `e <op> name`: an update of `name` (what `name += e` reads)."""
    return isinstance(value, ast.BinOp) and any(
        isinstance(side, ast.Name) and side.id == name for side in (value.left, value.right)
    )


def _unique(env: list[EnvDefault]) -> tuple[EnvDefault, ...]:
    # Defaults may be lists or dicts: deduplicate by equality, not by hash.
    found: list[EnvDefault] = []
    for item in env:
        if item not in found:
            found.append(item)
    return tuple(found)


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value


def global_setters(tree: ast.Module) -> dict[str, bool]:
    """Module functions `f(name, value, ...)` that bind the global `name` names, each with
    whether it (or the helper it hands `globals()` to) reads the environment.

    Either the body assigns `globals()[name]`, or it hands `globals()` and
    `name` to a module function that assigns `context[name]` (peeringdb's
    `set_option(name, value)` calling `_set_option(name, value, globals())`).
    """
    functions = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.args.args
    }
    setters: dict[str, bool] = {}
    for name, function in functions.items():
        first = function.args.args[0].arg
        if _assigns_item(function, None, first):
            setters[name] = _reads_environment(function)
            continue
        for call in ast.walk(function):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
                continue
            helper = functions.get(call.func.id)
            if helper is None or helper is function:
                continue
            params = [arg.arg for arg in helper.args.args]
            passed = dict(zip(params, call.args, strict=False))
            context = next((p for p, a in passed.items() if _is_globals(a)), None)
            key = next(
                (p for p, a in passed.items() if isinstance(a, ast.Name) and a.id == first), None
            )
            if context is not None and key is not None and _assigns_item(helper, context, key):
                setters[name] = _reads_environment(function) or _reads_environment(helper)
                break
    return setters


def _reads_environment(function: ast.FunctionDef) -> bool:
    """The function reads `os.environ` / `os.getenv` (by attribute or name)."""
    return any(
        (isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"})
        or (isinstance(node, ast.Name) and node.id in {"environ", "getenv"})
        for node in ast.walk(function)
    )


def _is_globals(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and dotted_name(node.func) == "globals" and not node.args


def _assigns_item(function: ast.FunctionDef, container: str | None, key: str) -> bool:
    """The function assigns `container[key] = ...` (`globals()[key]` for None) in its body."""
    return any(
        isinstance(target, ast.Subscript)
        and (
            _is_globals(target.value)
            if container is None
            else isinstance(target.value, ast.Name) and target.value.id == container
        )
        and isinstance(target.slice, ast.Name)
        and target.slice.id == key
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        for target in node.targets
    )
