"""Baselines: accept today's findings, report only the new ones.

`djreview check --write-baseline FILE` records the fingerprint of every
unsuppressed finding; `--baseline FILE` then marks findings whose fingerprint
is in it as known. Fingerprints (djreview/engine/fingerprint.py) hash the rule,
the path, the normalised code and an occurrence count, never the line number:
a known finding survives lines added above it, and a second identical finding
in the same file gets a fingerprint of its own, so one known finding never
hides a new one of the same rule.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from djreview import __version__
from djreview.model import Finding

BASELINE_VERSION = 1


class BaselineError(Exception):
    """The baseline file is missing, unreadable or not a djreview baseline."""


@dataclass(frozen=True)
class Baseline:
    """The fingerprints a team has accepted."""

    fingerprints: frozenset[str]


def render(findings: Iterable[Finding]) -> str:
    """A baseline file's text: every unsuppressed finding, sorted, one per entry.

    Rule, path and message are written beside the fingerprint so a reviewer
    can read what the baseline accepts; only the fingerprint is matched.
    """
    entries = sorted(
        (
            {
                "fingerprint": finding.fingerprint,
                "rule_id": finding.rule_id,
                "path": finding.location.path,
                "message": finding.message,
            }
            for finding in findings
            if not finding.suppressed
        ),
        key=lambda entry: (entry["path"], entry["rule_id"], entry["fingerprint"]),
    )
    payload = {"version": BASELINE_VERSION, "tool": f"djreview {__version__}", "findings": entries}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def load(path: Path) -> Baseline:
    """Read a baseline written by `render`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"baseline {path} is not JSON: {exc}") from exc
    if (
        not isinstance(data, dict)
        or data.get("version") != BASELINE_VERSION
        or not isinstance(data.get("findings"), list)
    ):
        raise BaselineError(f"{path} is not a djreview baseline (version {BASELINE_VERSION})")
    fingerprints = set()
    for entry in data["findings"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise BaselineError(f"baseline {path}: every finding needs a string fingerprint")
        fingerprints.add(entry["fingerprint"])
    return Baseline(frozenset(fingerprints))
