"""The `--ai-*` command-line options, shared by `check` and `fix`."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

import click

from djreview.ai.settings import AISettings, from_config
from djreview.config import Config

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS = [
    click.option(
        "--ai/--no-ai",
        "ai",
        default=None,
        help="Explain findings and propose verified patches with a model.",
    ),
    click.option("--ai-model", help="Model name (default gpt-4o-mini, or DJREVIEW_AI_MODEL)."),
    click.option("--ai-base-url", help="OpenAI-compatible endpoint (default OPENAI_BASE_URL)."),
    click.option(
        "--ai-max-findings",
        type=click.IntRange(min=1),
        help="Send at most N findings, most severe first (default 20).",
    ),
    click.option(
        "--ai-concurrency",
        type=click.IntRange(min=1),
        help="Requests in flight at once (default 4; 1 for a server on this machine).",
    ),
    click.option(
        "--ai-timeout",
        type=click.FloatRange(min=0, min_open=True),
        help="Seconds to wait for one reply (default 60; 900 for a server on this machine).",
    ),
    click.option(
        "--ai-max-tokens",
        type=click.IntRange(min=16),
        help="Longest reply asked for, in tokens (default 1024).",
    ),
    click.option(
        "--ai-instructions-in-user",
        is_flag=True,
        default=None,
        help="Send the instructions in the user message (chat templates without a system role).",
    ),
    click.option(
        "--ai-batch",
        is_flag=True,
        default=None,
        help="Submit through the Batch API (half price, within 24 h); `djreview ai collect`.",
    ),
    click.option(
        "--ai-budget-tokens",
        type=click.IntRange(min=1),
        help="Stop making requests past this many tokens.",
    ),
    click.option(
        "--ai-budget-usd",
        type=click.FloatRange(min=0, min_open=True),
        help="Stop making requests past this estimated cost in USD.",
    ),
    click.option(
        "--ai-cache-dir",
        type=click.Path(path_type=Path),
        help="Reply cache folder (default DJREVIEW_CACHE_DIR or the user cache).",
    ),
    click.option(
        "--ai-hide-false-positives",
        is_flag=True,
        default=None,
        help="Drop findings the model calls false positives (default: annotate).",
    ),
]


@dataclass(frozen=True)
class AIOptions:
    """The values of the --ai options (None: not given on the command line)."""

    enabled: bool | None = None
    model: str | None = None
    base_url: str | None = None
    max_findings: int | None = None
    concurrency: int | None = None
    timeout: float | None = None
    max_tokens: int | None = None
    instructions_in_user: bool | None = None
    batch: bool | None = None
    budget_tokens: int | None = None
    budget_usd: float | None = None
    cache_dir: Path | None = None
    hide_false_positives: bool | None = None


def ai_options(command: F) -> F:
    """Add the --ai options to a command, which receives their values as `ai: AIOptions`."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {field.name: kwargs.pop(f"ai_{field.name}") for field in fields(AIOptions)[1:]}
        return command(*args, ai=AIOptions(kwargs.pop("ai"), **given), **kwargs)

    for option in reversed(_OPTIONS):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def ai_settings(config: Config, options: AIOptions) -> AISettings | None:
    """The AI settings from the config and the --ai options, or None when AI is off."""
    settings = from_config(config.ai)
    if config.cache_dir and "cache-dir" not in config.ai and "DJREVIEW_CACHE_DIR" not in os.environ:
        # [tool.djreview] cache-dir holds every cache djreview keeps, replies included.
        settings = settings.with_cli(cache_dir=config.cache_dir)
    enabled = options.enabled
    if not (settings.enabled if enabled is None else enabled):
        return None
    given = {field.name: getattr(options, field.name) for field in fields(AIOptions)[1:]}
    return settings.with_cli(**given)
