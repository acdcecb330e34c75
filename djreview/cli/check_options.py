"""The options of `djreview check` and `djreview fix`, gathered into one object.

The click commands build a `CheckOptions` from their parameters and hand it
down; nothing travels in the click context or in loose keyword dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from djreview.ai.options import AIOptions
from djreview.cli.run_options import ScaleOptions, apply_run_options
from djreview.config import Config, resolve_config
from djreview.engine.runner import RunOptions


def split(values: tuple[str, ...]) -> tuple[str, ...]:
    """Accept both `--select A --select B` and `--select A,B`."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class CheckOptions:
    """Everything the command line said about one run and its report."""

    paths: tuple[Path, ...] = ()
    config_file: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    diff_ref: str | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    output_format: str = "text"
    output: Path | None = None
    show_suppressed: bool = False
    quiet: bool = False
    verbose: bool = False
    ai: AIOptions = field(default_factory=AIOptions)
    scale: ScaleOptions = field(default_factory=ScaleOptions)

    @property
    def targets(self) -> list[Path]:
        """The paths to analyse (the current folder when none are given)."""
        return list(self.paths) or [Path(".")]

    def config(self) -> tuple[Config, RunOptions]:
        """The run's Config (file, then command line) and how to run it.

        Raises ConfigError on a bad config file or option.
        """
        config = resolve_config(self.config_file, self.targets[0]).with_cli(
            select=split(self.select), ignore=split(self.ignore), fail_on=self.fail_on
        )
        config, shard = apply_run_options(config, self.scale)
        return config, RunOptions(
            shard=shard,
            diff_ref=self.diff_ref,
            baseline=self.baseline,
            # A baseline must hold the whole project: --write-baseline analyses everything.
            whole_tree=self.write_baseline is not None,
        )
