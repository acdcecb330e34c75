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
from djreview.ai.client import (
    ContextTooLong,
    ModelClient,
    ReplyCutOff,
    RequestFailed,
    estimate_tokens,
)
from djreview.ai.context import CodeBlock, finding_blocks, model_classes, scope_block
from djreview.ai.fit import DEFAULT_CHARS_PER_TOKEN, DoesNotFit, Fitted, Room, fit, size
from djreview.ai.prompts import (
    MAX_DOCS_CHARS,
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
    fix_diff: str = ""
    suggestion: str = ""
    rejected: str = ""
    # Why the reply's patch was dropped before verification (malformed, wrong verdict).
    patch_dropped: str = ""
    error: str = ""
    not_sent: bool = False
    trimmed: tuple[str, ...] = ()
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
    instructions_in_user: bool = False
    verify_patches: bool = True
    # One verification at a time: each re-runs the rules on the patched project.
    verifying: asyncio.Lock = field(default_factory=asyncio.Lock)
    # The most tokens per character seen in a reply's usage, as characters per token.
    chars_per_token: float = DEFAULT_CHARS_PER_TOKEN

    @property
    def room(self) -> Room | None:
        """The prompt room on this server, when its context is known."""
        context = self.client.context
        return Room(context, self.client.max_tokens) if context else None

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

    async def _ask(self, messages: Messages) -> tuple[CachedReply, str, bool]:
        """The reply (from the cache or the endpoint), its cache key, and whether it is new."""
        key = cache_key(self.client.model, PROMPT_VERSION, messages)
        cached = self.cache.get(key)
        if cached is not None:
            self.usage.record(cached, cached=True)
            return cached, key, False
        async with self.semaphore:
            self.usage.admit(estimate_tokens("".join(m["content"] for m in messages)))
            try:
                reply = await self.client.complete(messages)
            except ReplyCutOff as exc:  # unusable, but its tokens were spent
                self.usage.record(exc.spent, cached=False)
                raise
        self.usage.record(reply, cached=False)
        chars = sum(len(m["content"]) for m in messages)
        if reply.tokens_in > 0 and chars > 0:
            self.chars_per_token = min(self.chars_per_token, chars / reply.tokens_in)
        return reply, key, True

    def _followup(self, messages: Messages, answer: str, note: str) -> Messages:
        """The conversation plus the model's answer and `note`; compacted when it cannot fit.

        Compact: the opening messages with `note` appended to the user's prompt, so roles
        still alternate (some chat templates insist) and no earlier reply is repeated.
        """
        full = [*messages, _assistant(answer), _user(note)]
        room = self.room
        if room is None or size(full, self.chars_per_token) <= room.tokens:
            return full
        opening = messages[: 2 if messages[0]["role"] == "system" else 1]
        head, last = opening[:-1], opening[-1]
        compact = [*head, _user(f"{last['content']}\n\n{note}")]
        if size(compact, self.chars_per_token) > room.tokens:
            raise _Failed("the follow-up question does not fit the server's context")
        return compact

    async def _valid(self, messages: Messages) -> tuple[Reply, Messages]:
        """A validated reply, re-asking once on an invalid one; only valid replies are cached."""
        raw, key, new = await self._ask(messages)
        try:
            parsed = parse_reply(raw.text)
        except InvalidReply as exc:
            messages = self._followup(messages, raw.text, reask_invalid(str(exc)))
        else:
            if new:
                self.cache.put(key, raw)
            return parsed, [*messages, _assistant(raw.text)]
        raw, key, new = await self._ask(messages)
        try:
            parsed = parse_reply(raw.text)
        except InvalidReply as exc:
            raise _Failed(f"invalid reply twice: {exc}") from None
        if new:
            self.cache.put(key, raw)
        return parsed, [*messages, _assistant(raw.text)]

    def opening(self, finding: Finding, blocks: list[CodeBlock]) -> Fitted:
        """The fitted opening messages for a finding; raise DoesNotFit."""
        meta = self.verifier.registry.metas.get(finding.rule_id)
        file = self.verifier.project.by_rel.get(finding.location.path)

        def narrow(radius: int) -> CodeBlock | None:
            return scope_block(file, finding.location, radius) if file is not None else None

        return fit(
            finding,
            meta,
            blocks,
            system=SYSTEM,
            render=user_message,
            narrow=narrow,
            room=self.room,
            chars_per_token=self.chars_per_token,
            instructions_in_user=self.instructions_in_user,
            docs_chars=MAX_DOCS_CHARS,
        )

    async def review(
        self, finding: Finding, models: dict[str, tuple[SourceFile, ast.ClassDef]]
    ) -> Review:
        """The review of one finding; request failures become `Review.error`."""
        blocks = finding_blocks(self.verifier.project, finding, models)
        base = Review(
            finding, self.client.model, PROMPT_VERSION, steered=addresses_the_model(blocks)
        )
        reply: Reply | None = None
        for _ in range(2):  # a second time only when the server told its context size
            try:
                opening = self.opening(finding, blocks)
            except DoesNotFit as exc:
                return replace(base, error=str(exc), not_sent=True)
            base = replace(base, trimmed=opening.trimmed)
            known = self.client.context
            try:
                reply, messages = await self._valid(opening.messages)
                break
            except BudgetExhausted:
                return replace(base, error=BUDGET_SPENT)
            except ContextTooLong as exc:
                if exc.prompt_tokens:  # the server counted: fit with its tokenizer's density
                    chars = sum(len(m["content"]) for m in opening.messages)
                    self.chars_per_token = min(self.chars_per_token, chars / exc.prompt_tokens)
                if exc.context is None or exc.context == known:
                    return replace(base, error=str(exc))
            except (RequestFailed, _Failed) as exc:
                return replace(base, error=str(exc))
        if reply is None:
            return replace(base, error="context too long twice")
        review = replace(
            base,
            verdict=reply.verdict,
            confidence=reply.confidence,
            reason=reply.reason,
            explanation=reply.explanation,
            patch_dropped=reply.fix_dropped,
        )
        if reply.fix is None:
            return review
        if finding.fix is not None:
            return replace(review, patch_dropped="djreview has its own fix for this finding")
        if not self.verify_patches:
            return replace(review, patch_dropped="not verified (a calibration twin)")
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
            return _accepted(review, reply, verified)
        try:
            note = reask_rejected(first_problem)
            followup = self._followup(messages[:-1], messages[-1]["content"], note)
            retry, _ = await self._valid(followup)
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
        return _accepted(review, retry, verified)


def _accepted(review: Review, reply: Reply, verified: Verified) -> Review:
    return replace(review, fix=_as_fix(reply, verified.edits, review.model), fix_diff=verified.diff)


def _as_fix(reply: Reply, edits: tuple[Edit, ...], model: str) -> Fix:
    assert reply.fix is not None
    return Fix(
        description=f"{reply.fix.description} (AI patch by {model}, verified by djreview)",
        edits=edits,
        # Model-written code may change behaviour beyond the finding.
        applicability=Applicability.UNSAFE,
    )


def _user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def _assistant(text: str) -> dict[str, str]:
    return {"role": "assistant", "content": text}


async def review_all(
    reviewer: Reviewer,
    findings: list[Finding],
    progress: Callable[[int], None],
    *,
    close: bool = True,
) -> list[Review]:
    """Review findings concurrently, in the given order; `progress` gets the count done.

    The client's connections are closed at the end unless `close` is false.
    """
    models = model_classes(reviewer.verifier.project)
    await reviewer.client.discover()
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
        if close:
            await reviewer.client.close()
