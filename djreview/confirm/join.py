"""Join static N+1 findings with what the tests showed: confirmed, refuted or static only.

- **confirmed**: a test issued the same query shape at least twice in one
  loop pass with the finding's per-row access (or the line it calls that
  queries) on the stack;
- **refuted**: no such repeat, but a test ran the finding's loop over at least
  two rows (model instances built while the loop line, the template
  ``{% for %}`` or the serializer's list pass was on the stack) — a likely
  false positive, or a cure djreview cannot see;
- **static only**: no test ran the loop with two rows or more.

Repeated reads that no static finding explains are **dynamic-only** findings,
reported at their innermost project place.
"""

from __future__ import annotations

import ast
import enum
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from djreview.confirm.observations import Repeat, TestRun
from djreview.confirm.sites import Site

# Related places whose rows show the loop ran (see djreview's N+1 messages).
_LOOP_WORDS = ("loop", "list view", "queryset")
_QUERYING_WORDS = ("the line that queries", "the resolver")
_WRITE_RULES = frozenset({"DJR105"})


class State(enum.StrEnum):
    """What the tests say about a static finding."""

    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    STATIC_ONLY = "static-only"


@dataclass(frozen=True, slots=True)
class StaticFinding:
    """The parts of a djreview JSON finding the join reads."""

    rule_id: str
    fingerprint: str
    path: str
    start_line: int
    access: tuple[Site, ...]
    loop: tuple[Site, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any], root: Path) -> StaticFinding:
        """Read one finding of `djreview check --format json`."""
        location = data["location"]
        path = str(location["path"])
        start, end = int(location["start_line"]), int(location["end_line"])
        access = [Site(path, line) for line in range(start, end + 1)]
        loop: list[Site] = []
        for related in data.get("related", ()):
            where = related["location"]
            site = Site(str(where["path"]), int(where["start_line"]))
            message = str(related.get("message", ""))
            if message.startswith(_QUERYING_WORDS):
                access.append(site)
            elif any(word in message for word in _LOOP_WORDS):
                loop.append(site)
        enclosing = _enclosing_class(root / path, start)
        if enclosing is not None:
            # A serializer's list pass counts its rows under the class line.
            loop.append(Site(path, enclosing))
        return cls(
            rule_id=str(data["rule_id"]),
            fingerprint=str(data["fingerprint"]),
            path=path,
            start_line=start,
            access=tuple(access),
            loop=tuple(loop),
        )


@dataclass(frozen=True, slots=True)
class Verdict:
    """One static finding's state, with the test and numbers that decided it."""

    finding: StaticFinding
    state: State
    test: str = ""
    count: int = 0
    rows: int = 0


@dataclass(frozen=True, slots=True)
class DynamicFinding:
    """A repeated read that no static finding explains."""

    site: Site
    fingerprint: str
    sql: str
    count: int
    tests: tuple[str, ...]
    stack: tuple[Site, ...]


@dataclass(frozen=True, slots=True)
class Joined:
    """The whole join: a verdict per static finding and the dynamic-only repeats."""

    verdicts: tuple[Verdict, ...]
    dynamic: tuple[DynamicFinding, ...]


def _explains(finding: StaticFinding, repeat: Repeat) -> bool:
    if not repeat.read and finding.rule_id not in _WRITE_RULES:
        return False
    stack = set(repeat.stack)
    return any(site in stack for site in finding.access)


def _verdict(finding: StaticFinding, runs: Iterable[TestRun]) -> Verdict:
    best_refutation: Verdict | None = None
    for run in runs:
        for repeat in run.repeats:
            if _explains(finding, repeat):
                return Verdict(finding, State.CONFIRMED, run.test, repeat.count)
        if best_refutation is None:
            rows = dict(run.rows)
            most = max((rows.get(site, 0) for site in finding.loop), default=0)
            if most >= 2:
                best_refutation = Verdict(finding, State.REFUTED, run.test, 0, most)
    return best_refutation or Verdict(finding, State.STATIC_ONLY)


def join(findings: Iterable[StaticFinding], runs: Iterable[TestRun]) -> Joined:
    """Verdicts for every static finding, and the repeats none of them explains."""
    run_list = list(runs)
    finding_list = list(findings)
    verdicts = tuple(_verdict(finding, run_list) for finding in finding_list)
    unexplained: dict[tuple[str, Site], list[Repeat]] = {}
    for run in run_list:
        for repeat in run.repeats:
            if not repeat.read or any(_explains(f, repeat) for f in finding_list):
                continue
            unexplained.setdefault((repeat.fingerprint, repeat.call_site), []).append(repeat)
    dynamic = tuple(
        DynamicFinding(
            site=site,
            fingerprint=shape,
            sql=repeats[0].sql,
            count=max(r.count for r in repeats),
            tests=tuple(dict.fromkeys(r.test for r in repeats)),
            stack=repeats[0].stack,
        )
        for (shape, site), repeats in sorted(unexplained.items(), key=lambda item: item[0][1])
    )
    return Joined(verdicts, dynamic)


def _enclosing_class(path: Path, line: int) -> int | None:
    """The line of the innermost class whose body holds `line` (Python files only)."""
    spans = _class_spans(path) if path.suffix == ".py" else ()
    inside = [start for start, end in spans if start <= line <= end]
    return max(inside) if inside else None


@functools.lru_cache(maxsize=256)
def _class_spans(path: Path) -> tuple[tuple[int, int], ...]:
    """(first, last) line of every class of a module, parsed once per pytest process."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return ()
    return tuple(
        (node.lineno, node.end_lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and node.end_lineno is not None
    )
