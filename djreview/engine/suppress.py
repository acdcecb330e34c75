"""In-source suppressions: `# djreview: ignore[DJR101]` and the bare `# djreview: ignore`.

A comment on the flagged line or on the line above silences it; in templates
the same words go in a `{# ... #}` comment. Rules are named by id or name.
"""

from __future__ import annotations

import re

from djreview.engine.peer_markers import peer_silenced
from djreview.model import Finding
from djreview.source.file import SourceFile

_IGNORE_RE = re.compile(r"djreview:\s*ignore(?:\[(?P<rules>[^\]]*)\])?", re.IGNORECASE)


def _rules_silenced(line: str) -> set[str] | None:
    """The rules a line's comment silences: a set, {"*"} for all, None for none."""
    if "djreview" not in line:
        return None
    match = _IGNORE_RE.search(line)
    if match is None:
        return None
    # A `# djreview: ignore` inside a string literal would also count; the
    # cost of that rare case is one silenced finding the user asked about.
    rules = match.group("rules")
    if rules is None:
        return {"*"}
    return {part.strip() for part in rules.split(",") if part.strip()}


def is_suppressed(finding: Finding, file: SourceFile) -> bool:
    """Whether an ignore comment on the finding's line or the line above names its rule.

    Bandit's and ruff's markers (`# nosec`, `# noqa: S308`) count for the
    rules that do their check (see peer_markers.py).
    """
    line = finding.location.start_line
    above = file.line_text(line - 1).lstrip()
    # The line above counts only as a comment of its own: a trailing comment
    # there belongs to that line's code, not to ours.
    candidates = [file.line_text(line)]
    if above.startswith(("#", "{#", "<!--")):
        candidates.append(above)
    for text in candidates:
        if peer_silenced(finding.rule_id, text):
            return True
        rules = _rules_silenced(text)
        if rules and ("*" in rules or finding.rule_id in rules or finding.rule_name in rules):
            return True
    return False
