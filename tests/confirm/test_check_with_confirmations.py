"""`djreview check` reading the plugin's report: states, dynamic-only findings, SARIF rank."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .plugin_run import copy_fixture, run_plugin


def _check(copy, *extra):
    done = subprocess.run(
        [sys.executable, "-m", "djreview", "check", ".", "--no-cache", *extra],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def tested_blog(tmp_path_factory):
    copy = copy_fixture("blog", tmp_path_factory.mktemp("checked"))
    run = run_plugin(copy, "--djreview")
    assert run.returncode == 0, run.output
    return copy, run


def _by_state(findings):
    states = {}
    for finding in findings:
        state = finding["properties"].get("confirmation")
        states.setdefault(state, []).append(finding)
    return states


def test_the_report_beside_the_project_annotates_every_n_plus_one_finding(tested_blog):
    copy, run = tested_blog
    findings = json.loads(_check(copy, "--format", "json", "--select", "performance"))["findings"]
    states = _by_state(findings)
    recorded = {f["fingerprint"]: f["state"] for f in run.report["findings"]}
    for finding in findings:
        if finding["rule_id"] != "DJR140":
            assert finding["properties"]["confirmation"] == recorded[finding["fingerprint"]]
    (refuted,) = states["refuted"]
    assert refuted["location"]["path"] == "blog/digest.py"
    assert refuted["properties"]["rows"] == "3"
    dynamic = {(f["location"]["path"], f["location"]["start_line"]) for f in states["dynamic-only"]}
    assert ("blog/digest.py", 17) in dynamic
    assert all(f["rule_id"] == "DJR140" for f in states["dynamic-only"])


def test_confirmed_only_keeps_what_the_tests_saw(tested_blog):
    copy, _ = tested_blog
    report = json.loads(
        _check(copy, "--format", "json", "--select", "performance", "--confirmed-only")
    )
    states = {f["properties"]["confirmation"] for f in report["findings"]}
    assert states == {"confirmed", "dynamic-only"}


def test_text_report_says_what_the_tests_showed(tested_blog):
    copy, _ = tested_blog
    text = _check(copy, "--select", "performance")
    assert "    tests: confirmed by tests/test_pages.py::test_page_answers[author_loop]" in text
    assert (
        "    tests: refuted by tests/test_pages.py::test_page_answers[attached_authors_twin]"
        in text
    )
    assert "refuted, 0 static only, 2 dynamic-only." in text.splitlines()[-1]


def test_sarif_ranks_confirmed_findings_first_and_stays_valid(tested_blog, sarif_session):
    copy, _ = tested_blog
    text = _check(copy, "--format", "sarif", "--select", "performance")
    # The schema now, Microsoft's Multitool once at the end of the session.
    sarif_session.expect("confirmations", text)
    log = json.loads(text)
    ranks = {}
    for result in log["runs"][0]["results"]:
        ranks.setdefault(result["properties"]["confirmation"], set()).add(result["rank"])
    assert ranks == {"confirmed": {90.0}, "refuted": {10.0}, "dynamic-only": {80.0}}
    rule_ids = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert "DJR140" in rule_ids


def test_a_broken_report_is_a_notice_and_the_run_goes_on(tmp_path):
    copy = copy_fixture("blog", tmp_path)
    (copy / "djreview-confirm.json").write_text("{not json")
    text = _check(copy, "--select", "DJR101")
    assert "djreview-confirm.json: notice:" in text
    assert "DJR101" in text


def test_after_djreview_fix_the_confirming_test_shows_no_repeat(tmp_path):
    copy = copy_fixture("blog", tmp_path)
    test = "tests/test_pages.py::test_page_answers[author_loop]"
    before = run_plugin(copy, "--djreview", test)
    assert before.finding_states("planted", "author_loop") == ["confirmed"]
    fixed = subprocess.run(
        [sys.executable, "-m", "djreview", "fix", ".", "--select", "DJR101", "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert fixed.returncode == 0, fixed.stderr
    after = run_plugin(copy, "--djreview", test)
    assert after.returncode == 0, after.output
    assert after.finding_states("planted", "author_loop") == []
    assert not after.dynamic_at("planted", "author_loop")
