"""One `djreview check` over a tree holding every input fault: it finishes, says what it
skipped, still finds the real defects, and leaves the tree byte for byte as it was."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from hostile import Expected, build, lock, snapshot

from djreview.source.discover import printable_path

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads((HERE.parent / "data" / "sarif-schema-2.1.0.json").read_text())
MAX = 64 * 1024
# Raw control characters other than newline and tab must never reach the output.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@pytest.fixture(scope="module")
def hostile() -> Iterator[tuple[Path, Expected, dict]]:
    # Under /tmp with mode 755, not pytest's 700 folder: the unprivileged
    # reader (see as_reader.py) must be able to reach it.
    base = Path(tempfile.mkdtemp(prefix="djreview-hostile-", dir="/tmp"))
    os.chmod(base, 0o755)
    root = base / "project"
    expected = build(root, base / "outside", MAX)
    lock(root, expected)
    before = snapshot(root)
    yield root, expected, before
    for rel in expected.unreadable:
        os.chmod(root / rel, 0o755)
    shutil.rmtree(base)


def djreview(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        str(HERE / "as_reader.py"),
        "check",
        ".",
        "--no-cache",
        "-j",
        "1",
        "--max-file-size",
        "64k",
        *args,
    ]
    return subprocess.run(
        command,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        errors="surrogateescape",
    )


def test_text_run_reports_each_fault_and_finds_the_real_defects(hostile) -> None:
    root, expected, before = hostile
    out = djreview(root)
    assert out.returncode in (0, 1), out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    assert not RAW_CONTROL.search(out.stdout.replace("\r\n", "\n"))
    notices = dict(
        line.split(": notice: ", 1) for line in out.stdout.splitlines() if ": notice: " in line
    )
    for rel, fragment in expected.notes.items():
        shown = printable_path(rel)
        assert shown in notices, f"no notification for {shown}"
        assert fragment in notices[shown], notices[shown]
    for rule, rel, line in expected.defects:
        where = f"{printable_path(rel)}:{line}:".replace("\x1b", "\\x1b").replace("\x07", "\\x07")
        assert any(x.startswith(where) and rule in x for x in out.stdout.splitlines()), where
    assert "analysis partial" in out.stdout.splitlines()[-1]
    assert snapshot(root) == before


def test_sarif_run_lists_each_fault_as_a_tool_execution_notification(hostile) -> None:
    root, expected, before = hostile
    out = djreview(root, "--format", "sarif")
    assert out.returncode in (0, 1), out.stderr
    log = json.loads(out.stdout)
    jsonschema.validate(log, SCHEMA)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    uris = {
        unquote(note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for note in invocation["toolExecutionNotifications"]
        if note.get("locations")
    }
    assert {printable_path(rel) for rel in expected.notes} <= uris
    found = {
        (
            r["ruleId"],
            unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]),
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in log["runs"][0]["results"]
    }
    assert set(expected.defects) <= found
    assert snapshot(root) == before


def test_json_run_escapes_hostile_names(hostile) -> None:
    root, expected, _ = hostile
    out = djreview(root, "--format", "json")
    assert out.returncode in (0, 1), out.stderr
    assert not RAW_CONTROL.search(out.stdout)
    paths = {
        f["path"] if "path" in f else f["location"]["path"]
        for f in json.loads(out.stdout)["findings"]
    }
    assert "app/evil\x1b[2J\x07name.py" in paths


def test_empty_tree_is_clean(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "djreview", "check", ".", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "Found 0 findings" in out.stdout and "in 0 files" in out.stdout


def test_non_django_project_is_analysed_without_notifications(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "core.py").write_text(
        "import subprocess\n\n\ndef run(cmd):\n    return subprocess.run(cmd, shell=True)\n"
    )
    (tmp_path / "setup.py").write_text("from setuptools import setup\n\nsetup(name='pkg')\n")
    out = subprocess.run(
        [sys.executable, "-m", "djreview", "check", ".", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    assert "notice" not in out.stdout and "Traceback" not in out.stderr
    assert "in 3 files" in out.stdout
