"""Load the fixture projects with real Django and prove every planted case at runtime."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from . import harness, planted

CASES = {name: harness.load_cases(harness.FIXTURES_DIR / name) for name in harness.FIXTURE_NAMES}


def _params(table: str, *, planted_cases: bool, plan: str | None = None):
    params = []
    for fixture, cases in CASES.items():
        for case, spec in getattr(cases, table).items():
            if spec["planted"] != planted_cases:
                continue
            if plan is not None and spec.get("plan", "index") != plan:
                continue
            params.append(pytest.param(fixture, case, id=f"{fixture}-{case}"))
    return params


@pytest.fixture(scope="session")
def runtime_results():
    """One runner subprocess per fixture, measuring all of its cases."""
    cache: dict[str, dict] = {}

    def results(fixture: str) -> dict:
        if fixture not in cache:
            cache[fixture] = harness.run(harness.FIXTURES_DIR / fixture)
        return cache[fixture]

    return results


@pytest.mark.parametrize("fixture", harness.FIXTURE_NAMES)
def test_manage_check_passes(fixture):
    completed = harness.manage(harness.FIXTURES_DIR / fixture, "check")
    assert completed.returncode == 0, completed.stderr
    assert "no issues" in completed.stdout


@pytest.mark.parametrize("fixture", harness.FIXTURE_NAMES)
def test_makemigrations_finds_no_model_changes(fixture):
    completed = harness.manage(
        harness.FIXTURES_DIR / fixture, "makemigrations", "--check", "--dry-run"
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "No changes detected" in completed.stdout


@pytest.mark.parametrize(("fixture", "case"), _params("N_PLUS_ONE", planted_cases=True))
def test_planted_n_plus_one_query_count_grows_with_rows(runtime_results, fixture, case):
    result = harness.to_measurement(case, runtime_results(fixture)["measure"][case])
    assert result.grows, f"{case}: {result.counts} queries for sizes {result.sizes}"


@pytest.mark.parametrize(("fixture", "case"), _params("N_PLUS_ONE", planted_cases=False))
def test_twin_query_count_is_constant_across_rows(runtime_results, fixture, case):
    result = harness.to_measurement(case, runtime_results(fixture)["measure"][case])
    assert result.constant, f"{case}: {result.counts} queries for sizes {result.sizes}"


@pytest.mark.parametrize(("fixture", "case"), _params("INDEXES", planted_cases=True))
def test_planted_missing_index_lookup_scans_table(runtime_results, fixture, case):
    plan = harness.to_plan(case, runtime_results(fixture)["explain"][case])
    assert harness.plan_scans(plan), plan
    assert not harness.plan_uses_index(plan), plan


@pytest.mark.parametrize(("fixture", "case"), _params("INDEXES", planted_cases=False, plan="index"))
def test_indexed_lookup_searches_an_index(runtime_results, fixture, case):
    plan = harness.to_plan(case, runtime_results(fixture)["explain"][case])
    assert harness.plan_uses_index(plan), plan
    assert not harness.plan_scans(plan), plan


@pytest.mark.parametrize(("fixture", "case"), _params("INDEXES", planted_cases=False, plan="scan"))
def test_low_cardinality_lookup_scans_but_is_not_planted(runtime_results, fixture, case):
    plan = harness.to_plan(case, runtime_results(fixture)["explain"][case])
    assert harness.plan_scans(plan), plan


@pytest.mark.parametrize("fixture", harness.FIXTURE_NAMES)
def test_every_runtime_case_is_marked_in_the_source(fixture):
    cases = CASES[fixture]
    marked = {(m.role, m.case) for m in planted.markers(harness.FIXTURES_DIR / fixture)}
    for table in ("N_PLUS_ONE", "INDEXES"):
        for case, spec in getattr(cases, table).items():
            role = "planted" if spec["planted"] else "twin"
            assert (role, case.removesuffix("_twin")) in marked, f"{table}[{case}] has no marker"


@pytest.mark.parametrize("fixture", harness.FIXTURE_NAMES)
def test_every_planted_n_plus_one_marker_has_a_runtime_case_and_twin(fixture):
    cases = CASES[fixture]
    for marker in planted.markers(harness.FIXTURES_DIR / fixture):
        if marker.role == "planted" and marker.kind.startswith("n+1"):
            assert marker.case in cases.N_PLUS_ONE, marker
            assert f"{marker.case}_twin" in cases.N_PLUS_ONE, marker


@pytest.mark.parametrize("fixture", harness.FIXTURE_NAMES)
def test_planted_md_is_current(fixture):
    fixture_dir = harness.FIXTURES_DIR / fixture
    expected = planted.render(fixture_dir)
    path = Path(fixture_dir) / "PLANTED.md"
    if os.environ.get("DJREVIEW_UPDATE_SNAPSHOTS") == "1":
        path.write_text(expected)
    assert path.read_text() == expected, "regenerate with DJREVIEW_UPDATE_SNAPSHOTS=1"
