"""`--diff` runs the per-file rules only where a kept finding can come from, losing nothing.

The reference is the slow way: analyse the whole project and keep the
findings touching a changed line. The focused run must report exactly that.
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import make_repo
from integrations.gitrepo import git

from djreview.checks.base import Check
from djreview.cli.main import main
from djreview.config import Config
from djreview.engine.changed_lines import diff_focus
from djreview.engine.incremental import Incremental
from djreview.engine.parallel import RuleSet
from djreview.engine.registry import load_registry
from djreview.engine.runner import load_project, rule_set, select_rules
from djreview.model import Location

ROOT = Path(__file__).resolve().parents[2]


def _report(repo: Path, *args: str) -> list[dict[str, Any]]:
    out = CliRunner().invoke(main, ["check", str(repo), "--no-cache", "--format", "json", *args])
    assert out.exit_code in (0, 1), out.output
    findings: list[dict[str, Any]] = json.loads(out.stdout)["findings"]
    return findings


def _touch(path: Path, lines: set[int]) -> bool:
    """Append a comment to each given line that can take one; whether any could."""
    text = path.read_text(encoding="utf-8")
    rows = text.split("\n")
    touched = False
    for line in sorted(lines):
        row = rows[line - 1]
        if row.rstrip().endswith("\\") or not row.strip():
            continue
        candidate = rows.copy()
        candidate[line - 1] = row + "  # touched"
        try:
            ast.parse("\n".join(candidate))
        except SyntaxError:
            continue  # inside a string or a continued line
        rows = candidate
        touched = True
    path.write_text("\n".join(rows), encoding="utf-8")
    return touched


def _places(finding: dict[str, Any]) -> list[tuple[str, int, int]]:
    places = [finding["location"], *(r["location"] for r in finding.get("related", []))]
    places += [step["location"] for step in finding.get("flow", [])]
    return [(p["path"], p["start_line"], p["end_line"]) for p in places]


@pytest.mark.parametrize("fixture", ["blog", "shop"])
def test_focused_diff_equals_the_filtered_whole_run(tmp_path: Path, fixture: str) -> None:
    repo = make_repo(tmp_path / fixture)
    shutil.copytree(ROOT / "fixtures" / fixture, repo, dirs_exist_ok=True)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    everything = _report(repo)
    # Touch the cross-file places (flow steps and related code in another file
    # than the finding), and the primary line of a few findings.
    lines: dict[str, set[int]] = {}
    for finding in everything:
        own = finding["location"]["path"]
        for path, line, _ in _places(finding)[1:]:
            if path != own and path.endswith(".py"):
                lines.setdefault(path, set()).add(line)
    for finding in everything[::9]:
        path, line, _ = _places(finding)[0]
        if path.endswith(".py"):
            lines.setdefault(path, set()).add(line)
    touched = [path for path, rows in lines.items() if _touch(repo / path, rows)]
    assert len(touched) >= 3
    whole = _report(repo)
    changed = {
        (path, line)
        for path, rows in lines.items()
        for line in rows
        if "# touched" in (repo / path).read_text().split("\n")[line - 1]
    }
    expected = [
        f
        for f in whole
        if any((path, line) in changed for path, a, b in _places(f) for line in range(a, b + 1))
    ]
    assert expected, "the edits should keep some findings"
    assert _report(repo, "--diff", "HEAD") == expected


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


FLOW = {
    "app/__init__.py": "",
    "app/pricing.py": "def price(expression):\n    return eval(expression)\n",
    "app/views.py": (
        "from app.pricing import price\n\n\n"
        "def quote(request):\n    return price(request.GET['q'])\n"
    ),
    "app/other.py": "def f(request):\n    return eval(request.GET['x'])\n",
}


def test_the_focus_adds_the_sinks_a_changed_file_feeds(tmp_path: Path) -> None:
    project = load_project([_project(tmp_path, FLOW)], Config())
    checks = rule_set(load_registry(), select_rules(load_registry(), Config())).checks
    # The request data enters in views.py and reaches eval() in pricing.py.
    assert diff_focus(project, checks, ["app/views.py"]) == {"app/views.py", "app/pricing.py"}
    assert diff_focus(project, checks, ["app/other.py", "gone.py"]) == {"app/other.py"}
    without_flows = [c for c in checks if not c.reports_flows]
    assert diff_focus(project, without_flows, ["app/views.py"]) == {"app/views.py"}


class Analysed(Check):
    """Reports each file its per-file pass ran on."""

    id = "DJR996"
    name = "test-analysed"
    message = "analysed"
    category = "performance"

    def check_file(self, file, project):
        yield self.finding(Location(file.rel, 1))


def test_per_file_rules_run_only_on_the_focus(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {"a.py": "import b\n", "b.py": "x = 1\n", "c.py": "y = 2\n"},
    )
    registry = load_registry()
    project = load_project([root], Config())
    base = rule_set(registry, select_rules(registry, Config()))
    rules = RuleSet(base.yaml_rules, (*base.checks, Analysed()))
    focus = diff_focus(project, rules.checks, ["b.py"])
    raw = Incremental(project, rules, focus=focus).analyse().raw
    assert [f.location.path for f in raw if f.rule_id == "DJR996"] == ["b.py"]
