"""The fixture projects' findings match their reviewed expected.json snapshots.

Regenerate with `DJREVIEW_UPDATE_SNAPSHOTS=1 pytest tests/foundation/test_fixture_snapshots.py`
and review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_tree

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PROJECTS = sorted(p for p in FIXTURES.iterdir() if (p / "manage.py").is_file())


def snapshot(project: Path) -> list[dict[str, object]]:
    result = run_tree(project)
    prefix = f"fixtures/{project.name}/"
    return [
        {
            "rule_id": f.rule_id,
            "path": f.location.path.removeprefix(prefix),
            "line": f.location.start_line,
            "severity": f.severity.value,
            "message": f.message,
        }
        for f in result.findings
        if not f.suppressed
    ]


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_fixture_findings_match_expected(project: Path) -> None:
    expected_file = project / "expected.json"
    found = snapshot(project)
    if os.environ.get("DJREVIEW_UPDATE_SNAPSHOTS"):
        expected_file.write_text(json.dumps(found, indent=2) + "\n")
    expected = json.loads(expected_file.read_text())
    assert found == expected


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_cli_from_another_directory_exits_1_on_a_fixture(project: Path, tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "djreview", "check", str(project)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
