"""The shared shape of settings rules: which settings modules get deployed, and where to report.

A settings module counts as deployed unless its name says development or
tests (`dev`, `local`, `test`, `ci`...) or a build step (`build`,
`collectstatic`), it star-imports such a module (a
`docker.py` built on `dev.py` is a development setup too), or it belongs to
the repository's demo or example project (a top-level package named
`demo*`, `example*`, `sandbox`, `sample*`, `workbench*`, or whose name ends
in `_workbench`: what `manage.py` runs for trying or developing the app,
not what gets deployed), and when an entry point (`manage.py`,
`wsgi.py`, `asgi.py`, `celery.py`) names it as `DJANGO_SETTINGS_MODULE`, it is
named for production (`prod`, `live`, `deploy`...), or no other settings
module star-imports it (a leaf, such as a lone `settings.py`). A base
module's values are checked through the leaves that inherit them, and
reported at the line that set them. A module whose whole body is a
`try: from A import *` / `except: from B import *` choice is an alias: it
is not judged itself, its branches are, as if the entry point named them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar, TypeGuard

from djreview.checks.base import Check
from djreview.checks.security._scripts import importers
from djreview.model import Finding, Location
from djreview.project.modules import resolve_relative
from djreview.project.project_model import ProjectModel
from djreview.project.settings import SettingsInfo, SettingsModule
from djreview.project.settings_eval import SettingValue
from djreview.source.project import Project
from djreview.taint.sources import call_name

# A module with none of these is an app's own defaults module, not project settings.
_PROJECT_SETTINGS = ("INSTALLED_APPS", "MIDDLEWARE", "SECRET_KEY", "DATABASES", "ROOT_URLCONF")


@dataclass(frozen=True, slots=True)
class Deployed:
    """A settings module that runs in production, and the settings info it belongs to."""

    module: SettingsModule
    info: SettingsInfo

    @property
    def name(self) -> str:
        """The dotted module name."""
        return self.module.name

    @property
    def named_for_production(self) -> bool:
        """Named by an entry point (manage.py, wsgi, asgi) or for production by its name."""
        return bool(self.module.entry_points) or self.info.is_production(self.name)

    def value(self, name: str) -> SettingValue | None:
        """The setting's value at the end of the module (inherited ones too)."""
        return self.module.values.get(name)

    def where(self, value: SettingValue | None) -> Location:
        """Where to report: the line that set the value, else the module's first line."""
        if value is not None and value.location is not None:
            return value.location
        return Location(self.module.rel, 1)

    def applies(self, value: SettingValue | None) -> str:
        """`in blogsite.settings.prod`, plus where the value was inherited from."""
        where = self.where(value)
        if where.path != self.module.rel:
            return f"in {self.name} (inherited from {where.path})"
        return f"in {self.name}"


# A top-level package starting with one of these is a project for trying the app.
_DEMO_PREFIXES = ("demo", "example", "sandbox", "sample", "workbench")


# The last part of a module named for a build step (`settings/build.py`): the settings
# `collectstatic` or `compilemessages` run with while the image is built, not the server's.
_BUILD_WORDS = ("build", "collectstatic", "compilemessages")


def _development(info: SettingsInfo, name: str, seen: frozenset[str] = frozenset()) -> bool:
    """Named for development or a build step, in a demo project, or built on such a module."""
    top = name.split(".", 1)[0].lower()
    if info.is_development(name) or top.startswith(_DEMO_PREFIXES) or top.endswith("_workbench"):
        return True
    if any(word in _BUILD_WORDS for word in name.rsplit(".", 1)[-1].lower().split("_")):
        return True
    module = info.modules.get(name)
    if module is None or name in seen:
        return False
    base = _built_on(module)
    return base is not None and _development(info, base, seen | {name})


def _built_on(module: SettingsModule) -> str | None:
    """The module an unconditional top-level `from X import *` builds this one on.

    Only a star import written directly in the module body counts: a trailing
    `try: from .local import *` is an optional override, not the base.
    """
    tree = module.module.file.tree
    for statement in tree.body if tree is not None else ():
        if _star_import(statement):
            source = _source(module, statement)
            return source if source in module.star_imports else None
    return None


def _alias_of(module: SettingsModule) -> tuple[str, ...]:
    """The modules an alias chooses: `try: from .dev import *` / `except: from .prod import *`.

    A settings module whose whole body (docstring aside) is such a choice has no
    values of its own: what runs is one of its branches, each judged on its own.
    The evaluator reads the `try` branch only, which is the development one where
    it is present and absent from the deployed image.
    """
    tree = module.module.file.tree
    body = [
        statement
        for statement in (tree.body if tree is not None else ())
        if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))
    ]
    if len(body) != 1 or not isinstance(choice := body[0], ast.Try):
        return ()
    if not choice.handlers or choice.orelse or choice.finalbody:
        return ()
    branches = [choice.body, *(handler.body for handler in choice.handlers)]
    sources: list[str] = []
    for branch in branches:
        stars = [statement for statement in branch if _star_import(statement)]
        if not branch or len(stars) != len(branch):
            return ()
        sources.extend(_source(module, statement) for statement in stars)
    return tuple(sources)


def _star_import(statement: ast.stmt) -> TypeGuard[ast.ImportFrom]:
    return isinstance(statement, ast.ImportFrom) and any(a.name == "*" for a in statement.names)


def _source(module: SettingsModule, statement: ast.ImportFrom) -> str:
    if statement.level:
        return resolve_relative(module.module.package, statement.module, statement.level)
    return statement.module or ""


def deployed_modules(project: Project, *, bases: bool = False) -> list[Deployed]:
    """The settings modules that run in production, by the rules in the module docstring.

    With `bases`, also the shared base modules they star-import (for values
    that are a defect wherever they are written, such as a literal key).
    """
    info = project.analysis(ProjectModel).settings
    aliases = {name: _alias_of(module) for name, module in info.modules.items()}
    chosen = {branch for branches in aliases.values() for branch in branches}
    imported = {
        star
        for name, module in info.modules.items()
        if not aliases[name]
        for star in module.star_imports
    }
    found = []
    for name, module in sorted(info.modules.items()):
        if aliases[name] or _development(info, name):
            continue
        if not any(key in module.values for key in _PROJECT_SETTINGS):
            continue
        # Named as DJANGO_SETTINGS_MODULE by manage.py, wsgi, asgi or celery (or chosen
        # by a module they name): what runs.
        named = bool(module.entry_points) or name in chosen
        if bases or named or info.is_production(name) or name not in imported:
            found.append(Deployed(module, info))
    return found


def supplied_at_deploy(deployed: Deployed, value: SettingValue) -> bool:
    """The module ends by star-importing a sibling absent from the tree, after `value` was set.

    `from .local_settings import *` written unconditionally (not in a `try`) fails
    unless the deployment supplies that module: the value set before it is only the
    fallback of a file the deployment writes, which may replace it.
    """
    tree = deployed.module.module.file.tree
    where = deployed.where(value)
    after = where.start_line if where.path == deployed.module.rel else 0
    for statement in tree.body if tree is not None else ():
        if not _star_import(statement):
            continue
        source = _source(deployed.module, statement)
        if source in deployed.module.star_imports:
            if where.path != deployed.module.rel:
                after = statement.lineno
        elif statement.level and statement.lineno > after:
            return True
    return False


def development_urlconf(project: Project, rel: str) -> bool:
    """A URLconf that only development settings name as `ROOT_URLCONF`, and nothing imports.

    At least one settings module names it, every one that does (or inherits the
    value) is development (see `_development`), and no other module of the project
    (tests aside) imports it or names it in a string, such as an `include()`.
    """
    model = project.analysis(ProjectModel)
    info = model.settings
    file = project.by_rel.get(rel)
    urlconf = model.module_for(file) if file is not None else None
    if urlconf is None:
        return False
    name = urlconf.name
    setters = {
        module
        for module, value in info.values_of("ROOT_URLCONF").items()
        if value.known and value.value == name
    }
    # Settings modules no entry point names (`dev_settings.py`, picked by an env var).
    setters.update(
        module.name
        for module in model.modules.values()
        if "ROOT_URLCONF" in module.file.text and _sets_urlconf(module.file.tree, name)
    )
    if not setters or not all(_development(info, module) for module in setters):
        return False
    settings = {model.modules[module].rel for module in setters}
    settings.update(module.rel for module in info.modules.values())
    return all(other.rel in settings for other in importers(model, urlconf))


def _sets_urlconf(tree: ast.Module | None, name: str) -> bool:
    """`ROOT_URLCONF = "<name>"` at the top level of a module."""
    return any(
        isinstance(statement, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "ROOT_URLCONF" for t in statement.targets)
        and isinstance(statement.value, ast.Constant)
        and statement.value.value == name
        for statement in (tree.body if tree is not None else ())
    )


def env_helper_default(statement: ast.AST | None) -> tuple[str, object, str] | None:
    """`X = get_bool_from_env("X", True)`: variable, literal default and helper of an env read.

    The settings evaluator knows os.environ, django-environ and decouple; projects
    often wrap them in their own helpers. Such a call is read by its shape: a callee
    with "env" in its name, the variable name and a literal default.
    """
    value = getattr(statement, "value", None)
    if not isinstance(value, ast.Call) or len(value.args) < 2:
        return None
    helper = call_name(value.func)
    name, default = value.args[0], value.args[1]
    if "env" not in helper.lower() or not isinstance(default, ast.Constant):
        return None
    if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
        return None
    return name.value, default.value, helper


class SettingsCheck(Check):
    """A rule over the deployed settings modules; one finding per place and message."""

    category = "security"
    uses = (ProjectModel,)
    # Also check base modules that deployed settings star-import (even where overridden).
    include_bases: ClassVar[bool] = False

    def check_project(self, project: Project) -> Iterable[Finding]:
        """Run `check_settings` on every deployed settings module, without repeats."""
        seen: set[tuple[Location, str]] = set()
        for deployed in deployed_modules(project, bases=self.include_bases):
            for finding in self.check_deployed(deployed, project):
                key = (finding.location, finding.rule_id)
                if key not in seen:
                    seen.add(key)
                    yield finding

    def check_deployed(self, deployed: Deployed, project: Project) -> Iterable[Finding]:
        """Findings for one deployed settings module, with the project at hand when needed."""
        return self.check_settings(deployed)

    def check_settings(self, deployed: Deployed) -> Iterator[Finding]:
        """Findings for one deployed settings module."""
        raise NotImplementedError
