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


# Fix descriptions longer than this are cut in the report (`fix --dry-run` shows the diff).
FIX_DESCRIPTION_WIDTH = 160


def plural(count: int, one: str, many: str | None = None) -> str:
    """`1 file`, `2 files` (or the given plural)."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def shorten(description: str, width: int = FIX_DESCRIPTION_WIDTH) -> str:
    """A fix description cut to `width` characters, saying where the rest is."""
    if len(description) <= width:
        return description
    return description[: width - 40].rstrip(" ,;") + " ... (djreview fix --dry-run shows all)"


def statistics(findings: Iterable[Finding]) -> list[str]:
    """The per-rule summary (count, id, name, how many fixable), most frequent first."""
    counts: Counter[tuple[str, str]] = Counter()
    fixable: Counter[tuple[str, str]] = Counter()
    for finding in findings:
        if finding.suppressed:
            continue
        key = (finding.rule_id, finding.rule_name)
        counts[key] += 1
        if finding.fix is not None:
            fixable[key] += 1
    if not counts:
        return []
    width = len(str(max(counts.values())))
    rows = ["Findings per rule:"]
    for (rule_id, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        fixes = f" ({fixable[(rule_id, name)]} fixable)" if fixable[(rule_id, name)] else ""
        rows.append(f"  {count:>{width}}  {rule_id}  {name}{fixes}")
    rows.append("")
    return rows


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
            description = shorten(finding.fix.description)
            lines.append(f"    fix ({finding.fix.applicability.value}): {safe(description)}")
        # Model-written text is as untrusted as project code: escaped too.
        lines.extend(safe(line) for line in ai_text_lines(finding))
        lines.append("")
    for note in notifications:
        lines.append(f"{safe(note.path)}: notice: {safe(note.message)}")
    lines.extend(statistics(findings_seen))
    total = sum(counts.values())
    summary = ", ".join(
        plural(counts[severity], severity.value)
        for severity in (Severity.ERROR, Severity.WARNING, Severity.NOTE)
    )
    closing = f"Found {plural(total, 'finding')} ({summary}) in {plural(files_scanned, 'file')}"
    if suppressed:
        closing += f"; {suppressed} suppressed"
    skipped = len(list(notifications))
    if skipped:
        skipped_text = plural(skipped, "file or step", "files or steps")
        closing += f"; {skipped_text} skipped (analysis partial)"
    lines.append(closing + ".")
    confirmations = tally(findings_seen)
    if confirmations is not None:
        lines.append(confirmations)
    return "\n".join(lines) + "\n"
