"""Bandit's and ruff's audit markers, honoured for the djreview rules that match their checks.

A line a project has already audited for bandit (`# nosec`, `# nosec B308`)
or ruff (`# noqa: S308`) is not reported again by the djreview rule doing
the same check, as ruff honours flake8's `# noqa`. A bare `# nosec` silences
every rule in the map; a bare `# noqa` silences nothing (it is mostly written
for style checks). The map is documented in docs/peer-markers.md.
"""

from __future__ import annotations

import re

# djreview rule -> the bandit (Bxxx) and ruff (Sxxx, DJxxx) codes of the same check.
PEER_CODES: dict[str, frozenset[str]] = {
    "DJR301": frozenset({"B308", "B703", "S308"}),
    "DJR302": frozenset({"B608", "B610", "B611", "S608", "S610", "S611"}),
    "DJR303": frozenset({"B608", "S608"}),
    "DJR304": frozenset({"B506", "S506"}),
    "DJR305": frozenset({"B602", "B604", "B605", "B609", "S602", "S604", "S605", "S609"}),
    "DJR306": frozenset({"B102", "B307", "S102", "S307"}),
    "DJR309": frozenset({"B301", "B302", "S301", "S302"}),
    # Request data into mark_safe() is DJR311's since DJR301 went audit-level.
    "DJR311": frozenset({"B308", "B703", "S308"}),
    "DJR320": frozenset({"B701", "S701"}),
    "DJR321": frozenset({"B610", "B611", "S610", "S611"}),
    "DJR323": frozenset({"B323", "B501", "S323", "S501"}),
    "DJR324": frozenset({"B303", "B324", "S303", "S324"}),
    "DJR325": frozenset({"B301", "S301"}),
    "DJR328": frozenset({"B610", "B611", "S610", "S611"}),
    "DJR331": frozenset({"B602", "B604", "B605", "B609", "S602", "S604", "S605", "S609"}),
    "DJR402": frozenset({"B105", "S105"}),
    "DJR604": frozenset({"DJ007"}),
}

_NOSEC_RE = re.compile(r"#\s*nosec\b:?(?P<codes>[\s,]*(?:[A-Z]+\d+[\s,]*)*)")
_NOQA_RE = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z]+\d+(?:[\s,]+[A-Z]+\d+)*)", re.IGNORECASE)
_CODE_RE = re.compile(r"[A-Z]+\d+", re.IGNORECASE)


def peer_silenced(rule_id: str, line: str) -> bool:
    """Whether a bandit or ruff marker on `line` silences the check `rule_id` matches."""
    codes = PEER_CODES.get(rule_id)
    if codes is None or ("nosec" not in line and "noqa" not in line):
        return False
    nosec = _NOSEC_RE.search(line)
    if nosec is not None:
        named = {code.upper() for code in _CODE_RE.findall(nosec.group("codes"))}
        if not named or named & codes:
            return True
    noqa = _NOQA_RE.search(line)
    return noqa is not None and bool(
        {code.upper() for code in _CODE_RE.findall(noqa.group("codes"))} & codes
    )
