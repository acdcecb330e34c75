"""GitHub Actions workflow commands (`--format github`): annotations without code scanning.

Each finding becomes `::error file=...,line=...::message` (warnings and notes
as `::warning`/`::notice`), which GitHub shows on the pull request's diff. It
needs no token permission, so it is the fallback for pull requests from forks,
where uploading SARIF is refused. Paths are relative to the repository root,
as GitHub expects when the repository is checked out at the workspace root.
"""

from __future__ import annotations

from collections.abc import Iterable

from djreview.model import Finding, Notification, Severity
from djreview.report.text import safe

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def _data(text: str) -> str:
    """Escape a command's message as the runner decodes it; control characters shown escaped."""
    lines = text.split("\n")
    text = "\n".join("\r".join(safe(part) for part in line.split("\r")) for line in lines)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a command property value (it also may not hold `:` or `,`)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """One finding as a workflow command line."""
    loc = finding.location
    props = [
        f"file={_property(loc.path)}",
        f"line={loc.start_line}",
        f"endLine={loc.end_line}",
        f"title={_property(f'{finding.rule_id} {finding.rule_name}')}",
    ]
    # GitHub accepts a column range only on a single line.
    if loc.end_line == loc.start_line:
        end_column = max(loc.end_column, loc.start_column)
        props[2:2] = [f"col={loc.start_column}", f"endColumn={end_column}"]
    message = finding.message
    if finding.related:
        message += "".join(
            f"\n{related.message} at {related.location}" for related in finding.related
        )
    return f"::{_COMMANDS[finding.severity]} {','.join(props)}::{_data(message)}"


def render(findings: Iterable[Finding], notifications: Iterable[Notification]) -> str:
    """Annotations for every unsuppressed finding, then a warning per skipped file."""
    lines = [annotation(finding) for finding in findings if not finding.suppressed]
    for note in notifications:
        # "." marks a project-wide problem: an annotation without a file.
        where = "" if note.path == "." else f"file={_property(note.path)},"
        lines.append(f"::warning {where}title=djreview::{_data(note.message)}")
    return "".join(line + "\n" for line in lines)
