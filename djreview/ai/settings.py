"""The AI step's settings: `[tool.djreview.ai]`, then the environment, then the command line.

The API key itself is never read from a file: the table names the environment
variable that holds it (`api-key-env`, default `OPENAI_API_KEY`).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from djreview.ai.capabilities import is_local
from djreview.config import ConfigError

DEFAULT_MODEL = "gpt-4o-mini"
# USD per million tokens (input, output), from the providers' price pages when
# this table was written; override or extend with [tool.djreview.ai.prices].
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}

_KEYS = {
    "enabled",
    "model",
    "base-url",
    "api-key-env",
    "max-findings",
    "concurrency",
    "timeout",
    "max-retries",
    "budget-tokens",
    "budget-usd",
    "prices",
    "cache-dir",
    "hide-false-positives",
    "max-tokens",
    "instructions-in-user",
    "batch",
}

# Remote endpoints answer in seconds and shed load with 429s; a CPU server on
# this machine generates a few tokens a second, one request at a time, and a
# request that timed out is still being computed there.
REMOTE_DEFAULTS = (4, 60.0, 2)  # concurrency, timeout (s), retries
LOCAL_DEFAULTS = (1, 900.0, 1)


@dataclass(frozen=True)
class AISettings:
    """Everything that shapes the AI step of one run."""

    enabled: bool = False
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    max_findings: int = 20
    # None: chosen by endpoint (LOCAL_DEFAULTS for 127.0.0.1/localhost, else REMOTE_DEFAULTS).
    concurrency: int | None = None
    timeout: float | None = None
    max_retries: int | None = None
    max_tokens: int = 1024
    instructions_in_user: bool = False
    # Submit through the Batch API instead of asking now (`djreview ai collect` fetches).
    batch: bool = False
    budget_tokens: int | None = None
    budget_usd: float | None = None
    prices: dict[str, tuple[float, float]] = field(default_factory=lambda: dict(DEFAULT_PRICES))
    cache_dir: Path = field(default_factory=lambda: default_cache_dir())
    hide_false_positives: bool = False

    def with_cli(self, **overrides: Any) -> AISettings:
        """A copy with the command line's given options applied (None means not given)."""
        clean = {key: value for key, value in overrides.items() if value is not None}
        if "cache_dir" in clean:
            clean["cache_dir"] = Path(clean["cache_dir"]).expanduser()
        return replace(self, **clean)

    @property
    def local(self) -> bool:
        """Whether the endpoint is a server on this machine."""
        return is_local(self.base_url)

    def _default(self, position: int) -> Any:
        return (LOCAL_DEFAULTS if self.local else REMOTE_DEFAULTS)[position]

    @property
    def effective_concurrency(self) -> int:
        """Requests in flight at once."""
        return self.concurrency if self.concurrency is not None else int(self._default(0))

    @property
    def effective_timeout(self) -> float:
        """Seconds to wait for one reply."""
        return self.timeout if self.timeout is not None else float(self._default(1))

    @property
    def effective_retries(self) -> int:
        """Retries of one request (never after a timeout on a local server)."""
        return self.max_retries if self.max_retries is not None else int(self._default(2))

    def missing(self) -> str | None:
        """What the user must set before a request can be made, or None when ready."""
        if self.api_key or self.base_url:
            return None
        return (
            f"no model endpoint: set {self.api_key_env} for OpenAI, or OPENAI_BASE_URL / "
            "--ai-base-url (plus a key if the server needs one) for any OpenAI-compatible "
            "server such as Ollama, vLLM or LM Studio"
        )

    def price(self) -> tuple[float, float] | None:
        """(input, output) USD per million tokens for the model, when known."""
        return self.prices.get(self.model)


def default_cache_dir() -> Path:
    """DJREVIEW_CACHE_DIR, else the platform's per-user cache folder."""
    explicit = os.environ.get("DJREVIEW_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "djreview"


def _number(table: dict[str, Any], key: str, kind: type[int] | type[float]) -> Any:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError(f"[tool.djreview.ai] {key} must be a positive number")
    return kind(value)


def _prices(table: dict[str, Any]) -> dict[str, tuple[float, float]]:
    prices = dict(DEFAULT_PRICES)
    for model, entry in (table.get("prices") or {}).items():
        try:
            prices[str(model)] = (float(entry["input"]), float(entry["output"]))
        except (TypeError, KeyError, ValueError):
            raise ConfigError(
                f"[tool.djreview.ai.prices] {model}: use {{ input = USD, output = USD }} per "
                "million tokens"
            ) from None
    return prices


def from_config(table: dict[str, Any], env: dict[str, str] | None = None) -> AISettings:
    """Settings from the `[tool.djreview.ai]` table and the environment."""
    environ = dict(os.environ) if env is None else env
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"unknown [tool.djreview.ai] keys: {', '.join(unknown)}")
    key_env = str(table.get("api-key-env", "OPENAI_API_KEY"))
    cache_dir = table.get("cache-dir")
    settings = AISettings(
        enabled=bool(table.get("enabled", False)),
        model=str(table.get("model") or environ.get("DJREVIEW_AI_MODEL") or DEFAULT_MODEL),
        base_url=table.get("base-url") or environ.get("OPENAI_BASE_URL") or None,
        api_key=environ.get(key_env) or None,
        api_key_env=key_env,
        hide_false_positives=bool(table.get("hide-false-positives", False)),
        instructions_in_user=bool(table.get("instructions-in-user", False)),
        batch=bool(table.get("batch", False)),
        prices=_prices(table),
    )
    numbers = {
        "max_findings": _number(table, "max-findings", int),
        "concurrency": _number(table, "concurrency", int),
        "timeout": _number(table, "timeout", float),
        "max_tokens": _number(table, "max-tokens", int),
        "budget_tokens": _number(table, "budget-tokens", int),
        "budget_usd": _number(table, "budget-usd", float),
        "cache_dir": cache_dir if cache_dir and not environ.get("DJREVIEW_CACHE_DIR") else None,
    }
    if "max-retries" in table:
        retries = table["max-retries"]
        if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
            raise ConfigError("[tool.djreview.ai] max-retries must be 0 or more")
        numbers["max_retries"] = retries
    return settings.with_cli(**numbers)
