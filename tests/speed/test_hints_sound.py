"""Hints only skip work: ignoring every hint finds exactly the same on samples and fixtures.

A hint that a real match can lack (a word the rule does not really need)
would silently drop findings; this runs every rule sample and both fixture
projects twice, once with all hints switched off, and compares.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from djreview.checks.base import Check
from djreview.config import Config
from djreview.engine.registry import load_registry
from djreview.engine.runner import run
from djreview.engine.yaml_rules import YamlRule

ROOT = Path(__file__).resolve().parents[2]
TREES = sorted(
    [
        *(ROOT / "fixtures").iterdir(),
        *(p for p in (ROOT / "rules").glob("*/*") if p.suffix in {"", ".py"}),
    ]
)


def _everything(tree: Path) -> list[tuple[str, str, int, int, str]]:
    # Every rule, the ones off by default included.
    config = Config(cache_dir=None, select=tuple(load_registry().metas))
    result = run([tree], config)
    return sorted(
        (f.rule_id, f.location.path, f.location.start_line, f.location.start_column, f.message)
        for f in result.findings
    )


def test_some_rules_have_hints() -> None:
    registry = load_registry()
    hinted_checks = [c for c in registry.checks if c.hints]
    # Most pattern rules became name-resolved Python checks; every pattern rule left must still
    # carry hints, or the hint path below would go untested for them.
    unhinted_patterns = [r.meta.id for r in registry.yaml_rules if not r.hints]
    assert len(hinted_checks) >= 10 and len(registry.yaml_rules) >= 2 and unhinted_patterns == []


@pytest.mark.parametrize("tree", TREES, ids=lambda p: str(p.relative_to(ROOT)))
def test_ignoring_hints_finds_the_same(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hinted = _everything(tree)
    monkeypatch.setattr(Check, "applies_to", lambda self, file: file.kind in self.file_kinds)
    monkeypatch.setattr(YamlRule, "applies_to", lambda self, rel, text=None: True)
    assert _everything(tree) == hinted
