"""Findings and notifications to and from JSON-ready values, for the cache.

JSON, not pickle: a cache folder may come from an untrusted place (a CI cache,
a checked-in folder), and loading it must never run code.
"""

from __future__ import annotations

from typing import Any

from djreview.model import (
    Applicability,
    Edit,
    Finding,
    Fix,
    FlowStep,
    Location,
    Notification,
    RelatedLocation,
    RuleMeta,
    Severity,
)


def _location(loc: Location) -> list[Any]:
    return [loc.path, loc.start_line, loc.start_column, loc.end_line, loc.end_column]


def _unlocation(data: list[Any]) -> Location:
    path, start_line, start_column, end_line, end_column = data
    return Location(str(path), int(start_line), int(start_column), int(end_line), int(end_column))


def encode_finding(finding: Finding) -> dict[str, Any]:
    """A finding as plain JSON values."""
    data: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "rule_name": finding.rule_name,
        "message": finding.message,
        "severity": finding.severity.value,
        "location": _location(finding.location),
        "related": [[_location(r.location), r.message] for r in finding.related],
        "flow": [[_location(s.location), s.message] for s in finding.flow],
        "snippet": finding.snippet,
        "fingerprint": finding.fingerprint,
        "suppressed": finding.suppressed,
        "properties": [list(pair) for pair in finding.properties],
    }
    if finding.fix is not None:
        data["fix"] = {
            "description": finding.fix.description,
            "applicability": finding.fix.applicability.value,
            "edits": [[_location(e.location), e.replacement] for e in finding.fix.edits],
        }
    return data


def decode_finding(data: dict[str, Any]) -> Finding:
    """The inverse of `encode_finding`; raises KeyError/TypeError/ValueError on bad data."""
    fix_data = data.get("fix")
    fix = None
    if fix_data is not None:
        fix = Fix(
            description=str(fix_data["description"]),
            edits=tuple(Edit(_unlocation(loc), str(text)) for loc, text in fix_data["edits"]),
            applicability=Applicability(fix_data["applicability"]),
        )
    return Finding(
        rule_id=str(data["rule_id"]),
        rule_name=str(data["rule_name"]),
        message=str(data["message"]),
        severity=Severity(data["severity"]),
        location=_unlocation(data["location"]),
        related=tuple(RelatedLocation(_unlocation(loc), str(msg)) for loc, msg in data["related"]),
        flow=tuple(FlowStep(_unlocation(loc), str(msg)) for loc, msg in data["flow"]),
        fix=fix,
        snippet=str(data["snippet"]),
        fingerprint=str(data["fingerprint"]),
        suppressed=bool(data["suppressed"]),
        properties=tuple((str(key), str(value)) for key, value in data["properties"]),
    )


def encode_notification(note: Notification) -> list[str]:
    """A notification as a JSON list."""
    return [note.path, note.message, note.level]


def decode_notification(data: list[Any]) -> Notification:
    """The inverse of `encode_notification`."""
    path, message, level = data
    return Notification(str(path), str(message), str(level))


def encode_rule(meta: RuleMeta) -> dict[str, Any]:
    """A rule's metadata as plain JSON values."""
    return {
        "id": meta.id,
        "name": meta.name,
        "message": meta.message,
        "severity": meta.severity.value,
        "category": meta.category,
        "docs": meta.docs,
        "tags": list(meta.tags),
        "cwe": list(meta.cwe),
        "precision": meta.precision,
        "security_severity": meta.security_severity,
        "fixable": meta.fixable,
        "enabled_by_default": meta.enabled_by_default,
        "source": meta.source,
        "sample": meta.sample,
        "references": list(meta.references),
    }


def decode_rule(data: dict[str, Any]) -> RuleMeta:
    """The inverse of `encode_rule`."""
    security = data["security_severity"]
    return RuleMeta(
        id=str(data["id"]),
        name=str(data["name"]),
        message=str(data["message"]),
        severity=Severity(data["severity"]),
        category=str(data["category"]),
        docs=str(data["docs"]),
        tags=tuple(map(str, data["tags"])),
        cwe=tuple(int(cwe) for cwe in data["cwe"]),
        precision=str(data["precision"]),
        security_severity=None if security is None else float(security),
        fixable=bool(data["fixable"]),
        enabled_by_default=bool(data["enabled_by_default"]),
        source=str(data["source"]),
        sample=str(data["sample"]),
        references=tuple(map(str, data["references"])),
    )
