"""Every planted security defect of the fixture projects is found; no clean twin is flagged.

The markers (`# planted: security-...` / `# twin: security-...`) sit on the line
above the code they describe. A planted call that hands request data to a
helper counts as found when a finding's path (its flow) runs through it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_repo, run_tree
from runtime.harness import copy_fixture
from runtime.planted import markers

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# The fixtures that plant security defects (the GraphQL fixture plants only N+1s).
PROJECTS = sorted(
    p.name
    for p in FIXTURES.iterdir()
    if (p / "PLANTED.md").is_file() and "security-" in (p / "PLANTED.md").read_text()
)


def _security_markers(project: str, role: str):
    return [
        m for m in markers(FIXTURES / project) if m.role == role and m.kind.startswith("security-")
    ]


@pytest.fixture(scope="module", params=PROJECTS)
def analysed(request, tmp_path_factory):
    root = make_repo(copy_fixture(FIXTURES / request.param, tmp_path_factory.mktemp("fx")))
    # Audit-level rules (off by default) find some planted defects: switch them on
    # for those, and judge the twins by the default rules a user runs.
    audit = run_tree(root, select=("security", "audit"))
    default = run_tree(root, select=("security",))
    return request.param, audit.active, default.active


def _places(findings) -> set[tuple[str, int]]:
    flagged = {(f.location.path, f.location.start_line) for f in findings}
    for finding in findings:
        flagged |= {(step.location.path, step.location.start_line) for step in finding.flow}
    return flagged


def test_every_planted_security_defect_is_found(analysed) -> None:
    project, findings, _ = analysed
    planted = _security_markers(project, "planted")
    assert planted, f"{project} plants no security defect"
    places = _places(findings)
    missed = [m.where + f" ({m.kind} {m.case})" for m in planted if (m.path, m.line) not in places]
    assert not missed, f"missed: {missed}"


def test_no_twin_is_flagged(analysed) -> None:
    project, _, findings = analysed
    twins = {(m.path, m.line): m for m in _security_markers(project, "twin")}
    flagged = [
        f"{f.location} {f.rule_id} (twin {twins[key].case})"
        for f in findings
        if (key := (f.location.path, f.location.start_line)) in twins
    ]
    assert not flagged, flagged


def test_one_finding_per_planted_line(analysed) -> None:
    project, findings, _ = analysed
    planted = {(m.path, m.line) for m in _security_markers(project, "planted")}
    per_line: dict[tuple[str, int], list[str]] = {}
    for f in findings:
        key = (f.location.path, f.location.start_line)
        if key in planted:
            per_line.setdefault(key, []).append(f.rule_id)
    doubled = {key: ids for key, ids in per_line.items() if len(ids) > 1}
    assert not doubled, doubled
