"""Text output for people: file:line:col, rule, message, a code frame, a summary.

Code from the analysed project never reaches the terminal raw: control and
escape characters are shown escaped, so a hostile file cannot drive the TTY.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import click

from djreview.ai.show import text_lines as ai_text_lines
from djreview.confirm.states import describe, tally
from djreview.model import Finding, Notification, Severity

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def safe(text: str) -> str:
    """Escape control, escape and bidi-override characters for terminal display."""
    return _CONTROL_RE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def _frame(finding: Finding, colour: bool) -> str:
    if not finding.snippet:
        return ""
    line_no = str(finding.location.start_line)
    gutter = " " * len(line_no)
    raw = finding.snippet.lstrip()
    loc = finding.location
    width = loc.end_column - loc.start_column if loc.end_line == loc.start_line else len(raw)
    indent = max(loc.start_column - 1 - (len(finding.snippet) - len(raw)), 0)
    marker = " " * indent + "^" * max(1, min(width, len(raw) - indent))
    return f"  {line_no} | {safe(raw)}\n  {gutter} | " + click.style(
        marker, fg="red" if colour else None
    )


def render(
    findings: Iterable[Finding],
    notifications: Iterable[Notification],
    *,
    colour: bool = False,
    show_suppressed: bool = False,
    files_scanned: int = 0,
) -> str:
    """The whole text report, ending in a summary line per severity."""
    lines: list[str] = []
    counts: Counter[Severity] = Counter()
    suppressed = 0
    findings_seen = list(findings)
    for finding in findings_seen:
        if finding.suppressed:
            suppressed += 1
            if not show_suppressed:
                continue
        else:
            counts[finding.severity] += 1
        level = click.style(
            finding.severity.value, fg=_COLOURS[finding.severity] if colour else None, bold=colour
        )
        rule = click.style(f"{finding.rule_id}", bold=colour)
        where = safe(str(finding.location))
        lines.append(f"{where}: {level} {rule} [{finding.rule_name}] {safe(finding.message)}")
        frame = _frame(finding, colour)
        if frame:
            lines.append(frame)
        for related in finding.related:
            lines.append(f"    note: {safe(related.message)} at {safe(str(related.location))}")
        tested = describe(finding)
        if tested is not None:
            lines.append(f"    tests: {safe(tested)}")
        if finding.fix is not None:
            lines.append(
                f"    fix ({finding.fix.applicability.value}): {safe(finding.fix.description)}"
            )
        # Model-written text is as untrusted as project code: escaped too.
        lines.extend(safe(line) for line in ai_text_lines(finding))
        lines.append("")
    for note in notifications:
        lines.append(f"{safe(note.path)}: notice: {safe(note.message)}")
    total = sum(counts.values())
    summary = ", ".join(
        f"{counts[severity]} {severity.value}{'s' if counts[severity] != 1 else ''}"
        for severity in (Severity.ERROR, Severity.WARNING, Severity.NOTE)
    )
    closing = (
        f"Found {total} finding{'s' if total != 1 else ''} ({summary}) in {files_scanned} files"
    )
    if suppressed:
        closing += f"; {suppressed} suppressed"
    if notifications:
        closing += f"; {len(list(notifications))} files or steps skipped (analysis partial)"
    lines.append(closing + ".")
    confirmations = tally(findings_seen)
    if confirmations is not None:
        lines.append(confirmations)
    return "\n".join(lines) + "\n"
