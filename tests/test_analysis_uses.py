"""Checks declare the whole-project analyses they read (`Check.uses`).

The declaration is what the engine builds before the timed work and what the
result cache derives a check's dependencies from: an analysis read but not
declared would make cached findings stale. So every check runs on the
fixture projects and the rule samples with `Project.analysis` recording the
analyses asked for directly (not those an analysis asks for while building).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from djreview.config import Config
from djreview.engine.registry import load_registry, rules_dir
from djreview.engine.runner import load_project
from djreview.source.project import Project

ROOT = Path(__file__).resolve().parents[1]
TREES = [ROOT / "fixtures" / "blog", ROOT / "fixtures" / "shop", rules_dir()]
CHECKS = load_registry().checks


@pytest.fixture(scope="module")
def asked(request) -> dict[str, set[str]]:
    """Check id -> names of the analyses it asked the project for."""
    original = Project.analysis
    depth = 0
    current: list[set[str]] = []

    def recording(self, kind):
        nonlocal depth
        if depth == 0 and current:
            current[-1].add(kind.__name__)
        depth += 1
        try:
            return original(self, kind)
        finally:
            depth -= 1

    Project.analysis = recording
    found: dict[str, set[str]] = {check.id: set() for check in CHECKS}
    try:
        for tree in TREES:
            project = load_project([tree], Config())
            for check in CHECKS:
                current[:] = [found[check.id]]
                for file in project.files:
                    if check.applies_to(file):
                        list(check.check_file(file, project))
                list(check.check_project(project))
    finally:
        Project.analysis = original
    return found


def test_recording_sees_what_a_check_asks_for(asked) -> None:
    assert asked["DJR101"] == {"NPlusOne"}
    assert asked["DJR201"] == {"IndexAnalysis"}


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
def test_check_declares_every_analysis_it_reads(check, asked) -> None:
    declared = {kind.__name__ for kind in check.uses}
    assert asked[check.id] <= declared, f"{check.id} reads {asked[check.id] - declared} undeclared"
