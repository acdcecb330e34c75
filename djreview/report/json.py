"""JSON output for scripts: a documented, versioned shape (see docs/json-format.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from djreview import __version__
from djreview.model import Finding, Location, Notification

JSON_FORMAT_VERSION = 1


def _location(location: Location) -> dict[str, Any]:
    return {
        "path": location.path,
        "start_line": location.start_line,
        "start_column": location.start_column,
        "end_line": location.end_line,
        "end_column": location.end_column,
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """One finding as plain JSON data."""
    data: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "rule_name": finding.rule_name,
        "severity": finding.severity.value,
        "message": finding.message,
        "location": _location(finding.location),
        "snippet": finding.snippet,
        "fingerprint": finding.fingerprint,
        "suppressed": finding.suppressed,
        "related": [
            {"message": related.message, "location": _location(related.location)}
            for related in finding.related
        ],
        "flow": [
            {"message": step.message, "location": _location(step.location)} for step in finding.flow
        ],
        "fix": None,
        "properties": dict(finding.properties),
    }
    if finding.fix is not None:
        data["fix"] = {
            "description": finding.fix.description,
            "applicability": finding.fix.applicability.value,
            "edits": [
                {"location": _location(edit.location), "replacement": edit.replacement}
                for edit in finding.fix.edits
            ],
        }
    return data


def render(
    findings: Iterable[Finding], notifications: Iterable[Notification], files_scanned: int
) -> str:
    """The JSON report."""
    items = [finding_to_dict(finding) for finding in findings]
    notes = list(notifications)
    payload = {
        "version": JSON_FORMAT_VERSION,
        "tool": {"name": "djreview", "version": __version__},
        "summary": {
            "files_scanned": files_scanned,
            "findings": sum(1 for item in items if not item["suppressed"]),
            "suppressed": sum(1 for item in items if item["suppressed"]),
            "complete": not notes,
        },
        "findings": items,
        "notifications": [
            {"path": note.path, "message": note.message, "level": note.level} for note in notes
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
