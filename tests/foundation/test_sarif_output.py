"""SARIF output: valid against the official 2.1.0 schema, levels kept, deterministic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
from helpers import make_repo

SCHEMA = json.loads((Path(__file__).parent.parent / "data" / "sarif-schema-2.1.0.json").read_text())
SOURCE = (
    "from django.utils.safestring import mark_safe\n"
    "from django.views.decorators.csrf import csrf_exempt\n\n"
    "@csrf_exempt\n"
    "def v(request):\n"
    "    request.user.email = request.POST['email']\n\n\n"
    "def badges(note, title):\n"
    "    a = mark_safe(note)  # djreview: ignore[DJR301]\n"
    "    return mark_safe(title)\n"
)


def sarif(repo: Path, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "djreview", "check", ".", "--format", "sarif", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(out.stdout)


def test_sarif_is_schema_valid_and_keeps_warning_level(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    (repo / "views.py").write_text(SOURCE)
    # DJR301 and DJR310 are audit-level: selected by id, both warnings.
    log = sarif(repo, "--select", "DJR301,DJR310")
    jsonschema.validate(log, SCHEMA)
    run = log["runs"][0]
    results = run["results"]
    assert len(results) == 3
    # sarif_om's default-dropping serializer would omit "warning": it must be there.
    assert all(result["level"] == "warning" for result in results)
    assert [r.get("suppressions", [{}])[0].get("kind") for r in results].count("inSource") == 1
    rules = run["tool"]["driver"]["rules"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": "views.py", "uriBaseId": "%SRCROOT%"}
        assert loc["region"]["startLine"] >= 4


def test_clean_run_has_empty_results_array(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    (repo / "views.py").write_text("x = 1\n")
    log = sarif(repo)
    jsonschema.validate(log, SCHEMA)
    assert log["runs"][0]["results"] == []


def test_sarif_output_is_deterministic(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    (repo / "views.py").write_text(SOURCE)
    assert sarif(repo) == sarif(repo)
