"""Reviewing findings with a model: ask, validate, re-ask once, verify, retry once.

One conversation per finding, run concurrently (a semaphore bounds the
requests in flight). Every reply goes through the on-disk cache first. The
outcome is a `Review`; findings themselves are never changed here.
"""

from __future__ import annotations

import ast
import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from djreview.ai.cache import CachedReply, ReplyCache, cache_key
from djreview.ai.client import ModelClient, RequestFailed, estimate_tokens
from djreview.ai.context import finding_blocks, model_classes
from djreview.ai.prompts import (
    PROMPT_VERSION,
    SYSTEM,
    addresses_the_model,
    reask_invalid,
    reask_rejected,
    user_message,
)
from djreview.ai.reply_schema import InvalidReply, ProposedFix, Reply, parse_reply
from djreview.ai.usage import BudgetExhausted, Usage
from djreview.ai.verify import Rejected, Verified, Verifier
from djreview.model import Applicability, Edit, Finding, Fix
from djreview.source.file import SourceFile

Messages = list[dict[str, str]]
BUDGET_SPENT = "not reviewed: the AI budget is spent"
log = logging.getLogger("djreview")


@dataclass(frozen=True, slots=True)
class Review:
    """What the model said about one finding, and what djreview made of it."""

    finding: Finding
    model: str
    prompt_version: str
    verdict: str | None = None
    confidence: float | None = None
    reason: str = ""
    explanation: str = ""
    fix: Fix | None = None
    suggestion: str = ""
    rejected: str = ""
    error: str = ""
    steered: bool = False


class _Failed(Exception):
    """The conversation ended without a valid reply."""


@dataclass
class Reviewer:
    """Reviews findings of one run through one client, cache and budget."""

    client: ModelClient
    cache: ReplyCache
    usage: Usage
    verifier: Verifier
    semaphore: asyncio.Semaphore
    # One verification at a time: each re-analyses the whole project.
    verifying: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def _verify(self, finding: Finding, fix: ProposedFix) -> Verified:
        """Verify off the event loop, so replies in flight are read meanwhile."""
        async with self.verifying:
            try:
                return await asyncio.to_thread(self.verifier.verify, finding, fix)
            except Rejected:
                raise
            except Exception as exc:  # a crash while checking a patch must not end the run
                log.debug("verification crashed", exc_info=True)
                raise Rejected(
                    f"djreview could not check the patch ({exc.__class__.__name__})"
                ) from None

    async def _ask(self, messages: Messages) -> CachedReply:
        key = cache_key(self.client.model, PROMPT_VERSION, messages)
        cached = self.cache.get(key)
        if cached is not None:
            self.usage.record(cached, cached=True)
            return cached
        async with self.semaphore:
            self.usage.admit(estimate_tokens("".join(m["content"] for m in messages)))
            reply = await self.client.complete(messages)
        self.usage.record(reply, cached=False)
        self.cache.put(key, reply)
        return reply

    async def _valid(self, messages: Messages) -> tuple[Reply, Messages]:
        """A validated reply, re-asking once on an invalid one."""
        raw = await self._ask(messages)
        try:
            return parse_reply(raw.text), [*messages, _assistant(raw.text)]
        except InvalidReply as exc:
            messages = [*messages, _assistant(raw.text), _user(reask_invalid(str(exc)))]
        raw = await self._ask(messages)
        try:
            return parse_reply(raw.text), [*messages, _assistant(raw.text)]
        except InvalidReply as exc:
            raise _Failed(f"invalid reply twice: {exc}") from None

    async def review(
        self, finding: Finding, models: dict[str, tuple[SourceFile, ast.ClassDef]]
    ) -> Review:
        """The review of one finding; request failures become `Review.error`."""
        blocks = finding_blocks(self.verifier.project, finding, models)
        meta = self.verifier.registry.metas.get(finding.rule_id)
        base = Review(
            finding, self.client.model, PROMPT_VERSION, steered=addresses_the_model(blocks)
        )
        messages = [_system(SYSTEM), _user(user_message(finding, meta, blocks))]
        try:
            reply, messages = await self._valid(messages)
        except BudgetExhausted:
            return replace(base, error=BUDGET_SPENT)
        except (RequestFailed, _Failed) as exc:
            return replace(base, error=str(exc))
        review = replace(
            base,
            verdict=reply.verdict,
            confidence=reply.confidence,
            reason=reply.reason,
            explanation=reply.explanation,
        )
        if reply.fix is None or finding.fix is not None:
            return review
        return await self._patch(review, reply, messages)

    async def _patch(self, review: Review, reply: Reply, messages: Messages) -> Review:
        """Verify the proposed patch; on rejection, retry once with the reason."""
        finding = review.finding
        assert reply.fix is not None
        try:
            verified = await self._verify(finding, reply.fix)
        except Rejected as exc:
            first_problem = str(exc)
        else:
            return replace(review, fix=_as_fix(reply, verified.edits, review.model))
        try:
            retry, _ = await self._valid([*messages, _user(reask_rejected(first_problem))])
        except (BudgetExhausted, RequestFailed, _Failed):
            retry = reply
        if retry.fix is None or retry is reply:
            return replace(
                review, suggestion=self.verifier.preview(finding, reply.fix), rejected=first_problem
            )
        try:
            verified = await self._verify(finding, retry.fix)
        except Rejected as exc:
            return replace(
                review, suggestion=self.verifier.preview(finding, retry.fix), rejected=str(exc)
            )
        return replace(review, fix=_as_fix(retry, verified.edits, review.model))


def _as_fix(reply: Reply, edits: tuple[Edit, ...], model: str) -> Fix:
    assert reply.fix is not None
    return Fix(
        description=f"{reply.fix.description} (AI patch by {model}, verified by djreview)",
        edits=edits,
        # Model-written code may change behaviour beyond the finding.
        applicability=Applicability.UNSAFE,
    )


def _system(text: str) -> dict[str, str]:
    return {"role": "system", "content": text}


def _user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def _assistant(text: str) -> dict[str, str]:
    return {"role": "assistant", "content": text}


async def review_all(
    reviewer: Reviewer, findings: list[Finding], progress: Callable[[int], None]
) -> list[Review]:
    """Review findings concurrently, in the given order; `progress` gets the count done."""
    models = model_classes(reviewer.verifier.project)
    done = 0

    async def one(finding: Finding) -> Review:
        nonlocal done
        review = await reviewer.review(finding, models)
        done += 1
        progress(done)
        return review

    try:
        return list(await asyncio.gather(*(one(finding) for finding in findings)))
    finally:
        await reviewer.client.close()
