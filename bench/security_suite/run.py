"""Recall and flagged safe lines of djreview's security rules on our labelled suite, per family.

The suite (`cases/<family>/`) is written by us for this benchmark, not copied
from any peer's tests. In it, a comment `# suite: positive` (templates:
`{# suite: positive #}`) labels the next non-comment line as a defect that a
security rule should flag; `# suite: safe` labels a near miss no rule
should flag. Unlabelled lines are not scored.

    python bench/security_suite/run.py              # the default security selection
    python bench/security_suite/run.py --select security,audit
    python bench/security_suite/run.py --json OUT.json

For each family: positives flagged / labelled positives (recall), and safe
lines flagged / labelled safe lines. A labelled line counts as flagged when
a finding of the selection starts on it.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from djreview.config import Config  # noqa: E402
from djreview.engine.runner import run  # noqa: E402

LABEL_RE = re.compile(r"(?:#|\{#)\s*suite:\s*(positive|safe)\b")
SUFFIXES = (".py", ".html", ".txt")


@dataclass(frozen=True, slots=True)
class Label:
    """One labelled line: family, project-relative path, 1-based line, kind."""

    family: str
    path: str
    line: int
    kind: str


@dataclass(slots=True)
class Score:
    """One family's counts."""

    positives: int = 0
    found: int = 0
    safe: int = 0
    flagged_safe: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)


def read_labels(tree: Path) -> list[Label]:
    """Every label under `tree` (`<family>/...` folders); a label names the next code line."""
    labels = []
    for file in sorted(p for p in tree.rglob("*") if p.is_file() and p.suffix in SUFFIXES):
        rel = file.relative_to(tree).as_posix()
        lines = file.read_text(encoding="utf-8").splitlines()
        for index, text in enumerate(lines):
            match = LABEL_RE.search(text)
            if match is None:
                continue
            target = index + 1
            while target < len(lines) and _comment_only(lines[target]):
                target += 1
            if target >= len(lines):
                raise ValueError(f"{rel}:{index + 1}: a label with no line after it")
            labels.append(Label(rel.split("/", 1)[0], rel, target + 1, match.group(1)))
    return labels


def _comment_only(text: str) -> bool:
    stripped = text.strip()
    return stripped.startswith("#") or (stripped.startswith("{#") and stripped.endswith("#}"))


def score(labels: list[Label], flagged: set[tuple[str, int]]) -> dict[str, Score]:
    """Per family: labelled positives found and labelled safe lines flagged."""
    scores: dict[str, Score] = {}
    for label in labels:
        entry = scores.setdefault(label.family, Score())
        hit = (label.path, label.line) in flagged
        where = f"{label.path}:{label.line}"
        if label.kind == "positive":
            entry.positives += 1
            entry.found += hit
            if not hit:
                entry.missed.append(where)
        else:
            entry.safe += 1
            entry.flagged_safe += hit
            if hit:
                entry.false_alarms.append(where)
    return dict(sorted(scores.items()))


def flagged_lines(cases: Path, select: tuple[str, ...]) -> set[tuple[str, int]]:
    """(path, line) of every finding djreview reports on a copy of `cases`."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "suite"
        shutil.copytree(cases, tree)
        subprocess.run(["git", "init", "-q", str(tree)], check=True)
        result = run([tree], Config(select=select))
        return {(f.location.path, f.location.start_line) for f in result.findings}


def render(scores: dict[str, Score], select: tuple[str, ...]) -> str:
    """The per-family table, then the totals."""
    rows = [f"selection: {','.join(select)}", ""]
    rows.append(f"{'family':<24} {'recall':>14} {'flagged safe lines':>20}")
    total = Score()
    for family, entry in scores.items():
        rows.append(
            f"{family:<24} {_ratio(entry.found, entry.positives):>14} "
            f"{_ratio(entry.flagged_safe, entry.safe):>20}"
        )
        total.found += entry.found
        total.positives += entry.positives
        total.flagged_safe += entry.flagged_safe
        total.safe += entry.safe
    rows.append(
        f"{'all families':<24} {_ratio(total.found, total.positives):>14} "
        f"{_ratio(total.flagged_safe, total.safe):>20}"
    )
    return "\n".join(rows)


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} {100 * part / whole:3.0f}%" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    """Score the suite and print the table (and write JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=HERE / "cases")
    parser.add_argument("--select", default="security")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--verbose", action="store_true", help="list missed and flagged lines")
    args = parser.parse_args(argv)
    select = tuple(part for part in args.select.split(",") if part)
    scores = score(read_labels(args.cases), flagged_lines(args.cases, select))
    print(render(scores, select))
    if args.verbose:
        for family, entry in scores.items():
            for where in entry.missed:
                print(f"missed  {family}: {where}")
            for where in entry.false_alarms:
                print(f"flagged {family}: {where}")
    if args.json:
        data = {family: _as_dict(entry) for family, entry in scores.items()}
        args.json.write_text(json.dumps({"select": list(select), "families": data}, indent=2))
    return 0


def _as_dict(entry: Score) -> dict[str, object]:
    return {name: getattr(entry, name) for name in entry.__slots__}


if __name__ == "__main__":
    raise SystemExit(main())
