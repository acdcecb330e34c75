"""Django apps: which package a module belongs to and that app's label.

Read from `AppConfig` subclasses (`name`, `label`, `default_auto_field`) the
way Django's registry would, falling back to Django's own default (the last
component of the app package) when no AppConfig says otherwise.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from djreview.project.builtin import BUILTIN_APP_LABELS
from djreview.project.literals import literal_str
from djreview.project.modules import ModuleInfo, NameResolver, dotted_name

APP_CONFIG_CLASSES = frozenset({"django.apps.AppConfig", "django.apps.config.AppConfig"})


@dataclass(frozen=True)
class AppInfo:
    """One app: its package (AppConfig.name), label and default primary key class."""

    package: str
    label: str
    default_auto_field: str | None = None
    config_class: str | None = None


def _class_attr(node: ast.ClassDef, name: str) -> str | None:
    for statement in node.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    return literal_str(statement.value)
    return None


class AppRegistry:
    """The apps of the project, keyed by package, found from their AppConfig classes."""

    def __init__(self, modules: dict[str, ModuleInfo], resolver: NameResolver) -> None:
        self.modules = modules
        self.apps: dict[str, AppInfo] = {}
        self._for_module: dict[str, AppInfo] = {}
        for module in modules.values():
            if "apps" not in module.name.rsplit(".", 1)[-1] and not module.is_package:
                continue
            for node in module.classes():
                if not self._is_app_config(module.name, node, resolver, 0):
                    continue
                package = _class_attr(node, "name") or module.package
                label = _class_attr(node, "label") or package.rsplit(".", 1)[-1]
                auto = _class_attr(node, "default_auto_field")
                if (
                    package not in self.apps
                    or self.apps[package].label == package.rsplit(".", 1)[-1]
                ):
                    self.apps[package] = AppInfo(package, label, auto, f"{module.name}.{node.name}")

    def _is_app_config(
        self, module: str, node: ast.ClassDef, resolver: NameResolver, depth: int
    ) -> bool:
        if depth > 10:
            return False
        for base in node.bases:
            dotted = dotted_name(base)
            qualified = resolver.resolve(module, dotted) if dotted else None
            if qualified is None:
                continue
            if qualified in APP_CONFIG_CLASSES:
                return True
            owner, _, name = qualified.rpartition(".")
            info = self.modules.get(owner)
            parent = info.defs.get(name) if info else None
            if isinstance(parent, ast.ClassDef) and self._is_app_config(
                owner, parent, resolver, depth + 1
            ):
                return True
        return False

    def app_for_module(self, module: str) -> AppInfo:
        """The app a module belongs to (longest AppConfig package prefix, else Django's default)."""
        cached = self._for_module.get(module)
        if cached is not None:
            return cached
        if module in BUILTIN_APP_LABELS:
            package = module.rsplit(".", 1)[0]
            # django.contrib's AppConfigs all pin AutoField, whatever DEFAULT_AUTO_FIELD says.
            found = AppInfo(package, BUILTIN_APP_LABELS[module], "django.db.models.AutoField")
        else:
            found = self._lookup(module)
        self._for_module[module] = found
        return found

    def _lookup(self, module: str) -> AppInfo:
        parts = module.split(".")
        for cut in range(len(parts), 0, -1):
            app = self.apps.get(".".join(parts[:cut]))
            if app is not None:
                return app
        # No AppConfig: the package holding `models` (or `models/`), else the module's package.
        if "models" in parts[1:]:
            cut = len(parts) - 1 - parts[::-1].index("models")
            package = ".".join(parts[:cut])
        else:
            info = self.modules.get(module)
            package = module if info is not None and info.is_package else ".".join(parts[:-1])
        package = package or module
        return AppInfo(package, package.rsplit(".", 1)[-1])

    def label_for_package(self, package: str) -> str:
        """The label of the app whose package is `package` (Django's default if unknown)."""
        app = self.apps.get(package)
        return app.label if app is not None else package.rsplit(".", 1)[-1]
