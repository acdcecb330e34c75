"""Benchmark djreview against its peers on one tree: wall, CPU and peak memory, medians.

    python bench/run.py TREE [--reps 3] [--tools djreview,cached,bandit,semgrep,ruff,floor]

Every tool runs on the same tree in the same invocation, `--reps` times each
(interleaved, so a noisy minute hits every tool alike), and the table shows
medians: wall seconds, CPU seconds (user + system, children included), peak
RSS of the largest process, files per second (djreview's file count), and
djreview's wall-time ratio to each row. Peers are found on PATH or next to
this Python; a missing one is left out and said so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEMGREP_RULES = Path(os.environ.get("SEMGREP_RULES", "/work/ext/semgrep-rules/python"))


@dataclass
class Sample:
    """One timed run."""

    wall: float
    cpu: float
    rss_mib: float
    code: int


@dataclass
class Row:
    """A tool's command and its samples."""

    name: str
    command: list[str]
    samples: list[Sample] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        """The median of one measure over the samples."""
        return statistics.median(getattr(sample, attribute) for sample in self.samples)


def timed(command: list[str], cwd: Path) -> Sample:
    """Run `command`, output discarded; measure it with wait4's rusage."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode not in (0, 1):
        print(f"  ! {command[0]} exited {process.returncode}: {stderr[-300:]}", file=sys.stderr)
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode)


def tool(name: str) -> str | None:
    """A peer's executable: next to this Python first, then on PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def rows_for(tree: Path, wanted: list[str], cache: Path) -> list[Row]:
    """The commands to time, for the tools asked for and found."""
    python = sys.executable
    djreview = [python, "-m", "djreview", "check", str(tree), "-q", "--fail-on", "never"]
    candidates: dict[str, list[str] | None] = {
        "djreview": [*djreview, "--no-cache"],
        "djreview-j1": [*djreview, "--no-cache", "-j", "1"],
        "cached": [*djreview, "--cache-dir", str(cache)],
        "bandit": (
            [b, "-r", str(tree), "-q", "-f", "json", "-o", os.devnull]
            if (b := tool("bandit"))
            else None
        ),
        "semgrep": (
            [
                s,
                "scan",
                "--config",
                str(SEMGREP_RULES / "django"),
                "--config",
                str(SEMGREP_RULES / "lang" / "security"),
                "--metrics=off",
                "--disable-version-check",
                "-q",
                "--json",
                "-o",
                os.devnull,
                str(tree),
            ]
            if (s := tool("semgrep")) and SEMGREP_RULES.is_dir()
            else None
        ),
        "ruff": (
            [
                r,
                "check",
                "--select",
                "ALL",
                "--no-cache",
                "--exit-zero",
                "-q",
                "--isolated",
                str(tree),
            ]
            if (r := tool("ruff"))
            else None
        ),
        "floor": [python, str(HERE / "floor.py"), str(tree)],
    }
    rows = []
    for name in wanted:
        command = candidates.get(name)
        if command is None:
            print(f"  (left out: {name} not found)", file=sys.stderr)
            continue
        rows.append(Row(name, command))
    return rows


def file_count(tree: Path) -> int:
    """How many files djreview analyses in the tree (from its JSON report)."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "djreview",
            "check",
            str(tree),
            "--format",
            "json",
            "--fail-on",
            "never",
            "--no-cache",
            "-j",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return int(json.loads(out.stdout)["summary"]["files_scanned"])
    except (ValueError, KeyError, TypeError):
        return 0


def table(rows: list[Row], files: int) -> str:
    """The results as a Markdown table."""
    base = next((row for row in rows if row.name == "djreview"), rows[0])
    lines = [
        "| tool | wall s | CPU s | peak RSS MiB | files/s (wall) | djreview ÷ tool: wall | CPU |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        wall, cpu = row.median("wall"), row.median("cpu")
        lines.append(
            f"| {row.name} | {wall:.2f} | {cpu:.2f} | "
            f"{row.median('rss_mib'):.0f} | {files / wall:,.0f} | "
            f"{base.median('wall') / wall:.2f} | {base.median('cpu') / max(cpu, 0.01):.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Parse the arguments, run every tool --reps times, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--tools", default="djreview,djreview-j1,cached,bandit,semgrep,ruff,floor")
    args = parser.parse_args()
    tree = args.tree.resolve()
    with tempfile.TemporaryDirectory(prefix="djreview-bench-") as scratch:
        cache = Path(scratch) / "cache"
        rows = rows_for(tree, args.tools.split(","), cache)
        files = file_count(tree)
        if any(row.name == "cached" for row in rows):
            timed(rows_for(tree, ["cached"], cache)[0].command, tree)  # fill the cache
        for rep in range(args.reps):
            for row in rows:
                row.samples.append(timed(row.command, tree))
                print(f"  rep {rep + 1} {row.name}: {row.samples[-1].wall:.2f} s", file=sys.stderr)
    cores = len(os.sched_getaffinity(0))
    load = os.getloadavg()[0]
    print(
        f"\n{tree.name}: {files} files analysed by djreview, {cores} cores, "
        f"load average {load:.1f}, medians of {args.reps}\n"
    )
    print(table(rows, files))


if __name__ == "__main__":
    main()
