"""The AI step of a run, as the command line calls it: pick findings, review, annotate, report."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from djreview.ai.annotate import annotate, hidden
from djreview.ai.cache import ReplyCache
from djreview.ai.calibration_note import calibration_note
from djreview.ai.capabilities import EndpointMemory
from djreview.ai.client import ModelClient, Traffic
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


def _progress(total: int, traffic: Traffic) -> Callable[[int], None]:
    if not sys.stderr.isatty():
        return lambda done: None

    def show(done: int) -> None:
        filled = int(30 * done / total) if total else 30
        end = "\n" if done == total else ""
        rate = traffic.rate()
        speed = f", {rate:.1f} tokens/s" if rate is not None else ""
        bar = f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}{speed}"
        sys.stderr.write(f"\rAI review {bar}{end}")
        sys.stderr.flush()

    return show


def _closing(
    settings: AISettings, client: ModelClient, reviews: list[Review], usage: Usage, left_out: int
) -> str:
    fixes = sum(1 for review in reviews if review.fix is not None)
    unverified = sum(1 for review in reviews if review.suggestion)
    not_reviewed = sum(1 for review in reviews if review.error == BUDGET_SPENT)
    not_sent = sum(1 for review in reviews if review.not_sent)
    failed = sum(
        1
        for review in reviews
        if review.error and review.error != BUDGET_SPENT and not review.not_sent
    )
    where = settings.base_url or "api.openai.com"
    server = [f"format {client.mode}"]
    if client.context:
        server.append(f"context {client.context:,} tokens")
    parts = [
        f"AI review ({settings.model} at {where}; {', '.join(server)}): "
        f"{len(reviews) - not_sent} findings sent",
        usage.summary(client.traffic),
        f"{fixes} verified fix{'es' if fixes != 1 else ''}, {unverified} unverified suggestions",
    ]
    if not_sent:
        parts.append(f"{not_sent} not sent (too large for the server's context)")
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
    parts.append(calibration_note(client.learned.calibration, settings.hide_false_positives))
    return "; ".join(parts) + "."


def review_run(result: RunResult, settings: AISettings, findings: list[Finding]) -> AIOutcome:
    """Review `findings` (the run's, maybe narrowed); with no endpoint, say what to set.

    Verification compares against every finding of the run, not just `findings`.
    """
    missing = settings.missing()
    if missing:
        return AIOutcome(findings, closing=f"AI review skipped: {missing}.")
    selected, left_out = chosen(findings, settings.max_findings)
    if settings.batch:
        from djreview.ai.batch import submit

        return AIOutcome(findings, closing=submit(settings, result, selected))
    usage = Usage(settings.price(), settings.budget_tokens, settings.budget_usd)
    verifier = Verifier(result.project, result.registry, result.rules, result.findings)

    memory = EndpointMemory(settings.cache_dir, settings.base_url, settings.model)
    client = ModelClient(settings, memory)

    async def go() -> list[Review]:
        reviewer = Reviewer(
            client,
            ReplyCache(settings.cache_dir),
            usage,
            verifier,
            asyncio.Semaphore(settings.effective_concurrency),
            instructions_in_user=settings.instructions_in_user,
        )
        return await review_all(reviewer, selected, _progress(len(selected), client.traffic))

    reviews = asyncio.run(go()) if selected else []
    annotated = annotate(
        findings,
        reviews,
        hide_false_positives=settings.hide_false_positives,
        calibration=calibration_note(client.learned.calibration, False),
    )
    closing = _closing(settings, client, reviews, usage, left_out)
    return AIOutcome(annotated, reviews, usage, closing)
