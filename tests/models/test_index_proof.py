"""Proof on real databases: every planted missing index scans before `djreview fix`
and searches an index after, on SQLite and on PostgreSQL; every twin is silent;
the fixed copy's migrations match its models exactly (`makemigrations --check`).

PostgreSQL runs as a throw-away server (tests/pgserver.py) with the tables
filled and ANALYZEd; each plan is asked twice: as the planner chooses, and
with sequential scans priced out, which proves whether an index can serve the
query at all (the planner alone prefers a scan on tables this small).

Projects: the two fixture projects and tests/data/index_library (unique_together,
composite non-leading column, conditional UniqueConstraint, Q in a variable,
relation span, Meta.ordering of a listed model, RunSQL index, test-only lookup,
a related manager that needs a ForeignKey-led composite, a queryset reassigned
from itself, a purge ranging over a mostly-NULL timestamp that the partial
index `condition=Q(withdrawn_at__isnull=False)` serves, and its twin served
by an existing partial index).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pgserver
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
    copy: Path
    before: dict[str, Any]
    after: dict[str, Any]
    findings: dict[tuple[str, int], str]
    left_after_fix: list[str]
    makemigrations: Any


def _index_findings(tree: Path) -> dict[tuple[str, int], str]:
    """Index findings by each query site they name, where the planted markers sit.

    A finding points at the model field; its query sites are its related
    locations (the hottest first), or its own location when it has no field
    line. A planted query need not be the hottest of its finding's sites.
    Offline and admin sites (tests, commands, staff pages) only ride along
    with a need others make (ranking._strong): they do not count as flagged.
    """
    result = run_tree(tree, select=tuple(sorted(INDEX_RULES)))
    out = {}
    for f in result.findings:
        if f.rule_id not in INDEX_RULES:
            continue
        sites = [
            r.location
            for r in f.related
            if not r.message.startswith("model ")
            and not r.message.endswith(("(offline)", "(admin)"))
        ]
        for site in sites or [f.location]:
            out.setdefault((site.path, site.start_line), f.rule_id)
        out.setdefault((f.location.path, f.location.start_line), f.rule_id)
    return out


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
            copy=copy,
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


@pytest.fixture(scope="module")
def postgres():
    try:
        server = pgserver.start()
    except pgserver.PostgresUnavailable as error:
        if os.environ.get(pgserver.REQUIRED):
            pytest.fail(f"PostgreSQL is required here ({pgserver.REQUIRED}): {error}")
        pytest.skip(f"no PostgreSQL server can be started here: {error}")
    yield server
    pgserver.stop(server)


@pytest.fixture(scope="module")
def pg_plans(proofs, postgres) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Per project: PostgreSQL plans of every index case before and after the fix."""
    plans = {}
    for name, folder in PROJECTS.items():
        before = harness.run(
            folder, measure=[], explain=None, database=postgres.django_database(f"{name}_before")
        )["explain"]
        after = harness.run(
            proofs[name].copy,
            measure=[],
            explain=None,
            database=postgres.django_database(f"{name}_after"),
        )["explain"]
        plans[name] = (before, after)
    return plans


def _pg(raw: dict[str, Any], case: str) -> tuple[str, str, str]:
    plan = harness.to_plan(case, raw)
    return plan, str(raw["forced_plan"]), harness.main_table(str(raw["sql"]))


@pytest.mark.parametrize(("project", "marker"), PLANTED, ids=[m.case for _, m in PLANTED])
def test_planted_missing_index_on_postgresql_scans_before_and_can_use_an_index_after(
    proofs, pg_plans, project, marker
) -> None:
    before, after = pg_plans[project]
    _, forced_before, _ = _pg(before[marker.case], marker.case)
    _, forced_after, _ = _pg(after[marker.case], marker.case)
    if proofs[project].findings.get((marker.path, marker.line)) != "DJR202":
        # Even with scans priced out, the best plan before the fix costs more
        # than after it: the new index serves the lookup (PostgreSQL may still
        # walk a whole composite index for a non-leading column, at a cost).
        assert harness.pg_plan_cost(forced_after) < harness.pg_plan_cost(forced_before), (
            forced_before,
            forced_after,
        )
        assert "Index" in forced_after, forced_after
        if getattr(proofs[project].cases, "PG_ROWS", 0) >= 1000:
            # Tables of thousands of rows, ANALYZEd: the planner itself now
            # takes the index, and its estimate drops.
            plan_before, _, _ = _pg(before[marker.case], marker.case)
            plan_after, _, _ = _pg(after[marker.case], marker.case)
            assert "Index" in plan_after, plan_after
            assert harness.pg_plan_cost(plan_after) < harness.pg_plan_cost(plan_before), (
                plan_before,
                plan_after,
            )
    else:
        # A B-tree cannot serve it: the pattern match stays a filter on the
        # rows read (no index condition does it), as the rule says.
        conditions = [line for line in forced_after.splitlines() if "Index Cond" in line]
        assert not any("~~" in line for line in conditions), forced_after
        assert "~~" in forced_after, forced_after


@pytest.mark.parametrize(("project", "marker"), TWINS, ids=[m.case for _, m in TWINS])
def test_twin_on_postgresql_is_served_by_an_existing_index(proofs, pg_plans, project, marker):
    spec = proofs[project].cases.INDEXES[marker.case]
    before, _ = pg_plans[project]
    _, forced, table = _pg(before[marker.case], marker.case)
    if spec.get("plan", "index") == "index":
        assert harness.pg_plan_uses_index(forced, table), forced
    else:
        assert harness.pg_plan_scans(forced, table), forced
