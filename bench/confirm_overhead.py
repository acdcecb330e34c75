"""Wall-time overhead of the confirmation plugin on the fixture projects' own test suites.

    python bench/confirm_overhead.py [--runs 5] [--warmup 1] [fixture ...]

Copies each fixture project (default: blog and shop) to a temporary folder
outside any repository, then runs its pytest-django suite with
``python -m pytest -q -p no:cacheprovider`` and with ``--djreview`` added,
interleaved (plain, plugin, plain, plugin, ...) so that load on the machine
falls on both sides alike. Prints every wall time, the medians and their
ratio. The warm-up runs (one plugin run per fixture by default, not counted)
fill djreview's result cache for the copy, as a developer's second run would
find it. Nothing is fetched; the only files written are the copies (removed
at the end) and djreview's cache entries.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PLAIN = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def copy_fixture(name: str, destination: Path) -> Path:
    """A clean copy of one fixture project (no caches, no databases)."""
    copy = destination / name
    shutil.copytree(
        FIXTURES / name,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3", ".pytest_cache"),
    )
    return copy


def timed_run(copy: Path, plugin: bool) -> float:
    """Seconds of wall time for one pytest run of the copy; exits on a failing suite."""
    command = [*PLAIN, "--djreview"] if plugin else PLAIN
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    environment.pop("PYTEST_ADDOPTS", None)
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=copy, env=environment, capture_output=True, text=True, check=False
    )
    spent = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{copy.name}: pytest exited {done.returncode}\n{done.stdout}{done.stderr}")
    return spent


def measure(copy: Path, runs: int, warmup: int) -> tuple[list[float], list[float]]:
    """Interleaved plain and plugin wall times of one copy."""
    for _ in range(warmup):
        timed_run(copy, plugin=True)
    plain: list[float] = []
    plugin: list[float] = []
    for _ in range(runs):
        plain.append(timed_run(copy, plugin=False))
        plugin.append(timed_run(copy, plugin=True))
    return plain, plugin


def main() -> None:
    """Measure and print the overhead for each fixture named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixtures", nargs="*", default=["blog", "shop"])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per side (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted plugin runs first")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="djreview-confirm-bench-") as folder:
        for name in options.fixtures:
            copy = copy_fixture(name, Path(folder))
            plain, plugin = measure(copy, options.runs, options.warmup)
            before, after = statistics.median(plain), statistics.median(plugin)
            print(f"{name}: plain   " + " ".join(f"{t:.2f}" for t in plain))
            print(f"{name}: plugin  " + " ".join(f"{t:.2f}" for t in plugin))
            print(
                f"{name}: median plain {before:.2f} s, plugin {after:.2f} s, "
                f"ratio {after / before:.3f} ({(after / before - 1) * 100:+.1f}%)"
            )


if __name__ == "__main__":
    main()
