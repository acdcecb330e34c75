"""Fitting a finding's prompt into the server's context window, trimming in a stated order.

The room is the server's context minus `max_tokens` for the reply and a small
margin. Prompt sizes are estimated from characters with the most
tokens-per-character ratio seen in this run's replies (3 characters a token
until a reply says otherwise: code tokenizes densely). When the prompt is
too big, context goes in this order, each step only while still too big:

1. the rule documentation, cut to its first 600 characters, then dropped;
2. the model classes, the last one first;
3. the related locations and flow steps, the last one first;
4. the flagged scope, narrowed to 12 lines either side of the flagged lines,
   then to 4.

A prompt that still does not fit is not sent, and the review says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from djreview.ai.context import CodeBlock
from djreview.model import Finding, RuleMeta

Messages = list[dict[str, str]]
MARGIN_TOKENS = 48
DEFAULT_CHARS_PER_TOKEN = 3.0
SHORT_DOCS = 600
SCOPE_RADII = (12, 4)


class DoesNotFit(Exception):
    """Even the smallest prompt for the finding is larger than the room; says by how much."""


def chat(system: str, user: str, *, instructions_in_user: bool) -> Messages:
    """The opening messages: a system message, or everything in the user message."""
    if instructions_in_user:
        return [{"role": "user", "content": f"{system}\n\n{user}"}]
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def size(messages: Messages, chars_per_token: float) -> int:
    """Estimated prompt tokens of a conversation (a few tokens per message for the template)."""
    chars = sum(len(message["content"]) for message in messages)
    return int(chars / chars_per_token) + 8 * len(messages)


@dataclass(frozen=True, slots=True)
class Fitted:
    """The messages to send and what was trimmed to fit (empty when nothing was)."""

    messages: Messages
    trimmed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Room:
    """How much prompt fits: the server's context less the reply's room."""

    context: int
    max_tokens: int

    @property
    def tokens(self) -> int:
        """Prompt tokens that fit."""
        return self.context - self.max_tokens - MARGIN_TOKENS


Render = Callable[[Finding, RuleMeta | None, list[CodeBlock], int], str]


def fit(
    finding: Finding,
    meta: RuleMeta | None,
    blocks: list[CodeBlock],
    *,
    system: str,
    render: Render,
    narrow: Callable[[int], CodeBlock | None],
    room: Room | None,
    chars_per_token: float,
    instructions_in_user: bool,
    docs_chars: int,
) -> Fitted:
    """The largest prompt that fits `room` (all of it when the room is unknown)."""

    def messages(kept: list[CodeBlock], docs: int) -> Messages:
        user = render(finding, meta, kept, docs)
        return chat(system, user, instructions_in_user=instructions_in_user)

    whole = messages(blocks, docs_chars)
    if room is None or size(whole, chars_per_token) <= room.tokens:
        return Fitted(whole, ())
    trimmed: list[str] = []
    docs = docs_chars
    kept = list(blocks)
    steps: list[Callable[[], str | None]] = []

    def shorter_docs(limit: int) -> Callable[[], str | None]:
        def step() -> str | None:
            nonlocal docs
            if docs <= limit:
                return None
            docs = limit
            return "rule documentation shortened" if limit else "rule documentation dropped"

        return step

    def drop(models: bool) -> Callable[[], str | None]:
        def step() -> str | None:
            for index in range(len(kept) - 1, 0, -1):  # the flagged scope (0) stays
                if kept[index].title.startswith("model ") == models:
                    return f"{kept.pop(index).title} dropped"
            return None

        return step

    def narrower(radius: int) -> Callable[[], str | None]:
        def step() -> str | None:
            block = narrow(radius)
            if block is None or not kept or len(block.text) >= len(kept[0].text):
                return None
            kept[0] = block
            return f"flagged scope narrowed to {radius} lines either side"

        return step

    steps += [shorter_docs(SHORT_DOCS), shorter_docs(0)]
    steps += [drop(True)] * sum(1 for b in blocks if b.title.startswith("model "))
    steps += [drop(False)] * len(blocks)
    steps += [narrower(radius) for radius in SCOPE_RADII]
    for step in steps:
        done = step()
        if done is None:
            continue
        trimmed.append(done)
        attempt = messages(kept, docs)
        if size(attempt, chars_per_token) <= room.tokens:
            return Fitted(attempt, tuple(trimmed))
    need = size(messages(kept, docs), chars_per_token)
    raise DoesNotFit(
        f"not sent: even trimmed, the prompt needs about {need:,} tokens and the server's "
        f"context of {room.context:,} leaves {room.tokens:,} after {room.max_tokens:,} for the "
        "reply; start the server with a larger context or lower --ai-max-tokens"
    )
