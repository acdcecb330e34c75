"""The pytest plugin on the fixture projects' own pytest-django suites, with real queries."""

from __future__ import annotations

import pytest

from tests.runtime import harness, planted

from .plugin_run import PluginRun, copy_fixture, run_plugin


@pytest.fixture(scope="module", params=harness.FIXTURE_NAMES)
def confirmed(request, tmp_path_factory) -> PluginRun:
    copy = copy_fixture(request.param, tmp_path_factory.mktemp("confirm"))
    run = run_plugin(copy, "--djreview")
    assert run.returncode == 0, run.output
    return run


def _cases(run: PluginRun) -> dict:
    return harness.load_cases(harness.FIXTURES_DIR / run.fixture).N_PLUS_ONE


def test_every_exercised_planted_n_plus_one_is_confirmed(confirmed):
    checked = 0
    for case, spec in _cases(confirmed).items():
        if not spec["planted"] or spec.get("static") == "blind":
            continue
        states = confirmed.finding_states("planted", case)
        assert states, f"{case}: no static finding at its marker"
        assert "confirmed" in states, f"{case}: {states}"
        checked += 1
    assert checked >= 10


def test_no_twin_is_confirmed_and_a_wrongly_flagged_twin_is_refuted(confirmed):
    for case, spec in _cases(confirmed).items():
        if spec["planted"]:
            continue
        states = confirmed.finding_states("twin", case.removesuffix("_twin"))
        assert "confirmed" not in states, f"{case}: {states}"
        if spec.get("static") == "flagged":
            assert states == ["refuted"], f"{case}: {states}"


def test_an_n_plus_one_the_static_rules_cannot_see_is_dynamic_only(confirmed):
    blind = [c for c, s in _cases(confirmed).items() if s.get("static") == "blind"]
    if confirmed.fixture != "blog":
        assert blind == []
        return
    assert blind == ["digest_relation"]
    (repeat,) = confirmed.dynamic_at("planted", "digest_relation")
    assert repeat["count"] >= 2
    assert repeat["sql"].startswith("SELECT")
    assert repeat["tests"] == ["tests/test_pages.py::test_page_answers[digest_relation]"]
    assert not confirmed.dynamic_at("twin", "digest_relation")


def test_summary_names_the_counts_and_the_report(confirmed):
    counts = dict.fromkeys(("confirmed", "refuted", "static-only"), 0)
    for finding in confirmed.report["findings"]:
        counts[finding["state"]] += 1
    expected = (
        f"{counts['confirmed']} confirmed, {counts['refuted']} refuted, "
        f"{counts['static-only']} static only, {len(confirmed.report['dynamic'])} dynamic-only"
    )
    assert expected in confirmed.output
    assert "djreview-confirm.json" in confirmed.output


def test_markers_used_by_the_plugin_tests_exist():
    cases = {m.case for m in planted.markers(harness.FIXTURES_DIR / "blog")}
    assert {"digest_relation", "attached_authors"} <= cases
