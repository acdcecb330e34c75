"""A request-data finding in SARIF: codeFlows from the flow, GitHub's security metadata."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from helpers import make_repo, run_tree

from djreview.report.sarif import build_log

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"

VIEWS = """\
from django.db import connection

from .queries import run_search


def search(request):
    term = request.GET["q"]
    return run_search(term)
"""
QUERIES = """\
from django.db import connection


def run_search(term):
    connection.cursor().execute(f"SELECT * FROM t WHERE a = '{term}'")
"""


def test_taint_finding_becomes_a_code_flow_with_security_metadata(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "project")
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "views.py").write_text(VIEWS)
    (root / "app" / "queries.py").write_text(QUERIES)
    result = run_tree(root, select=("DJR302",))
    log = build_log(result.findings, result.rules, result.notifications, root)
    jsonschema.validate(log, json.loads(SCHEMA.read_text()))
    run = log["runs"][0]
    (rule,) = [r for r in run["tool"]["driver"]["rules"] if r["id"] == "DJR302"]
    assert rule["properties"]["security-severity"] == "9.1"
    assert "external/cwe/cwe-89" in rule["properties"]["tags"]
    assert rule["properties"]["precision"] == "high"
    (finding,) = run["results"]
    steps = finding["codeFlows"][0]["threadFlows"][0]["locations"]
    uris = [s["location"]["physicalLocation"]["artifactLocation"]["uri"] for s in steps]
    assert uris[0] == "app/views.py" and uris[-1] == "app/queries.py"
    assert steps[0]["location"]["message"]["text"].startswith("`request.GET`")
    assert steps[-1]["location"]["message"]["text"] == "reaches `execute()`"
