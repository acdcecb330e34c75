"""Changed-lines mode (`--diff REF`): report only what a change touched.

The whole project is still discovered, parsed and indexed (an N+1 needs the
model in another file), and the whole-project rules see all of it; the
per-file rules run only where a kept finding can come from (`diff_focus`
below), then the report is filtered. A finding is kept when
any line of its primary location, of a related location or of a flow step was
added or changed since REF. So when a pull request edits the queryset of an
N+1 but not the loop that iterates it, the finding (anchored on the loop) is
still reported: the change is part of the chain that causes it.

Lines come from `git diff -U0 REF` (REF against the working tree, staged and
unstaged edits included; `origin/main...HEAD` diffs from the merge base).
Untracked files count as wholly changed, except inside a pre-commit hook
(pre-commit sets PRE_COMMIT=1), where they are not part of the commit being
checked; before the first commit, `HEAD` means the empty tree. A pure deletion marks the lines on
both sides of it, since a finding spanning them may be what it changed.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from djreview.checks.base import Check
from djreview.model import Finding, Location
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis

_HUNK_RE = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
# Every line of an untracked file counts; no file has this many lines.
_WHOLE_FILE = range(1, 1 << 31)
# git's well-known id of the empty tree.
_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


class DiffError(Exception):
    """git could not produce the diff (not a repository, unknown ref)."""


@dataclass(frozen=True)
class ChangedLines:
    """The changed lines of each file, by path relative to the git top level."""

    lines: dict[str, tuple[range, ...]]

    def touches(self, location: Location) -> bool:
        """Whether any line of `location` was added or changed."""
        span = range(location.start_line, location.end_line + 1)
        return any(
            span.start < changed.stop and changed.start < span.stop
            for changed in self.lines.get(location.path, ())
        )

    def keeps(self, finding: Finding) -> bool:
        """Whether the change touched the finding's location, related code or flow."""
        places = [
            finding.location,
            *(related.location for related in finding.related),
            *(step.location for step in finding.flow),
        ]
        return any(self.touches(location) for location in places)

    def filter(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings the change touched."""
        return [finding for finding in findings if self.keeps(finding)]


def parse_diff(text: str) -> dict[str, list[range]]:
    """Changed line ranges per new-side path from `git diff -U0 --no-prefix` output."""
    changed: dict[str, list[range]] = {}
    path: str | None = None
    for line in text.splitlines():
        if line.startswith("+++ "):
            target = line[4:]
            path = None if target == "/dev/null" else _unquote(target)
            continue
        match = _HUNK_RE.match(line)
        if match is None or path is None:
            continue
        start = int(match.group(1))
        count = 1 if match.group(2) is None else int(match.group(2))
        if count == 0:
            # Deletion after line `start`: mark the lines around the gap.
            changed.setdefault(path, []).append(range(max(start, 1), start + 2))
        else:
            changed.setdefault(path, []).append(range(start, start + count))
    return changed


def _unquote(path: str) -> str:
    """git quotes unusual paths C-style ("a\\tb.py"); undo it."""
    if len(path) >= 2 and path[0] == path[-1] == '"':
        raw = path[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
        return raw.encode("latin-1").decode("utf-8", "replace")
    return path


def _git(root: Path, *args: str) -> str:
    try:
        out = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=120
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise DiffError(f"cannot run git: {exc}") from exc
    if out.returncode != 0:
        raise DiffError(out.stderr.strip() or f"git {' '.join(args)} failed")
    return out.stdout


def _has_commits(root: Path) -> bool:
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    except DiffError:
        return False
    return True


def changed_lines(root: Path, ref: str) -> ChangedLines:
    """The lines added or changed in the git repository at `root` since `ref`."""
    if ref.startswith("-"):
        raise DiffError(f"--diff takes a git revision, not an option: {ref!r}")
    if ref == "HEAD" and not _has_commits(root):
        # Before the first commit (a pre-commit hook in a new repository)
        # everything is new: diff against the empty tree.
        ref = _EMPTY_TREE
    diff = _git(
        root,
        "-c",
        "core.quotePath=false",
        "diff",
        "-U0",
        "--no-color",
        "--no-ext-diff",
        "--no-prefix",
        ref,
        "--",
    )
    changed = parse_diff(diff)
    if os.environ.get("PRE_COMMIT") != "1":
        untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard")
        for path in filter(None, untracked.split("\0")):
            changed[path] = [_WHOLE_FILE]
    return ChangedLines({path: tuple(ranges) for path, ranges in changed.items()})


def diff_focus(project: Project, checks: Iterable[Check], changed: Iterable[str]) -> frozenset[str]:
    """The project files (relative paths) whose per-file findings a change can keep.

    `--diff` keeps a finding when its location, a related location or a flow
    step is on a changed line. A per-file rule reports on its own file, so its
    findings in an unchanged file are all dropped, with one exception: a flow of
    request data (`Check.reports_flows`) may start or pass through a changed
    file and end at a sink in an unchanged one. So the per-file rules run on the
    changed files, plus, when a flow-reporting rule is selected, the sink files
    of flows with a step in a changed file; the project model and the whole-
    project rules (N+1, indexes, settings) still see the whole tree. The result
    equals analysing everything and filtering (tested on the fixtures).
    """
    focus = {rel for rel in changed if rel in project.by_rel}
    if not focus or not any(check.reports_flows for check in checks):
        return frozenset(focus)
    try:
        hits = project.analysis(TaintAnalysis).analyse()  # built once; the taint rules reuse it
    except Exception:  # the rules' own calls report a broken index
        return frozenset(project.by_rel)  # cannot tell: analyse every file
    for sink_file, found in hits.items():
        if any(step.location.path in focus for hit in found.values() for step in hit.steps):
            focus.add(sink_file)
    return frozenset(focus)
