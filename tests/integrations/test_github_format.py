"""`--format github`: workflow-command annotations GitHub's runner can parse."""

from __future__ import annotations

import re

from djreview.model import Finding, Location, Notification, RelatedLocation, Severity
from djreview.report.github import annotation, render

# The runner's grammar: ::command key=value,key=value::message (one line).
COMMAND_RE = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::([^\r\n]*)$")


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """Decode one workflow command as the runner does (values unescaped)."""
    match = COMMAND_RE.match(line)
    assert match, line
    props = {}
    for item in (match.group(2) or "").split(","):
        key, _, value = item.partition("=")
        props[key] = value.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n")
    message = match.group(3).replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
    return match.group(1), {k: v.replace("%25", "%") for k, v in props.items()}, message


def make(severity: Severity, location: Location, message: str = "bad", **extra: object) -> Finding:
    return Finding("DJR101", "related-access-in-loop", message, severity, location, **extra)


def test_levels_map_to_error_warning_notice() -> None:
    kinds = [
        parse(annotation(make(severity, Location("a.py", 3, 5, 3, 9))))[0]
        for severity in (Severity.ERROR, Severity.WARNING, Severity.NOTE)
    ]
    assert kinds == ["error", "warning", "notice"]


def test_position_and_title() -> None:
    _, props, message = parse(annotation(make(Severity.ERROR, Location("app/v.py", 3, 5, 3, 9))))
    assert props == {
        "file": "app/v.py",
        "line": "3",
        "col": "5",
        "endColumn": "9",
        "endLine": "3",
        "title": "DJR101 related-access-in-loop",
    }
    assert message == "bad"


def test_multiline_range_has_no_columns() -> None:
    _, props, _ = parse(annotation(make(Severity.ERROR, Location("v.py", 3, 5, 6, 2))))
    assert "col" not in props and props["endLine"] == "6"


def test_special_characters_are_escaped_and_round_trip() -> None:
    hostile = "100% sure\r\n::error file=x::injected, a: b"
    line = annotation(make(Severity.WARNING, Location("dir,a:b%.py", 1), hostile))
    assert "\n" not in line and "\r" not in line
    _, props, message = parse(line)
    assert props["file"] == "dir,a:b%.py"
    assert message == hostile


def test_related_locations_follow_the_message() -> None:
    related = (RelatedLocation(Location("v.py", 2), "the loop"),)
    _, _, message = parse(annotation(make(Severity.WARNING, Location("v.py", 4), related=related)))
    assert message == "bad\nthe loop at v.py:2:1"


def test_suppressed_findings_are_left_out_and_notifications_warn() -> None:
    text = render(
        [make(Severity.ERROR, Location("a.py", 1), suppressed=True)],
        [Notification("b.py", "skipped: binary content"), Notification(".", "rule crashed")],
    )
    lines = text.splitlines()
    assert [parse(line)[1].get("file") for line in lines] == ["b.py", None]
    assert all(parse(line)[0] == "warning" for line in lines)
