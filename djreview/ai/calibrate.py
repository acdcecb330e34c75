"""Trust figures for a model: its verdicts on labelled cases whose truth is known.

The labelled set is the fixture projects djreview ships (`fixtures/*`):
each planted defect is marked by a `# planted: <kind> — <text> [<case>]`
comment (`{# ... #}` in templates) on the line above it, and its clean twin,
the same code done right, by `# twin: ... [<case>]`. djreview analyses the
fixture; a finding on a planted line is a true defect, and the same finding
moved to the twin's line is a false one (djreview itself does not flag
twins). The model reviews both through the normal path (markers withheld
from the prompt, see `labels`), and the figures say how often its verdict
agrees: true_positive on defects, false_positive on twins.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from djreview.ai.cache import ReplyCache
from djreview.ai.capabilities import EndpointMemory
from djreview.ai.client import ModelClient
from djreview.ai.review import Review, Reviewer, review_all
from djreview.ai.settings import AISettings
from djreview.ai.usage import Usage
from djreview.ai.verify import Verifier
from djreview.engine.runner import RunResult
from djreview.model import Finding, Location

MARKER = re.compile(
    r"(?:#|\{#)\s*(?P<role>planted|twin): (?P<kind>\S+) — (?P<text>.*?) \[(?P<case>\w+)\]"
)
SOURCE_SUFFIXES = (".py", ".html")


@dataclass(frozen=True, slots=True)
class Marker:
    """One planted-defect or twin comment; `line` is the marked code's (the next line)."""

    role: str
    kind: str
    case: str
    path: Path
    line: int


def markers(fixture: Path) -> Iterator[Marker]:
    """Every marker in a fixture's Python and template files."""
    for path in sorted(fixture.rglob("*")):
        if path.suffix not in SOURCE_SUFFIXES or "__pycache__" in path.parts:
            continue
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = MARKER.search(text)
            if match:
                yield Marker(
                    match["role"], match["kind"], match["case"], path.resolve(), number + 1
                )


def default_fixtures() -> list[Path]:
    """The fixture projects beside the djreview package (a source checkout)."""
    root = Path(__file__).resolve().parents[2] / "fixtures"
    return sorted(p for p in root.iterdir() if (p / "PLANTED.md").exists()) if root.is_dir() else []


@dataclass(frozen=True, slots=True)
class Case:
    """A finding to review and the verdict that is right for it."""

    finding: Finding
    planted: bool
    case: str


def _at(result: RunResult, marker: Marker) -> Finding | None:
    for finding in result.findings:
        location = finding.location
        here = (result.project.root / location.path).resolve()
        end = max(location.end_line, location.start_line)
        if here == marker.path and location.start_line <= marker.line <= end:
            return finding
    return None


def _twin(planted: Finding, result: RunResult, marker: Marker) -> Finding:
    rel = marker.path.relative_to(result.project.root.resolve()).as_posix()
    return dataclasses.replace(
        planted,
        location=Location(rel, marker.line, 1, marker.line, 1),
        related=(),
        flow=(),
        fix=None,
        fingerprint=f"twin:{rel}:{marker.line}:{planted.rule_id}",
        properties=(),
    )


def cases(
    result: RunResult, fixture: Path, limit: int | None, rules: frozenset[str] | None = None
) -> list[Case]:
    """The planted findings of a fixture and their twins, at most `limit` of each kind.

    With `rules`, only the findings of those rule ids (and their twins).
    """
    found = list(markers(fixture))
    planted: dict[str, Finding] = {}
    defects: list[Case] = []
    for marker in found:
        finding = _at(result, marker) if marker.role == "planted" else None
        if finding is not None and rules is not None and finding.rule_id not in rules:
            continue
        if finding is not None and not finding.suppressed:
            planted.setdefault(marker.case, finding)
            defects.append(Case(finding, True, marker.case))
    twins = [
        Case(_twin(planted[m.case], result, m), False, m.case)
        for m in found
        if m.role == "twin" and m.case in planted
    ]
    # Cases that have a twin first, so a limit keeps pairs.
    paired = {case.case for case in twins}
    defects.sort(key=lambda case: case.case not in paired)
    return defects[:limit] + twins[:limit]


def _agrees(review: Review, planted: bool) -> bool:
    return review.verdict == ("true_positive" if planted else "false_positive")


def figures(
    reviews: list[Review], labelled: list[Case], usage: Usage, wall: float
) -> dict[str, Any]:
    """The trust figures of one calibration run."""
    pairs = list(zip(labelled, reviews, strict=True))
    defects = [review for case, review in pairs if case.planted]
    twins = [review for case, review in pairs if not case.planted]
    sent = [review for review in reviews if not review.not_sent]
    proposed = [r for r in defects if r.fix is not None or r.suggestion]
    count = max(len(sent), 1)
    return {
        "when": date.today().isoformat(),
        "cases": len(labelled),
        "defects": len(defects),
        "defects_agree": sum(_agrees(r, True) for r in defects),
        "defects_called_false_positive": sum(r.verdict == "false_positive" for r in defects),
        "defects_uncertain": sum(r.verdict == "uncertain" for r in defects),
        "twins": len(twins),
        "twins_agree": sum(_agrees(r, False) for r in twins),
        "twins_called_true_positive": sum(r.verdict == "true_positive" for r in twins),
        "replies_valid": sum(r.verdict is not None for r in sent),
        "sent": len(sent),
        "not_sent": len(reviews) - len(sent),
        "patches_proposed": len(proposed),
        "patches_verified": sum(r.fix is not None for r in defects),
        "tokens_per_finding": round((usage.tokens_in + usage.tokens_out) / count),
        "seconds_per_finding": round(wall / count, 1),
    }


def calibrate(
    settings: AISettings, labelled: list[Case], result: RunResult
) -> tuple[dict[str, Any], list[Review], ModelClient]:
    """Review every case with the configured model; store and return the figures."""
    memory = EndpointMemory(settings.cache_dir, settings.base_url, settings.model)
    client = ModelClient(settings, memory)
    usage = Usage(settings.price())
    verifier = Verifier(result.project, result.registry, result.rules, result.findings)
    started = time.monotonic()

    async def go() -> list[Review]:
        reviewer = Reviewer(
            client,
            ReplyCache(settings.cache_dir),
            usage,
            verifier,
            asyncio.Semaphore(settings.effective_concurrency),
            instructions_in_user=settings.instructions_in_user,
        )
        defects = [case.finding for case in labelled if case.planted]
        twins = [case.finding for case in labelled if not case.planted]
        # Twins are not djreview's findings: their patches are not verified.
        found = await review_all(reviewer, defects, lambda done: None, close=False)
        reviewer.verify_patches = False
        return found + await review_all(reviewer, twins, lambda done: None)

    reviews = asyncio.run(go())
    result_figures = figures(reviews, labelled, usage, time.monotonic() - started)
    rate = client.traffic.rate()
    result_figures["tokens_per_second"] = round(rate, 2) if rate else None
    result_figures["format"] = client.mode
    result_figures["context"] = client.context
    return result_figures, reviews, client


_AVERAGES = ("tokens_per_finding", "seconds_per_finding")


def combined(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of several fixtures as one (counts added, per-finding figures weighted)."""
    total = dict(parts[0])
    for part in parts[1:]:
        for key, value in part.items():
            if isinstance(value, int) and key not in ("context",) and key not in _AVERAGES:
                total[key] = total.get(key, 0) + value
    sent = sum(part["sent"] for part in parts) or 1
    for key in _AVERAGES:
        total[key] = round(sum(part[key] * part["sent"] for part in parts) / sent, 1)
    return total


def store(settings: AISettings, figures: dict[str, Any]) -> None:
    """Keep the calibration with the endpoint's memory, for every later report to name."""
    memory = EndpointMemory(settings.cache_dir, settings.base_url, settings.model)
    memory.save(dataclasses.replace(memory.load(), calibration=figures))
