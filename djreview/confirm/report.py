"""The confirmation report: what the pytest plugin writes and `djreview check` reads.

One JSON file (``djreview-confirm.json`` beside the tests by default) holding
a verdict per static N+1 finding, keyed by the finding's fingerprint, and the
dynamic-only repeats. It is written atomically: a crash mid-write leaves the
previous report in place.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from djreview.confirm.join import DynamicFinding, Joined, State
from djreview.confirm.sites import Site
from djreview.model import Notification
from djreview.source.project import Project

VERSION = 1
DEFAULT_NAME = "djreview-confirm.json"


class ReportError(Exception):
    """The confirmation report cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class FindingState:
    """A static finding's state as the report records it."""

    fingerprint: str
    rule_id: str
    path: str
    line: int
    state: State
    test: str
    count: int
    rows: int


@dataclass(frozen=True, slots=True)
class Report:
    """A whole confirmation report."""

    tests: int
    states: tuple[FindingState, ...]
    dynamic: tuple[DynamicFinding, ...]
    errors: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        """How many findings are in each state, and how many are dynamic-only."""
        totals = {state.value: 0 for state in State}
        for entry in self.states:
            totals[entry.state.value] += 1
        totals["dynamic-only"] = len(self.dynamic)
        return totals


def from_join(joined: Joined, tests: int, errors: list[str]) -> Report:
    """The report of one pytest session."""
    states = tuple(
        FindingState(
            fingerprint=v.finding.fingerprint,
            rule_id=v.finding.rule_id,
            path=v.finding.path,
            line=v.finding.start_line,
            state=v.state,
            test=v.test,
            count=v.count,
            rows=v.rows,
        )
        for v in joined.verdicts
    )
    return Report(tests, states, joined.dynamic, tuple(errors))


def encode(report: Report) -> dict[str, Any]:
    """The report as JSON values."""
    return {
        "version": VERSION,
        "tests": report.tests,
        "findings": [
            {
                "fingerprint": s.fingerprint,
                "rule_id": s.rule_id,
                "path": s.path,
                "line": s.line,
                "state": s.state.value,
                "test": s.test,
                "count": s.count,
                "rows": s.rows,
            }
            for s in report.states
        ],
        "dynamic": [
            {
                "path": d.site.path,
                "line": d.site.line,
                "fingerprint": d.fingerprint,
                "sql": d.sql,
                "count": d.count,
                "tests": list(d.tests),
                "stack": [[s.path, s.line] for s in d.stack],
            }
            for d in report.dynamic
        ],
        "errors": list(report.errors),
    }


def decode(data: Any) -> Report:
    """The inverse of `encode`; raises ReportError on anything else."""
    try:
        if data.get("version") != VERSION:
            raise ReportError(f"unsupported report version {data.get('version')!r}")
        states = tuple(
            FindingState(
                fingerprint=str(s["fingerprint"]),
                rule_id=str(s["rule_id"]),
                path=str(s["path"]),
                line=int(s["line"]),
                state=State(s["state"]),
                test=str(s["test"]),
                count=int(s["count"]),
                rows=int(s["rows"]),
            )
            for s in data["findings"]
        )
        dynamic = tuple(
            DynamicFinding(
                site=Site(str(d["path"]), int(d["line"])),
                fingerprint=str(d["fingerprint"]),
                sql=str(d["sql"]),
                count=int(d["count"]),
                tests=tuple(str(t) for t in d["tests"]),
                stack=tuple(Site(str(p), int(n)) for p, n in d["stack"]),
            )
            for d in data["dynamic"]
        )
        return Report(int(data["tests"]), states, dynamic, tuple(map(str, data["errors"])))
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise ReportError(f"malformed confirmation report: {error!r}") from error


def read(path: Path) -> Report:
    """Load a report file; ReportError with a one-line reason on failure."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReportError(f"cannot read {path}: {error.strerror or error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportError(f"{path} is not a JSON confirmation report: {error}") from error
    return decode(data)


def write(report: Report, path: Path) -> None:
    """Write the report atomically (temporary file in the same folder, then rename)."""
    text = json.dumps(encode(report), indent=2, sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".djreview-confirm-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass(frozen=True, slots=True)
class ProjectReport:
    """The run's confirmation report, read once (a `Project.analysis` kind).

    `report` is None when none is configured or it cannot be read (the run
    then notes why and goes on).
    """

    report: Report | None

    @classmethod
    def build(cls, project: Project) -> ProjectReport:
        """Read the report the config names, if any."""
        configured = project.config.confirmations
        if not configured:
            return cls(None)
        try:
            return cls(read(Path(configured)))
        except ReportError as error:
            project.notifications.append(Notification(configured, str(error)))
            return cls(None)
