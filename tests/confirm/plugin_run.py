"""Run a fixture project's own pytest-django suite with the djreview plugin, on a copy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.runtime import harness, planted


@dataclass(frozen=True)
class PluginRun:
    """One `pytest --djreview` run of a fixture copy."""

    fixture: str
    copy: Path
    returncode: int
    output: str
    report: dict[str, Any]

    def finding_states(self, role: str, case: str) -> list[str]:
        """The states of the findings at the lines a fixture marker points at.

        A finding counts when the marker points at its own line or at one of its
        related places (a GraphQL marker names the list field, the finding the resolver).
        """
        spans = _marked_lines(self.copy, role, case)
        exact = _marked_lines(self.copy, role, case, reach=2)
        places = _static_places(self.copy)
        return [
            f["state"]
            for f in self.report["findings"]
            if (f["path"], f["line"]) in spans or places.get(f["fingerprint"], set()) & exact
        ]

    def dynamic_at(self, role: str, case: str) -> list[dict[str, Any]]:
        """The dynamic-only repeats reported at a marker's lines."""
        spans = _marked_lines(self.copy, role, case)
        return [d for d in self.report["dynamic"] if (d["path"], d["line"]) in spans]


def _marked_lines(copy: Path, role: str, case: str, reach: int = 3) -> set[tuple[str, int]]:
    lines: set[tuple[str, int]] = set()
    for marker in planted.markers(copy):
        if marker.role == role and marker.case == case:
            lines |= {(marker.path, marker.line + offset) for offset in range(0, reach)}
    return lines


def copy_fixture(fixture: str, destination: Path) -> Path:
    """A clean copy of a fixture (no caches, no databases) outside any git repository."""
    copy = destination / fixture
    shutil.copytree(
        harness.FIXTURES_DIR / fixture,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3", ".pytest_cache"),
    )
    return copy


def run_plugin(copy: Path, *extra: str, env: dict[str, str] | None = None) -> PluginRun:
    """`python -m pytest --djreview` in the copy; the report parsed when written."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra]
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    environment.pop("PYTEST_ADDOPTS", None)
    environment.pop("PYTEST_XDIST_WORKER", None)
    done = subprocess.run(
        command,
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report_path = copy / "djreview-confirm.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    return PluginRun(copy.name, copy, done.returncode, done.stdout + done.stderr, report)


def _static_places(copy: Path) -> dict[str, set[tuple[str, int]]]:
    """Each static N+1 finding's related places, by fingerprint (djreview's own JSON)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "djreview",
            "check",
            ".",
            "--format",
            "json",
            "--select",
            "performance",
            "--ignore",
            "DJR140",
            "--fail-on",
            "never",
            "--no-cache",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    places: dict[str, set[tuple[str, int]]] = {}
    for finding in json.loads(done.stdout)["findings"]:
        places[finding["fingerprint"]] = {
            (related["location"]["path"], related["location"]["start_line"])
            for related in finding["related"]
        }
    return places
