"""Sharding a run over machines (`--shard K/N`) and merging the shards' SARIF logs.

Each file belongs to exactly one shard, chosen by a hash of its
project-relative path, so the partition is the same on every machine and
does not move when other files are added. Every shard still reads the whole
project (the index needs the models of every app), but runs the per-file rules
only on its own files; whole-project checks run in every shard and each
shard keeps the findings located in its own files. The union of the N shards'
findings is the unsharded run's.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_SHARD_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class ShardError(ValueError):
    """A malformed --shard value or unmergeable SARIF logs."""


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based) of `count`."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """Read 'K/N' with 1 <= K <= N, as CI matrices number their jobs."""
        match = _SHARD_RE.match(text)
        if match is None:
            raise ShardError(f"--shard takes K/N (for example 2/4), not {text!r}")
        index, count = int(match.group(1)), int(match.group(2))
        if not 1 <= index <= count:
            raise ShardError(f"--shard {text}: K must be between 1 and N")
        return cls(index, count)

    def owns(self, rel: str) -> bool:
        """Whether the file (or notification path) `rel` belongs to this shard."""
        raw = hashlib.blake2b(rel.encode("utf-8", "surrogateescape"), digest_size=8).digest()
        return int.from_bytes(raw, "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def _result_key(result: dict[str, Any]) -> tuple[str, int, int, str, str]:
    location = (result.get("locations") or [{}])[0].get("physicalLocation", {})
    region = location.get("region", {})
    return (
        location.get("artifactLocation", {}).get("uri", ""),
        int(region.get("startLine", 0)),
        int(region.get("startColumn", 0)),
        str(result.get("ruleId", "")),
        str(result.get("message", {}).get("text", "")),
    )


def _note_key(note: dict[str, Any]) -> tuple[str, str]:
    where = (note.get("locations") or [{}])[0].get("physicalLocation", {})
    uri = where.get("artifactLocation", {}).get("uri", "")
    return (str(uri), str(note.get("message", {}).get("text", "")))


def merge_sarif(logs: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """One SARIF log with one run from the single runs of several shards.

    Rules are united by id (results' ruleIndex re-pointed), results and
    notifications concatenated in the unsharded order, and the invocation is
    successful only when every shard's was.
    """
    runs = []
    top: dict[str, Any] = {}
    for log in logs:
        top = top or {key: value for key, value in log.items() if key != "runs"}
        if log.get("version") != "2.1.0" or len(log.get("runs") or []) != 1:
            raise ShardError("each input must be a SARIF 2.1.0 log with exactly one run")
        runs.append(log["runs"][0])
    if not runs:
        raise ShardError("no SARIF logs to merge")
    names = {run["tool"]["driver"].get("name") for run in runs}
    if len(names) != 1:
        raise ShardError(f"the logs come from different tools: {sorted(map(str, names))}")
    rules: dict[str, dict[str, Any]] = {}
    for run in runs:
        for rule in run["tool"]["driver"].get("rules", []):
            rules.setdefault(rule["id"], rule)
    ordered = [rules[key] for key in sorted(rules)]
    index = {rule["id"]: position for position, rule in enumerate(ordered)}
    results = []
    for run in runs:
        for result in run.get("results", []):
            merged = dict(result)
            if "ruleIndex" in merged and merged.get("ruleId") in index:
                merged["ruleIndex"] = index[merged["ruleId"]]
            results.append(merged)
    results.sort(key=_result_key)
    notes = [
        note
        for run in runs
        for inv in run.get("invocations", [])
        for note in inv.get("toolExecutionNotifications", [])
    ]
    notes.sort(key=_note_key)
    first = dict(runs[0])
    first["tool"] = {**first["tool"], "driver": {**first["tool"]["driver"], "rules": ordered}}
    invocation = dict((first.get("invocations") or [{}])[0])
    invocation["executionSuccessful"] = all(
        inv.get("executionSuccessful", True) for run in runs for inv in run.get("invocations", [])
    )
    invocation.pop("toolExecutionNotifications", None)
    if notes:
        invocation["toolExecutionNotifications"] = notes
    first["invocations"] = [invocation]
    first["results"] = results
    return {**top, "runs": [first]}
