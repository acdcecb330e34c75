"""Measure fixture projects with real Django, in a subprocess per fixture.

Each fixture declares its cases in ``runtime_cases.py`` (see the blog
fixture's docstring). The functions here take a fixture directory, so a later
test can point them at a fixed copy of a fixture and re-measure:

- ``measure(fixture_dir, case) -> (queries_at_small_n, queries_at_large_n)``
- ``explain(fixture_dir, case) -> SQLite EXPLAIN QUERY PLAN text``
- ``run(fixture_dir, measure=None, explain=None)`` does many cases in one
  subprocess (``None`` means all cases, ``[]`` none).
- ``copy_fixture(fixture_dir, destination)`` copies a fixture to fix it there;
  ``manage(fixture_dir, *args)`` runs ``manage.py`` on a temporary copy (or in
  place with ``in_place=True``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

RUNNER = Path(__file__).with_name("runner.py")
REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES_DIR = REPO_ROOT / "fixtures"
FIXTURE_NAMES = ("blog", "shop", "graphql")

_INDEX_SEARCH = re.compile(r"\bSEARCH \S+ USING (?:COVERING )?(?:INDEX|INTEGER PRIMARY KEY)\b")
_FULL_SCAN = re.compile(r"\bSCAN \S+(?! USING)(?:\s|$)")


class HarnessError(RuntimeError):
    """The runner subprocess failed or a case raised inside it."""


@dataclass(frozen=True, slots=True)
class Measurement:
    """Query counts of one N+1 case at each fixture size."""

    sizes: tuple[int, ...]
    counts: tuple[int, ...]

    @property
    def grows(self) -> bool:
        """True when the largest size issues more queries than the smallest."""
        return self.counts[-1] > self.counts[0]

    @property
    def constant(self) -> bool:
        """True when every size issues the same number of queries."""
        return len(set(self.counts)) == 1


def load_cases(fixture_dir: Path) -> ModuleType:
    """Import a fixture's ``runtime_cases.py`` without setting Django up."""
    path = Path(fixture_dir) / "runtime_cases.py"
    spec = importlib.util.spec_from_file_location(f"runtime_cases_{abs(hash(path))}", path)
    if spec is None or spec.loader is None:
        raise HarnessError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(
    fixture_dir: Path,
    measure: list[str] | None = None,
    explain: list[str] | None = None,
    database: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run the named cases of one fixture in a single subprocess; return raw JSON.

    `database` is a Django DATABASES entry to use instead of the fixture's
    SQLite file (the index proofs pass a throw-away PostgreSQL server's).
    """
    request = json.dumps({"measure": measure, "explain": explain, "database": database})
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run(
        [sys.executable, str(RUNNER), str(Path(fixture_dir).resolve()), request],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    if completed.returncode != 0:
        raise HarnessError(f"runner failed on {fixture_dir}:\n{completed.stderr}")
    return json.loads(completed.stdout)


def to_measurement(case: str, raw: dict[str, Any]) -> Measurement:
    """Turn one runner result into a Measurement, raising on errors or non-200s."""
    if "error" in raw:
        raise HarnessError(f"{case} raised:\n{raw['error']}")
    if any(status != 200 for status in raw["status"]):
        raise HarnessError(f"{case} answered HTTP {raw['status']}")
    return Measurement(tuple(raw["sizes"]), tuple(raw["counts"]))


def to_plan(case: str, raw: dict[str, Any]) -> str:
    """Return the plan text of one runner result, raising on errors."""
    if "error" in raw:
        raise HarnessError(f"{case} raised:\n{raw['error']}")
    return str(raw["plan"])


def measure(fixture_dir: Path, case: str) -> tuple[int, int]:
    """Query counts of one N+1 case at the smallest and largest fixture size."""
    result = to_measurement(case, run(fixture_dir, measure=[case], explain=[])["measure"][case])
    return result.counts[0], result.counts[-1]


def explain(fixture_dir: Path, case: str) -> str:
    """SQLite's EXPLAIN QUERY PLAN for one index case."""
    return to_plan(case, run(fixture_dir, measure=[], explain=[case])["explain"][case])


def plan_uses_index(plan: str) -> bool:
    """True when the plan searches the table through an index or the rowid."""
    return bool(_INDEX_SEARCH.search(plan))


_MAIN_TABLE = re.compile(r'\bFROM "(\w+)"')


def main_table(sql: str) -> str:
    """The table a case's query reads first (its FROM clause)."""
    found = _MAIN_TABLE.search(sql)
    if found is None:
        raise HarnessError(f"no table in {sql!r}")
    return found.group(1)


def pg_plan_uses_index(plan: str, table: str) -> bool:
    """True when a PostgreSQL plan reads `table` through one of its indexes."""
    return bool(
        re.search(rf"\b(?:Index Scan|Index Only Scan)(?: Backward)? using \S+ on {table}\b", plan)
        or re.search(rf"\bBitmap Heap Scan on {table}\b", plan)
    )


def pg_plan_cost(plan: str) -> float:
    """The planner's total cost estimate of a PostgreSQL plan (its top node)."""
    found = re.search(r"cost=[\d.]+\.\.([\d.]+)", plan)
    if found is None:
        raise HarnessError(f"no cost in plan {plan!r}")
    return float(found.group(1))


def pg_plan_scans(plan: str, table: str) -> bool:
    """True when a PostgreSQL plan reads all of `table` sequentially."""
    return bool(re.search(rf"\bSeq Scan on {table}\b", plan))


def plan_scans(plan: str) -> bool:
    """True when the plan reads the whole table or sorts in a temporary B-tree."""
    return bool(_FULL_SCAN.search(plan)) or "USE TEMP B-TREE" in plan


def copy_fixture(fixture_dir: Path, destination: Path) -> Path:
    """Copy a fixture (without caches or databases) to ``destination/<name>``."""
    copy = Path(destination) / Path(fixture_dir).name
    shutil.copytree(fixture_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    return copy


def manage(
    fixture_dir: Path, *args: str, in_place: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py`` with the fixture's default settings.

    By default on a temporary copy, so the fixture tree stays untouched; pass
    ``in_place=True`` for commands meant to change it (``makemigrations`` on a copy).
    """
    if in_place:
        return _manage(Path(fixture_dir), args)
    with tempfile.TemporaryDirectory() as tmp:
        return _manage(copy_fixture(fixture_dir, Path(tmp)), args)


def _manage(directory: Path, args: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=directory,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
