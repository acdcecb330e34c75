"""Command-line pieces for speed and scale: run options (--jobs, --shard, cache) and merge-sarif.

`run_options` adds the options to a command and hands the command their
values as one `ScaleOptions` (its `scale` argument); `apply_run_options`
then folds them into the Config of the run.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import click

from djreview.config import Config, ConfigError
from djreview.engine.cache.keys import default_cache_dir
from djreview.engine.shard import Shard, ShardError, merge_sarif

_SIZE_RE = re.compile(r"^\s*(\d+)\s*([kKmMgG]?)i?[bB]?\s*$")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ScaleOptions:
    """The values of the run options given on the command line (None: not given)."""

    jobs: int | None = None
    shard: str | None = None
    no_cache: bool = False
    cache_dir: Path | None = None
    max_file_size: str | None = None


def parse_size(text: str) -> int:
    """Bytes from '2000000', '500k', '2M' or '2MiB'."""
    match = _SIZE_RE.match(text)
    if match is None or int(match.group(1)) <= 0:
        raise ConfigError(f"--max-file-size takes a positive size such as 500k or 2M, not {text!r}")
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def run_options(command: F) -> F:
    """Add --jobs, --shard, --no-cache, --cache-dir and --max-file-size to a command."""

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        jobs: int | None,
        shard: str | None,
        no_cache: bool,
        cache_dir: Path | None,
        max_file_size: str | None,
        **kwargs: Any,
    ) -> Any:
        scale = ScaleOptions(jobs, shard, no_cache, cache_dir, max_file_size)
        return command(*args, scale=scale, **kwargs)

    decorators = [
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=0),
            help="Processes to use (default: all cores; 1: no pool).",
        ),
        click.option(
            "--shard",
            metavar="K/N",
            help="Analyse only the K-th of N deterministic parts of the files (CI matrices).",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache."),
        click.option(
            "--cache-dir",
            type=click.Path(path_type=Path),
            help="Where the result cache lives (default: ~/.cache/djreview).",
        ),
        click.option(
            "--max-file-size",
            metavar="SIZE",
            help="Skip (and report) files larger than SIZE, e.g. 500k or 2M (default: 2M).",
        ),
    ]
    for decorate in reversed(decorators):
        wrapper = decorate(wrapper)
    return wrapper  # type: ignore[return-value]


def apply_run_options(config: Config, options: ScaleOptions) -> tuple[Config, Shard | None]:
    """The config with the command line's run options applied, and the shard, if any."""
    if options.jobs is not None:
        config = replace(config, jobs=options.jobs)
    if options.max_file_size is not None:
        config = replace(config, max_file_bytes=parse_size(options.max_file_size))
    if options.no_cache:
        config = replace(config, cache_dir=None)
    elif options.cache_dir is not None:
        config = replace(config, cache_dir=str(options.cache_dir))
    elif config.cache_dir is None:
        config = replace(config, cache_dir=str(default_cache_dir()))
    try:
        shard = Shard.parse(options.shard) if options.shard else None
    except ShardError as exc:
        raise ConfigError(str(exc)) from None
    return config, shard


@click.command("merge-sarif")
@click.argument("logs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), required=True, help="The merged log."
)
def merge_sarif_command(logs: tuple[Path, ...], output: Path) -> None:
    """Combine the SARIF logs of `check --shard K/N` runs into one log with one run."""
    try:
        loaded = [json.loads(path.read_text(encoding="utf-8")) for path in logs]
        merged = merge_sarif(loaded)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        click.echo(f"djreview: error: cannot merge: {exc}", err=True)
        sys.exit(2)
