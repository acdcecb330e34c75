"""The AI step of a run, as the command line calls it: pick findings, review, annotate, report."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from djreview.ai.annotate import annotate, hidden
from djreview.ai.cache import ReplyCache
from djreview.ai.client import ModelClient
from djreview.ai.review import BUDGET_SPENT, Review, Reviewer, review_all
from djreview.ai.settings import AISettings
from djreview.ai.usage import Usage
from djreview.ai.verify import Verifier
from djreview.engine.runner import RunResult
from djreview.model import Finding


@dataclass
class AIOutcome:
    """The annotated findings, the reviews behind them and the closing line."""

    findings: list[Finding]
    reviews: list[Review] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    closing: str = ""


def chosen(findings: list[Finding], limit: int) -> tuple[list[Finding], int]:
    """The findings to send (unsuppressed, most severe first) and how many were left out."""
    active = [finding for finding in findings if not finding.suppressed]
    active.sort(key=lambda f: -f.severity.rank)
    return active[:limit], max(len(active) - limit, 0)


def _progress(total: int) -> Callable[[int], None]:
    if not sys.stderr.isatty():
        return lambda done: None

    def show(done: int) -> None:
        filled = int(30 * done / total) if total else 30
        end = "\n" if done == total else ""
        sys.stderr.write(f"\rAI review [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}{end}")
        sys.stderr.flush()

    return show


def _closing(settings: AISettings, reviews: list[Review], usage: Usage, left_out: int) -> str:
    fixes = sum(1 for review in reviews if review.fix is not None)
    unverified = sum(1 for review in reviews if review.suggestion)
    not_reviewed = sum(1 for review in reviews if review.error == BUDGET_SPENT)
    failed = sum(1 for review in reviews if review.error and review.error != BUDGET_SPENT)
    where = settings.base_url or "api.openai.com"
    parts = [
        f"AI review ({settings.model} at {where}): {len(reviews)} findings sent",
        usage.summary(),
        f"{fixes} verified fix{'es' if fixes != 1 else ''}, {unverified} unverified suggestions",
    ]
    if settings.hide_false_positives:
        hidden_count = sum(1 for review in reviews if hidden(review))
        parts.append(f"{hidden_count} hidden as false positives")
    if failed:
        parts.append(f"{failed} failed")
    if left_out:
        parts.append(f"{left_out} not sent (max-findings {settings.max_findings})")
    if usage.stopped:
        parts.append(
            f"budget reached: {not_reviewed} findings not reviewed, no further requests made"
        )
    return "; ".join(parts) + "."


def review_run(result: RunResult, settings: AISettings, findings: list[Finding]) -> AIOutcome:
    """Review `findings` (the run's, maybe narrowed); with no endpoint, say what to set.

    Verification compares against every finding of the run, not just `findings`.
    """
    missing = settings.missing()
    if missing:
        return AIOutcome(findings, closing=f"AI review skipped: {missing}.")
    selected, left_out = chosen(findings, settings.max_findings)
    usage = Usage(settings.price(), settings.budget_tokens, settings.budget_usd)
    verifier = Verifier(result.project, result.registry, result.rules, result.findings)

    async def go() -> list[Review]:
        reviewer = Reviewer(
            ModelClient(settings),
            ReplyCache(settings.cache_dir),
            usage,
            verifier,
            asyncio.Semaphore(settings.concurrency),
        )
        return await review_all(reviewer, selected, _progress(len(selected)))

    reviews = asyncio.run(go()) if selected else []
    annotated = annotate(findings, reviews, hide_false_positives=settings.hide_false_positives)
    return AIOutcome(annotated, reviews, usage, _closing(settings, reviews, usage, left_out))
