"""Helpers the tests share: run a check on a tree, parse annotated samples."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from djreview.config import Config
from djreview.engine.runner import RunResult, run

# The models of the small "library" app the speed and robustness tests build.
LIBRARY_MODELS = """from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)


class Book(models.Model):
    isbn = models.CharField(max_length=20)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
"""

MARKER_RE = re.compile(r"(?:#|\{#)\s*(ruleid|ok|todoruleid|todook):\s*([A-Z]+\d+)")


def run_tree(path: Path, **config: object) -> RunResult:
    """Analyse `path` in-process with a default config plus overrides."""
    return run([path], Config(**config))  # type: ignore[arg-type]


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative path -> text) under `root`; return `root`."""
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def make_repo(path: Path) -> Path:
    """Turn a folder into a git repository so paths are relative to it."""
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


def copy_sample(sample: Path, dest: Path) -> Path:
    """Copy a rule sample (a file or a folder) into `dest`, a fresh git repo."""
    make_repo(dest)
    if sample.is_dir():
        shutil.copytree(sample, dest, dirs_exist_ok=True)
    else:
        shutil.copy(sample, dest / sample.name)
    return dest


def expected_lines(tree: Path, rule_id: str) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(lines that must be flagged, lines that must not) from the sample's markers.

    A marker names the next non-comment line.
    """
    must, must_not = set(), set()
    for file in sorted(
        p for p in tree.rglob("*") if p.is_file() and p.suffix in (".py", ".html", ".txt")
    ):
        rel = file.relative_to(tree).as_posix()
        lines = file.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            for kind, rid in MARKER_RE.findall(line):
                if rid != rule_id:
                    continue
                target = index + 1
                while target < len(lines) and MARKER_RE.search(lines[target]):
                    target += 1
                if kind == "ruleid":
                    must.add((rel, target + 1))
                elif kind == "ok":
                    must_not.add((rel, target + 1))
    return must, must_not
