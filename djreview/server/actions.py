"""What the editor's code actions change, as djreview edits: fixes and ignore comments.

Kept free of the protocol library: `lsp.py` turns these edits into
workspace edits. Ruff's convention: only safe fixes join "fix all"; unsafe
ones are offered one by one, on request.
"""

from __future__ import annotations

import re

from djreview.model import Applicability, Edit, Finding, Fix, Location
from djreview.source.file import SourceFile

_IGNORE = re.compile(r"djreview:\s*ignore\[(?P<rules>[^\]]*)\]")


def ignore_fix(finding: Finding, file: SourceFile) -> Fix:
    """The edit that silences `finding` with an ignore comment on its line."""
    line = finding.location.start_line
    text = file.line_text(line)
    rule = finding.rule_id
    found = _IGNORE.search(text)
    if found is not None:  # extend the list already on the line
        start, end = found.span("rules")
        listed = found.group("rules").strip()
        replacement = f"{listed}, {rule}" if listed else rule
        where = Location(file.rel, line, start + 1, line, end + 1)
    else:
        comment = (
            f"{{# djreview: ignore[{rule}] #}}"
            if file.kind == "template"
            else (f"# djreview: ignore[{rule}]")
        )
        replacement = f"  {comment}" if file.kind == "python" else f" {comment}"
        end_column = len(text) + 1
        where = Location(file.rel, line, end_column, line, end_column)
    return Fix(
        f"Ignore {rule} ({finding.rule_name}) on this line",
        (Edit(where, replacement),),
        Applicability.SAFE,
    )


def fix_all(findings: list[Finding]) -> list[Edit]:
    """The safe fixes' edits, skipping any that overlap an edit already taken."""
    taken: list[Edit] = []
    for finding in findings:
        fix = finding.fix
        if fix is None or fix.applicability is not Applicability.SAFE or finding.suppressed:
            continue
        if any(_overlaps(edit, other) for edit in fix.edits for other in taken):
            continue
        taken.extend(fix.edits)
    return taken


def _overlaps(first: Edit, second: Edit) -> bool:
    a, b = first.location, second.location
    if a.path != b.path:
        return False
    a_start, a_end = (a.start_line, a.start_column), (a.end_line, a.end_column)
    b_start, b_end = (b.start_line, b.start_column), (b.end_line, b.end_column)
    return a_start <= b_end and b_start <= a_end
