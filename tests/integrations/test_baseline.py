"""Baselines: known findings stop failing the build; new ones, even look-alikes, still do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import make_repo

from djreview.cli.main import main
from djreview.engine.baseline import BaselineError, load

HEADER = "from django.utils.safestring import mark_safe\n\n\n"
VIEW = "def banner(request):\n    return mark_safe(request.GET['b'])\n"


def djreview(repo: Path, *args: str) -> Result:
    """`djreview check` in-process, from `repo`, on the one rule the tests plant."""
    return CliRunner().invoke(main, ["check", ".", "--select", "DJR311", *args])


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = make_repo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    (repo / "views.py").write_text(HEADER + VIEW)
    written = djreview(repo, "--write-baseline", "baseline.json")
    # Writing a baseline accepts every finding: the run passes.
    assert written.exit_code == 0, written.output
    return repo


def sarif_states(repo: Path) -> list[tuple[str, int, str]]:
    out = djreview(repo, "--baseline", "baseline.json", "--format", "sarif")
    return [
        (
            result["ruleId"],
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
            result["baselineState"],
        )
        for result in json.loads(out.stdout)["runs"][0]["results"]
    ]


def test_written_baseline_lists_the_findings(repo: Path) -> None:
    data = json.loads((repo / "baseline.json").read_text())
    assert [(e["rule_id"], e["path"]) for e in data["findings"]] == [("DJR311", "views.py")]
    assert load(repo / "baseline.json").fingerprints == {data["findings"][0]["fingerprint"]}


def test_without_the_baseline_the_finding_fails_the_run(repo: Path) -> None:
    assert djreview(repo).exit_code == 1


def test_known_finding_does_not_count(repo: Path) -> None:
    out = djreview(repo, "--baseline", "baseline.json")
    assert out.exit_code == 0, out.stdout
    assert "Found 0 findings" in out.stdout
    assert "1 known findings not reported (baseline)" in out.stderr


def test_known_finding_survives_a_line_shift(repo: Path) -> None:
    (repo / "views.py").write_text(HEADER + "X = 1\nY = 2\n\n\n" + VIEW)
    assert djreview(repo, "--baseline", "baseline.json").exit_code == 0
    assert sarif_states(repo) == [("DJR311", 9, "unchanged")]


def test_new_finding_of_a_baselined_rule_in_the_same_function_is_reported(repo: Path) -> None:
    # The same rule, the same function, the same code: one known finding must
    # not hide the second one.
    (repo / "views.py").write_text(
        HEADER
        + "def banner(request):\n"
        + "    return mark_safe(request.GET['b'])\n"
        + "    return mark_safe(request.GET['b'])\n"
    )
    out = djreview(repo, "--baseline", "baseline.json", "--format", "json")
    assert out.exit_code == 1
    assert [f["location"]["start_line"] for f in json.loads(out.stdout)["findings"]] == [6]
    assert sarif_states(repo) == [("DJR311", 5, "unchanged"), ("DJR311", 6, "new")]


def test_different_new_finding_of_the_same_rule_is_reported(repo: Path) -> None:
    (repo / "views.py").write_text(HEADER + VIEW + "    return mark_safe(request.GET['other'])\n")
    out = djreview(repo, "--baseline", "baseline.json", "--format", "github")
    assert out.exit_code == 1
    assert out.stdout.count("title=DJR311") == 1 and "line=6" in out.stdout


def test_fixed_finding_leaves_nothing_behind(repo: Path) -> None:
    (repo / "views.py").write_text(HEADER + "def banner(request):\n    return 'b'\n")
    assert djreview(repo, "--baseline", "baseline.json").exit_code == 0
    assert sarif_states(repo) == []


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (None, "cannot read"),
        ("{", "not JSON"),
        ('{"version": 9, "findings": []}', "not a djreview"),
    ],
)
def test_a_bad_baseline_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None, error: str
) -> None:
    repo = make_repo(tmp_path / "r")
    monkeypatch.chdir(repo)
    (repo / "views.py").write_text("x = 1\n")
    if content is not None:
        (repo / "baseline.json").write_text(content)
    out = djreview(repo, "--baseline", "baseline.json")
    assert out.exit_code == 2
    assert error in out.stderr
    assert isinstance(out.exception, SystemExit)  # a message, not a traceback


def test_load_rejects_entries_without_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text('{"version": 1, "findings": [{"rule_id": "DJR311"}]}')
    with pytest.raises(BaselineError, match="fingerprint"):
        load(path)
