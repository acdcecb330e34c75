"""What a new user meets first: exit codes, the project cache, selection by tag, the summary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_repo

from djreview.engine.cache.store import Store
from djreview.report.text import shorten

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# A default-level warning (DJR323, TLS verification switched off) and its safe twin.
UNSAFE = "import requests\n\ndef f(url):\n    return requests.get(url, verify=False)\n"


def djreview(
    *args: str, cwd: Path, project_cache: bool = False
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if project_cache:
        # The suite points every cache at a temporary folder; here the default counts.
        env.pop("DJREVIEW_CACHE_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "djreview", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def _tree(tmp_path: Path, name: str = "repo") -> Path:
    repo = make_repo(tmp_path / name)
    (repo / "app").mkdir()
    (repo / "app" / "views.py").write_text(UNSAFE)
    return repo


def test_a_missing_path_exits_2_with_one_line(tmp_path):
    done = djreview("check", "does/not/exist", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "djreview: error: no such file or folder: does/not/exist\n"
    assert done.stdout == ""


def test_an_empty_tree_exits_0_and_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    done = djreview("check", "empty", cwd=tmp_path)
    assert done.returncode == 0
    assert "no Python or template files found under empty" in done.stderr


def test_findings_exit_1_and_fail_on_never_exits_0(tmp_path):
    repo = _tree(tmp_path)
    assert djreview("check", ".", cwd=repo).returncode == 1
    assert djreview("check", ".", "--fail-on", "never", cwd=repo).returncode == 0


def test_one_file_is_one_file(tmp_path):
    done = djreview("check", ".", cwd=_tree(tmp_path))
    assert "in 1 file." in done.stdout
    assert "1 files" not in done.stdout


def test_the_cache_lives_in_the_project_root_and_is_never_committed(tmp_path):
    repo = _tree(tmp_path)
    done = djreview("check", ".", cwd=repo, project_cache=True)
    assert done.returncode == 1, done.stderr
    cache = repo / ".djreview_cache"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert "cache directory tag" in (cache / "CACHEDIR.TAG").read_text()
    assert Store(cache).entries()
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    assert ".djreview_cache" not in status.stdout


def test_a_run_never_leaves_the_cache_past_its_bound(tmp_path):
    copies = [shutil.copytree(FIXTURES / name, tmp_path / name) for name in ("blog", "shop")]
    unbounded = tmp_path / "unbounded"
    for copy in copies:
        djreview("check", ".", "--cache-dir", str(unbounded), cwd=copy)
    biggest = max(size for _, size, _ in Store(unbounded).entries())
    # Below what the two runs need, above what one entry needs: the bound must bite.
    bound = max(int(Store(unbounded).size() * 0.7), biggest * 2)
    assert bound < Store(unbounded).size()
    cache = tmp_path / "cache"
    for copy in copies:
        (copy / "pyproject.toml").write_text(f"[tool.djreview]\ncache-max-size = {bound}\n")
        done = djreview("check", ".", "--cache-dir", str(cache), cwd=copy)
        assert done.returncode == 1, done.stderr
        assert 0 < Store(cache).size() <= bound


def test_eviction_removes_the_least_recently_used_entries_first(tmp_path):
    store = Store(tmp_path / "cache")
    for number in range(10):
        store.put(f"{number:02}key", {"payload": "x" * 1000})
        os.utime(store.path(f"{number:02}key"), (1_000_000 + number, 1_000_000 + number))
    store.get("00key")  # used now: the newest
    removed = store.evict(store.size() // 2)
    assert removed >= 5
    assert store.get("00key") is not None
    assert store.get("01key") is None
    assert store.size() <= 0.8 * 10 * 1100


def test_djreview_clean_empties_the_cache(tmp_path):
    repo = _tree(tmp_path)
    djreview("check", ".", cwd=repo, project_cache=True)
    assert (repo / ".djreview_cache").is_dir()
    done = djreview("clean", ".", cwd=repo, project_cache=True)
    assert done.returncode == 0, done.stderr
    assert "removed" in done.stdout
    assert not (repo / ".djreview_cache").exists()
    assert "no cache at" in djreview("clean", ".", cwd=repo, project_cache=True).stdout


def test_djreview_clean_refuses_a_folder_that_is_no_cache(tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    done = djreview("clean", ".", "--cache-dir", str(precious), cwd=_tree(tmp_path))
    assert done.returncode == 2
    assert (precious / "notes.txt").exists()


def test_a_committed_cache_is_not_used(tmp_path):
    repo = _tree(tmp_path)
    djreview("check", ".", cwd=repo, project_cache=True)
    subprocess.run(["git", "add", "-f", ".djreview_cache"], cwd=repo, check=True)
    done = djreview("check", ".", cwd=repo, project_cache=True)
    assert "cache not used: git tracks files in it" in done.stdout
    assert "DJR323" in done.stdout


@pytest.mark.parametrize(
    ("tag", "prefix"), [("n-plus-one", "DJR1"), ("missing-index", "DJR2"), ("security", "DJR")]
)
def test_select_by_tag(tag, prefix):
    done = djreview(
        "check", "fixtures/blog", "--select", tag, "--format", "json", cwd=FIXTURES.parent
    )
    assert done.returncode == 1, done.stderr
    rules = {finding["rule_id"] for finding in json.loads(done.stdout)["findings"]}
    assert rules and all(rule.startswith(prefix) for rule in rules)
    if tag == "security":
        assert all(not rule.startswith(("DJR1", "DJR2")) for rule in rules)


def test_audit_and_all_switch_on_rules_that_are_off_by_default():
    listed = djreview("rules", "--format", "json", cwd=FIXTURES.parent)
    rules = json.loads(listed.stdout)
    off = {rule["id"] for rule in rules if not rule["enabled"]}
    audit = {rule["id"] for rule in rules if "audit" in rule["tags"]}
    assert off and audit <= off
    done = djreview("check", "fixtures/blog", "--select", "audit", "-v", cwd=FIXTURES.parent)
    assert f"{len(audit)} rules" in done.stderr
    everything = djreview("check", "fixtures/blog", "--select", "all", "-v", cwd=FIXTURES.parent)
    assert f"{len(rules)} rules" in everything.stderr


def test_an_unknown_tag_exits_2():
    done = djreview("check", "fixtures/blog", "--select", "n-plus-two", cwd=FIXTURES.parent)
    assert done.returncode == 2
    assert "unknown rule, name, category or tag: 'n-plus-two'" in done.stderr


def test_rules_lists_tags():
    done = djreview("rules", cwd=FIXTURES.parent)
    line = next(row for row in done.stdout.splitlines() if row.startswith("DJR101"))
    assert line.rstrip().endswith("performance, n-plus-one")


def test_the_report_closes_with_a_summary_per_rule():
    done = djreview("check", "fixtures/blog", cwd=FIXTURES.parent)
    lines = done.stdout.splitlines()
    start = lines.index("Findings per rule:")
    rows = lines[start + 1 : lines.index("", start)]
    counted = sum(int(row.split()[0]) for row in rows)
    assert f"Found {counted} findings" in lines[-1]
    assert any("DJR101  related-access-in-loop (" in row and "fixable)" in row for row in rows)
    statistics = djreview("check", "fixtures/blog", "--statistics", cwd=FIXTURES.parent)
    assert statistics.stdout.splitlines()[0] == "Findings per rule:"
    assert statistics.stdout.splitlines()[1:] == lines[start + 1 :]


def test_long_fix_descriptions_are_shortened():
    short = "add select_related('author') to the queryset at views.py:12"
    assert shorten(short) == short
    long = "add " + ", ".join(f'"field_{n}"' for n in range(60)) + " to the queryset"
    cut = shorten(long)
    assert len(cut) <= 160
    assert cut.endswith("(djreview fix --dry-run shows all)")
