"""SARIF 2.1.0 output, built with `sarif_om` (the only module that imports it).

The log is written for real consumers, which each add rules the schema does
not state: GitHub code scanning (one run per category, `security-severity` as a
string, `%SRCROOT%`-relative URIs, no `primaryLocationLineHash` of our own),
VS Code's SARIF Viewer (a `$schema` it recognises, `originalUriBaseIds`
resolved one level deep) and Microsoft's SARIF Multitool (`validate
--rule-kind "Sarif;Gh"`), which the tests run on every fixture project.

sarif_om's usual serializer drops every value equal to its schema default, so a
result's `level: "warning"` vanishes and viewers show the rule's default level
instead. `to_dict` below keeps the values that matter (see `_ALWAYS_KEEP`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import attr
import sarif_om as om

from djreview import __version__
from djreview.ai.show import markdown as ai_markdown
from djreview.model import Applicability, Finding, Location, Notification, RuleMeta

# The OASIS 2.1.0 schema: the SARIF Viewer accepts it (its last path segment
# normalises to `sarif-2.1.0`), as does GitHub.
SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
HELP_URI = "https://github.com/djreview/djreview/blob/main/docs/rules/{id}.md"
SRCROOT = "%SRCROOT%"
# GitHub's category for a plain run; AI-annotated output uses e.g. "djreview/ai/".
DEFAULT_AUTOMATION_ID = "djreview/"
FINGERPRINT_KEY = "djreview/v1"
_BRACKET_RE = re.compile(r"(\\*)([\[\]])")
_MARKDOWN_RE = re.compile(r"[\\*_\[\]<>|]")
# Fields whose value equals the schema default but must still be written.
_ALWAYS_KEEP = frozenset({"level", "kind", "version"})


def to_dict(obj: Any) -> Any:
    """Serialise a sarif_om object tree, keeping explicitly meaningful defaults."""
    if isinstance(obj, list | tuple):
        return [to_dict(item) for item in obj]
    if isinstance(obj, dict):
        return {key: to_dict(value) for key, value in obj.items()}
    if not attr.has(type(obj)):
        return obj
    out: dict[str, Any] = {}
    for attribute in attr.fields(type(obj)):
        value = getattr(obj, attribute.name)
        if value is None:
            continue
        name = attribute.metadata.get("schema_property_name", attribute.name)
        default = attribute.default
        if isinstance(default, attr.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if value == default and name not in _ALWAYS_KEEP:
            continue
        out[name] = to_dict(value)
    return out


def _artifact(path: str) -> om.ArtifactLocation:
    """A project path as a URI reference under %SRCROOT%, percent-encoded (RFC 3986)."""
    return om.ArtifactLocation(uri=quote(path, safe="/"), uri_base_id=SRCROOT)


def _region(location: Location) -> om.Region:
    """A full region; a project-wide finding (line 0) points at the file's start."""
    start_line, start_column = max(location.start_line, 1), max(location.start_column, 1)
    end_line = max(location.end_line, start_line)
    end_column = max(location.end_column, 1)
    if end_line == start_line:
        end_column = max(end_column, start_column)
    return om.Region(
        start_line=start_line, start_column=start_column, end_line=end_line, end_column=end_column
    )


def _location(
    location: Location, message: str | None = None, ident: int | None = None
) -> om.Location:
    return om.Location(
        id=ident if ident is not None else -1,
        physical_location=om.PhysicalLocation(
            artifact_location=_artifact(location.path),
            region=_region(location),
        ),
        message=om.Message(text=message) if message else None,
    )


def _rule(meta: RuleMeta) -> om.ReportingDescriptor:
    properties: dict[str, Any] = {"tags": list(meta.all_tags), "precision": meta.precision}
    if meta.category == "security" and meta.security_severity is not None:
        properties["security-severity"] = f"{meta.security_severity:.1f}"
    else:
        properties["problem.severity"] = {"error": "error", "warning": "warning"}.get(
            meta.severity.value, "recommendation"
        )
    return om.ReportingDescriptor(
        id=meta.id,
        name=meta.name,
        short_description=om.MultiformatMessageString(text=meta.summary),
        full_description=om.MultiformatMessageString(text=meta.description),
        help=om.MultiformatMessageString(text=meta.docs, markdown=meta.docs),
        help_uri=HELP_URI.format(id=meta.id),
        default_configuration=om.ReportingConfiguration(level=meta.severity.value),
        properties=properties,
    )


def _escape_text(text: str) -> str:
    """Escape brackets (and backslashes before them) as SARIF's plain text reserves them."""
    return _BRACKET_RE.sub(lambda m: m.group(1) * 2 + "\\" + m.group(2), text)


def _escape_markdown(text: str) -> str:
    """Escape Markdown emphasis, links and HTML outside `code spans`."""
    parts = text.split("`")
    for index in range(0, len(parts), 2):  # even parts lie outside backticks
        parts[index] = _MARKDOWN_RE.sub(r"\\\g<0>", parts[index])
    return "`".join(parts)


def _message(finding: Finding) -> om.Message:
    """Text and Markdown; each related location linked as `[label](id)` (§3.11.6).

    GitHub reads `text`, the SARIF Viewer prefers `markdown`; both turn the
    links into references to `relatedLocations` with that id.
    """
    text, markdown = _escape_text(finding.message), _escape_markdown(finding.message)
    if finding.related:
        labels = list(enumerate((related.message for related in finding.related), start=1))
        text_links = "; ".join(f"[{_escape_text(label)}]({index})" for index, label in labels)
        markdown_links = "; ".join(
            f"[{_escape_markdown(label)}]({index})" for index, label in labels
        )
        text += f" (see: {text_links})"
        markdown += f" (see: {markdown_links})"
    review = ai_markdown(finding)
    if review:
        markdown += f"\n\n{review}"
    return om.Message(text=text, markdown=markdown)


def _result(
    finding: Finding, rule_index: dict[str, int], known: Collection[str] | None
) -> om.Result:
    result = om.Result(
        rule_id=finding.rule_id,
        rule_index=rule_index.get(finding.rule_id, -1),
        level=finding.severity.value,
        message=_message(finding),
        locations=[_location(finding.location)],
        # Our own key only: GitHub's upload action adds primaryLocationLineHash.
        partial_fingerprints={FINGERPRINT_KEY: finding.fingerprint},
    )
    if known is not None:
        result.baseline_state = "unchanged" if finding.fingerprint in known else "new"
    if finding.related:
        result.related_locations = [
            _location(related.location, related.message, index)
            for index, related in enumerate(finding.related, start=1)
        ]
    if finding.flow:
        steps = [
            om.ThreadFlowLocation(location=_location(step.location, step.message))
            for step in finding.flow
        ]
        result.code_flows = [om.CodeFlow(thread_flows=[om.ThreadFlow(locations=steps)])]
    if finding.suppressed:
        result.suppressions = [om.Suppression(kind="inSource")]
    if finding.fix is not None and finding.fix.applicability is not Applicability.SUGGESTION:
        # Only fixes djreview stands behind: deterministic ones and AI patches
        # that verification promoted; an unverified suggestion is not a fix.
        result.fixes = [_fix(finding)]
    if finding.properties:
        result.properties = dict(finding.properties)
    return result


def _fix(finding: Finding) -> om.Fix:
    assert finding.fix is not None
    by_path: dict[str, list[om.Replacement]] = {}
    for edit in finding.fix.edits:
        by_path.setdefault(edit.location.path, []).append(
            om.Replacement(
                deleted_region=_region(edit.location),
                inserted_content=om.ArtifactContent(text=edit.replacement),
            )
        )
    return om.Fix(
        description=om.Message(text=finding.fix.description),
        properties={"applicability": finding.fix.applicability.value},
        artifact_changes=[
            om.ArtifactChange(
                artifact_location=_artifact(path),
                replacements=replacements,
            )
            for path, replacements in sorted(by_path.items())
        ],
    )


def _notification(note: Notification) -> om.Notification:
    where = None
    if note.path != ".":  # "." marks a project-wide problem, not a file
        where = [
            om.Location(
                physical_location=om.PhysicalLocation(artifact_location=_artifact(note.path))
            )
        ]
    return om.Notification(
        level="error" if note.level == "error" else "warning",
        message=om.Message(text=f"{note.path}: {note.message}"),
        locations=where,
    )


def build_log(
    findings: Iterable[Finding],
    rules: Iterable[RuleMeta],
    notifications: Iterable[Notification],
    root: Path,
    *,
    complete: bool = True,
    automation_id: str = DEFAULT_AUTOMATION_ID,
    known: Collection[str] | None = None,
) -> dict[str, Any]:
    """The SARIF log of one run, as a JSON-ready dict.

    `root` is the folder `%SRCROOT%` stands for (the git top level): every URI
    in the log is relative to it. `automation_id` is the run's category for
    GitHub. With `known` (the fingerprints of a baseline) every result gets a
    `baselineState`: "unchanged" when known, else "new".
    """
    rule_list = sorted(rules, key=lambda meta: meta.id)
    rule_index = {meta.id: index for index, meta in enumerate(rule_list)}
    notes = list(notifications)
    invocation = om.Invocation(
        execution_successful=complete,
        tool_execution_notifications=[_notification(note) for note in notes] or None,
    )
    run = om.Run(
        tool=om.Tool(
            driver=om.ToolComponent(
                name="djreview",
                version=__version__,
                semantic_version=__version__,
                information_uri="https://github.com/djreview/djreview",
                rules=[_rule(meta) for meta in rule_list],
            )
        ),
        invocations=[invocation],
        automation_details=om.RunAutomationDetails(id=automation_id),
        original_uri_base_ids={
            SRCROOT: om.ArtifactLocation(uri=root.resolve().as_uri().rstrip("/") + "/")
        },
        column_kind="unicodeCodePoints",
        results=[_result(finding, rule_index, known) for finding in findings],
    )
    log = om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])
    data: dict[str, Any] = to_dict(log)
    # `results` must be present even when empty: consumers read [] as "clean".
    data["runs"][0].setdefault("results", [])
    return data


def render(
    findings: Iterable[Finding],
    rules: Iterable[RuleMeta],
    notifications: Iterable[Notification],
    root: Path,
    *,
    complete: bool = True,
    automation_id: str = DEFAULT_AUTOMATION_ID,
    known: Collection[str] | None = None,
) -> str:
    """The SARIF log as indented JSON text (see `build_log`)."""
    log = build_log(
        findings,
        rules,
        notifications,
        root,
        complete=complete,
        automation_id=automation_id,
        known=known,
    )
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
