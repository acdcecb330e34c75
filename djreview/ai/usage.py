"""Counting requests, cache hits, tokens and money; enforcing the budget."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from djreview.ai.cache import CachedReply

if TYPE_CHECKING:
    from djreview.ai.client import Traffic


class BudgetExhausted(Exception):
    """The next request would go past the token or money budget."""


@dataclass
class Usage:
    """What the AI step spent (requests made) and saved (cache hits) in one run."""

    price: tuple[float, float] | None = None
    budget_tokens: int | None = None
    budget_usd: float | None = None
    requests: int = 0
    cache_hits: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    saved_in: int = 0
    saved_out: int = 0
    stopped: bool = False

    def _cost(self, tokens_in: int, tokens_out: int) -> float | None:
        if self.price is None:
            return None
        return (tokens_in * self.price[0] + tokens_out * self.price[1]) / 1_000_000

    @property
    def cost(self) -> float | None:
        """Estimated USD spent, or None when the model's price is unknown."""
        return self._cost(self.tokens_in, self.tokens_out)

    def admit(self, estimated_in: int) -> None:
        """Allow one more request of about `estimated_in` prompt tokens, or stop for good."""
        if self.stopped:
            raise BudgetExhausted
        spent = self.tokens_in + self.tokens_out
        over_tokens = self.budget_tokens is not None and spent + estimated_in > self.budget_tokens
        cost = self._cost(self.tokens_in + estimated_in, self.tokens_out)
        over_money = self.budget_usd is not None and cost is not None and cost > self.budget_usd
        if over_tokens or over_money:
            self.stopped = True
            raise BudgetExhausted

    def record(self, reply: CachedReply, *, cached: bool) -> None:
        """Count one reply, from the endpoint or from the cache."""
        if cached:
            self.cache_hits += 1
            self.saved_in += reply.tokens_in
            self.saved_out += reply.tokens_out
        else:
            self.requests += 1
            self.tokens_in += reply.tokens_in
            self.tokens_out += reply.tokens_out

    def summary(self, traffic: Traffic | None = None) -> str:
        """The numbers of the closing line: every attempt made, not only the answered ones."""
        cost = self.cost
        money = "cost unknown (no price for this model)" if cost is None else f"est. ${cost:.4f}"
        sent = f"{self.requests} requests"
        if traffic is not None and traffic.attempts:
            details = [f"{self.requests} answered"]
            if traffic.timeouts:
                details.append(f"{traffic.timeouts} timed out")
            if traffic.retries:
                details.append(f"{traffic.retries} retries")
            if traffic.format_refusals:
                details.append(f"{traffic.format_refusals} format refusals")
            if traffic.cut_off:
                details.append(f"{traffic.cut_off} cut off at max-tokens")
            sent = f"{traffic.attempts} requests ({', '.join(details)})"
            rate = traffic.rate()
            if rate is not None:
                money += f", {rate:.1f} tokens/s"
        text = (
            f"{sent}, {self.cache_hits} cache hits, "
            f"{self.tokens_in:,} tokens in / {self.tokens_out:,} out, {money}"
        )
        if self.cache_hits:
            text += f"; the cache saved {self.saved_in + self.saved_out:,} tokens"
        return text
