"""Rule discovery: YAML rules under rules/<category>/ and Check classes under djreview.checks.

Nothing is listed by hand; a duplicate id or name fails at load time.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from djreview.checks.base import Check
from djreview.engine.yaml_rules import RuleLoadError, YamlRule, load_yaml_rule
from djreview.model import RuleMeta

SAMPLE_SUFFIXES = (".py", ".html")


def rules_dir() -> Path:
    """The rules folder: inside the installed package, else the source tree's."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "rules", package.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleLoadError("the rules/ folder is missing from this installation")


def _sample_for(directory: Path, name: str) -> str:
    # A folder sample is a small multi-file project (models, views, templates).
    if (directory / name).is_dir():
        return str(directory / name)
    for suffix in SAMPLE_SUFFIXES:
        candidate = directory / f"{name}{suffix}"
        if candidate.is_file():
            return str(candidate)
    # A rule that needs several files (models + views + migrations) has a folder sample.
    folder = directory / name
    return str(folder) if folder.is_dir() else ""


@dataclass
class Registry:
    """Every known rule, by id."""

    yaml_rules: list[YamlRule] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    metas: dict[str, RuleMeta] = field(default_factory=dict)

    def _add(self, meta: RuleMeta) -> None:
        if meta.id in self.metas:
            raise RuleLoadError(
                f"duplicate rule id {meta.id} ({meta.source}, {self.metas[meta.id].source})"
            )
        for other in self.metas.values():
            if other.name == meta.name:
                raise RuleLoadError(
                    f"duplicate rule name {meta.name} ({meta.source}, {other.source})"
                )
        self.metas[meta.id] = meta

    def add_yaml(self, rule: YamlRule) -> None:
        """Register a YAML rule."""
        self._add(rule.meta)
        self.yaml_rules.append(rule)

    def add_check(self, check: Check, meta: RuleMeta) -> None:
        """Register a Python check."""
        self._add(meta)
        self.checks.append(check)

    def sorted_metas(self) -> list[RuleMeta]:
        """Every rule's metadata, in id order."""
        return [self.metas[key] for key in sorted(self.metas)]


def _check_classes() -> list[type[Check]]:
    import djreview.checks as package

    found: list[type[Check]] = []
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Check)
                and value is not Check
                and value.__module__ == module.__name__
                and "id" in vars(value)
            ):
                found.append(value)
    return found


@cache
def load_registry() -> Registry:
    """Discover and load every rule once per process."""
    registry = Registry()
    root = rules_dir()
    for path in sorted(root.glob("*/*.yml")):
        category = path.parent.name
        registry.add_yaml(load_yaml_rule(path, category, _sample_for(path.parent, path.stem)))
    for cls in sorted(_check_classes(), key=lambda c: c.id):
        name = cls.name
        registry.add_check(cls(), cls.meta(sample=_sample_for(root / cls.category, name)))
    return registry
