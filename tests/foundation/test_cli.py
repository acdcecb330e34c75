"""The command line as a user meets it: exit codes, formats, selection, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_repo

# A default-level warning (DJR323, TLS verification switched off) and its safe twin.
UNSAFE = "import requests\n\ndef f(url):\n    return requests.get(url, verify=False)\n"
SAFE = "import requests\n\ndef f(url):\n    return requests.get(url)\n"


def djreview(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "djreview", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def tree(tmp_path: Path, source: str) -> Path:
    repo = make_repo(tmp_path / "repo")
    (repo / "app").mkdir()
    (repo / "app" / "views.py").write_text(source)
    return repo


def test_findings_exit_1_and_clean_exit_0(tmp_path: Path) -> None:
    bad = djreview("check", ".", cwd=tree(tmp_path / "a", UNSAFE))
    assert bad.returncode == 1, bad.stderr
    assert "app/views.py:4:30: warning DJR323" in bad.stdout
    good = djreview("check", ".", cwd=tree(tmp_path / "b", SAFE))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Found 0 findings" in good.stdout


def test_fail_on_error_ignores_warnings(tmp_path: Path) -> None:
    result = djreview("check", ".", "--fail-on", "error", cwd=tree(tmp_path, UNSAFE))
    assert result.returncode == 0
    assert "DJR323" in result.stdout


def test_ignore_by_name_and_select_by_category(tmp_path: Path) -> None:
    repo = tree(tmp_path, UNSAFE)
    assert djreview("check", ".", "--ignore", "tls-verification-disabled", cwd=repo).returncode == 0
    assert djreview("check", ".", "--select", "security", cwd=repo).returncode == 1
    assert djreview("check", ".", "--select", "performance", cwd=repo).returncode == 0


def test_unknown_rule_is_a_usage_error_without_traceback(tmp_path: Path) -> None:
    result = djreview("check", ".", "--select", "DJR999", cwd=tree(tmp_path, UNSAFE))
    assert result.returncode == 2
    assert "unknown rule" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_config_is_a_usage_error(tmp_path: Path) -> None:
    repo = tree(tmp_path, UNSAFE)
    (repo / "pyproject.toml").write_text('[tool.djreview]\nselec = ["DJR301"]\n')
    result = djreview("check", ".", cwd=repo)
    assert result.returncode == 2
    assert "unknown [tool.djreview] keys" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('jobs = "many"', "jobs"),
        ("cache-dir = 5", "cache-dir"),
        ("per-file-timeout = []", "per-file-timeout"),
    ],
)
def test_a_bad_config_value_exits_2_with_one_line_naming_the_key(
    tmp_path: Path, line: str, key: str
) -> None:
    repo = tree(tmp_path, UNSAFE)
    (repo / "pyproject.toml").write_text(f"[tool.djreview]\n{line}\n")
    result = djreview("check", ".", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"djreview: error: [tool.djreview] {key} must be ")


def test_pyproject_severity_and_fail_on(tmp_path: Path) -> None:
    repo = tree(tmp_path, UNSAFE)
    (repo / "pyproject.toml").write_text(
        '[tool.djreview]\nfail-on = "error"\n[tool.djreview.severity]\nDJR323 = "error"\n'
    )
    result = djreview("check", ".", "--format", "json", cwd=repo)
    assert result.returncode == 1
    assert json.loads(result.stdout)["findings"][0]["severity"] == "error"


def test_paths_are_relative_to_git_top_even_for_a_subfolder(tmp_path: Path) -> None:
    repo = tree(tmp_path, UNSAFE)
    result = djreview("check", "app", "--format", "json", cwd=repo / "app" / "..")
    data = json.loads(result.stdout)
    assert data["findings"][0]["location"]["path"] == "app/views.py"
    result = djreview("check", ".", "--format", "json", cwd=repo / "app")
    assert json.loads(result.stdout)["findings"][0]["location"]["path"] == "app/views.py"


def test_output_file_and_json_shape(tmp_path: Path) -> None:
    repo = tree(tmp_path, UNSAFE)
    out = tmp_path / "report.json"
    result = djreview("check", ".", "--format", "json", "--output", str(out), cwd=repo)
    assert result.returncode == 1 and result.stdout == ""
    data = json.loads(out.read_text())
    assert data["version"] == 1
    finding = data["findings"][0]
    assert finding["rule_id"] == "DJR323"
    assert finding["location"] == {
        "path": "app/views.py",
        "start_line": 4,
        "start_column": 30,
        "end_line": 4,
        "end_column": 42,
    }
    assert len(finding["fingerprint"]) == 32


def test_rules_and_rule_commands(tmp_path: Path) -> None:
    listing = djreview("rules", cwd=tmp_path)
    assert (
        listing.returncode == 0
        and "DJR301" in listing.stdout
        and "mark-safe-on-variable" in listing.stdout
    )
    doc = djreview("rule", "DJR301", cwd=tmp_path)
    assert doc.returncode == 0
    assert "## Why is this bad?" in doc.stdout and "CWE-79" in doc.stdout
    missing = djreview("rule", "nope", cwd=tmp_path)
    assert missing.returncode == 2


def test_version(tmp_path: Path) -> None:
    result = djreview("--version", cwd=tmp_path)
    assert result.returncode == 0 and "djreview" in result.stdout


def test_gitignore_and_exclude_are_respected(tmp_path: Path) -> None:
    repo = tree(tmp_path, UNSAFE)
    (repo / "gen").mkdir()
    (repo / "gen" / "views.py").write_text(UNSAFE)
    (repo / "vendor").mkdir()
    (repo / "vendor" / "views.py").write_text(UNSAFE)
    (repo / ".venv").mkdir()
    (repo / ".venv" / "pyvenv.cfg").write_text("")
    (repo / ".venv" / "bad.py").write_text(UNSAFE)
    (repo / ".gitignore").write_text("gen/\n")
    (repo / "pyproject.toml").write_text('[tool.djreview]\nexclude = ["vendor/"]\n')
    data = json.loads(djreview("check", ".", "--format", "json", cwd=repo).stdout)
    assert {f["location"]["path"] for f in data["findings"]} == {"app/views.py"}
