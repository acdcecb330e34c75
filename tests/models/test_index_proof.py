"""Proof on a real database: every planted missing index scans before `djreview fix`
and searches an index after; every twin is silent; the fixed copy's migrations
match its models exactly (`makemigrations --check`).

Projects: the two fixture projects and tests/data/index_library (unique_together,
composite non-leading column, conditional UniqueConstraint, Q in a variable,
relation span, Meta.ordering of a listed model, RunSQL index, test-only lookup).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import run_tree
from runtime import harness, planted

from djreview.cli.main import main

INDEX_RULES = {"DJR201", "DJR202", "DJR203"}
PROJECTS = {
    "blog": harness.FIXTURES_DIR / "blog",
    "shop": harness.FIXTURES_DIR / "shop",
    "library": Path(__file__).resolve().parents[1] / "data" / "index_library",
}


def _cases(role: str) -> list[tuple[str, planted.Marker]]:
    return [
        (name, marker)
        for name, folder in PROJECTS.items()
        for marker in planted.markers(folder)
        if marker.kind == "missing-index" and marker.role == role
    ]


PLANTED = _cases("planted")
TWINS = _cases("twin")


@dataclass
class Proof:
    """One project: plans before and after the fix, findings, and the migration check."""

    cases: Any
    before: dict[str, Any]
    after: dict[str, Any]
    findings: dict[tuple[str, int], str]
    left_after_fix: list[str]
    makemigrations: Any


def _index_findings(tree: Path) -> dict[tuple[str, int], str]:
    result = run_tree(tree, select=tuple(sorted(INDEX_RULES)))
    return {
        (f.location.path, f.location.start_line): f.rule_id
        for f in result.findings
        if f.rule_id in INDEX_RULES
    }


@pytest.fixture(scope="module")
def proofs(tmp_path_factory) -> dict[str, Proof]:
    out = {}
    for name, folder in PROJECTS.items():
        copy = harness.copy_fixture(folder, tmp_path_factory.mktemp(name))
        findings = _index_findings(copy)
        fixed = CliRunner().invoke(main, ["fix", str(copy), "--select", "DJR201,DJR203"])
        assert fixed.exit_code == 0, fixed.output
        after_fix = _index_findings(copy)
        out[name] = Proof(
            cases=harness.load_cases(folder),
            before=harness.run(folder, measure=[], explain=None)["explain"],
            after=harness.run(copy, measure=[], explain=None)["explain"],
            findings=findings,
            left_after_fix=[rule for rule in after_fix.values() if rule != "DJR202"],
            makemigrations=harness.manage(
                copy, "makemigrations", "--check", "--dry-run", in_place=True
            ),
        )
    return out


def test_there_are_at_least_ten_cases_each_way() -> None:
    assert len(PLANTED) >= 10
    assert len(TWINS) >= 10


@pytest.mark.parametrize(("project", "marker"), PLANTED, ids=[m.case for _, m in PLANTED])
def test_planted_missing_index_is_flagged_scans_before_and_searches_after_the_fix(
    proofs, project, marker
) -> None:
    proof = proofs[project]
    rule = proof.findings.get((marker.path, marker.line))
    assert rule is not None, f"no index finding at {marker.where}: {sorted(proof.findings)}"
    before = harness.to_plan(marker.case, proof.before[marker.case])
    after = harness.to_plan(marker.case, proof.after[marker.case])
    assert harness.plan_scans(before), before
    if rule == "DJR202":
        # The rule's claim: a B-tree index cannot serve it; the fixed copy
        # (db_index on the same column where another lookup asked for it) still scans.
        assert harness.plan_scans(after), after
    else:
        assert harness.plan_uses_index(after) or "USING INDEX" in after, after
        assert not harness.plan_scans(after), after


@pytest.mark.parametrize(("project", "marker"), TWINS, ids=[m.case for _, m in TWINS])
def test_twin_is_not_flagged(proofs, project, marker) -> None:
    proof = proofs[project]
    assert (marker.path, marker.line) not in proof.findings
    spec = proof.cases.INDEXES[marker.case]
    plan = harness.to_plan(marker.case, proof.before[marker.case])
    if spec.get("plan", "index") == "index":
        assert harness.plan_uses_index(plan), plan


@pytest.mark.parametrize("project", list(PROJECTS))
def test_fixed_copy_migrations_match_the_models(proofs, project) -> None:
    made = proofs[project].makemigrations
    assert made.returncode == 0, made.stdout + made.stderr
    assert "No changes detected" in made.stdout


@pytest.mark.parametrize("project", list(PROJECTS))
def test_fix_silences_every_btree_index_finding(proofs, project) -> None:
    assert proofs[project].left_after_fix == []
