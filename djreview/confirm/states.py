"""Static findings as the tests saw them: each N+1 finding's state from a confirmation report.

`djreview check --confirmations FILE` (or `confirmations = "FILE"` under
``[tool.djreview]``) reads the report the pytest plugin wrote and adds, to
every finding it has a state for, the properties ``confirmation``
(confirmed / refuted / static-only), the test that decided it and the
numbers; SARIF raises the rank of confirmed findings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from djreview.confirm.join import State
from djreview.confirm.report import Report
from djreview.model import Finding

# The state property every annotated finding carries; dynamic-only findings
# (DJR140) carry it too.
STATE = "confirmation"
DYNAMIC_ONLY = "dynamic-only"


def with_states(findings: Iterable[Finding], report: Report) -> list[Finding]:
    """The findings, those the report knows annotated with their state."""
    annotated = []
    by_fingerprint = {entry.fingerprint: entry for entry in report.states}
    for finding in findings:
        entry = by_fingerprint.get(finding.fingerprint)
        if entry is None:
            annotated.append(finding)
            continue
        facts = {STATE: entry.state.value}
        if entry.state is State.CONFIRMED:
            facts |= {"confirmed_by": entry.test, "repeated_queries": str(entry.count)}
        elif entry.state is State.REFUTED:
            facts |= {"refuted_by": entry.test, "rows": str(entry.rows)}
        properties = tuple(sorted({**dict(finding.properties), **facts}.items()))
        annotated.append(dataclasses.replace(finding, properties=properties))
    return annotated


def state(finding: Finding) -> str | None:
    """The confirmation state of a finding, if a report gave it one."""
    return dict(finding.properties).get(STATE)


def is_confirmed(finding: Finding) -> bool:
    """Seen by the tests: a confirmed static finding or a dynamic-only repeat."""
    return state(finding) in {State.CONFIRMED.value, DYNAMIC_ONLY}


def describe(finding: Finding) -> str | None:
    """One line on what the tests showed, for the text report; None without a state."""
    facts = dict(finding.properties)
    value = facts.get(STATE)
    if value == State.CONFIRMED.value:
        count = facts["repeated_queries"]
        return f"confirmed by {facts['confirmed_by']} ({count} repeated queries)"
    if value == State.REFUTED.value:
        return (
            f"refuted by {facts['refuted_by']}: {facts['rows']} rows, no repeated query "
            "(prefetched elsewhere, cached, or a cure djreview cannot see?)"
        )
    if value == State.STATIC_ONLY.value:
        return "static only: no test ran this loop with two rows or more"
    return None


def tally(findings: Iterable[Finding]) -> str | None:
    """The closing line on confirmation states, or None when no finding has one."""
    counts = dict.fromkeys([*(s.value for s in State), DYNAMIC_ONLY], 0)
    for finding in findings:
        value = state(finding)
        if value in counts and not finding.suppressed:
            counts[value] += 1
    if not any(counts.values()):
        return None
    return (
        f"Tests: {counts['confirmed']} confirmed, {counts['refuted']} refuted, "
        f"{counts['static-only']} static only, {counts[DYNAMIC_ONLY]} dynamic-only."
    )
