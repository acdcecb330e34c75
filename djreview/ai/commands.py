"""`djreview ai ...`: the AI reviewer's own commands (`calibrate`, `collect`)."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import click

from djreview.ai.options import AIOptions, ai_options, ai_settings
from djreview.ai.settings import AISettings
from djreview.config import Config, ConfigError, resolve_config


@click.group("ai")
def ai_group() -> None:
    """The AI reviewer: measure how far a model's verdicts can be trusted."""


def _line(case: Any, review: Any) -> str:
    where = f"{review.finding.location.path}:{review.finding.location.start_line}"
    role = "planted" if case.planted else "twin   "
    verdict = review.verdict or f"no verdict ({review.error})"
    right = "true_positive" if case.planted else "false_positive"
    mark = "agrees" if review.verdict == right else "DISAGREES"
    return f"  {role} {review.finding.rule_id} {where} [{case.case}]: {verdict} — {mark}"


def _summary(figures: dict[str, Any], model: str) -> list[str]:
    f = figures
    lines = [
        f"Calibration of {model} ({f['format']}, context {f['context'] or 'unknown'}):",
        f"  planted defects: {f['defects_agree']}/{f['defects']} called true_positive, "
        f"{f['defects_called_false_positive']} called false_positive, "
        f"{f['defects_uncertain']} uncertain",
        f"  clean twins: {f['twins_agree']}/{f['twins']} called false_positive, "
        f"{f['twins_called_true_positive']} called true_positive",
        f"  valid replies: {f['replies_valid']}/{f['sent']} sent ({f['not_sent']} not sent)",
        f"  patches: {f['patches_verified']} verified of {f['patches_proposed']} proposed",
        f"  {f['tokens_per_finding']} tokens and {f['seconds_per_finding']} s per finding, "
        f"{f['tokens_per_second'] or '?'} tokens/s",
    ]
    if f["defects_called_false_positive"]:
        lines.append(
            f"  warning: this model called {f['defects_called_false_positive']} real defects "
            "false positives; do not hide findings on its word (--ai-hide-false-positives)"
        )
    return lines


@ai_group.command("calibrate")
@click.option(
    "--fixture",
    "fixtures",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A labelled fixture project (default: every fixture shipped with djreview).",
)
@click.option("--max-cases", type=click.IntRange(min=1), help="At most N defects and N twins.")
@click.option(
    "--select",
    "select",
    help="Only the cases of these rules (comma-separated ids, e.g. DJR314,DJR302).",
)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@ai_options
def calibrate_command(
    fixtures: tuple[Path, ...],
    max_cases: int | None,
    select: str | None,
    output_format: str,
    ai: AIOptions,
) -> None:
    """Run the configured model on planted defects and their clean twins; report agreement."""
    from djreview.ai.calibrate import calibrate, cases, combined, default_fixtures, store
    from djreview.engine.runner import run

    chosen = list(fixtures) or default_fixtures()
    if not chosen:
        raise click.UsageError("no labelled fixtures found: pass --fixture DIR")
    settings = _settings(ai)
    rules = frozenset(r.strip().upper() for r in select.split(",") if r.strip()) if select else None
    report: dict[str, Any] = {"model": settings.model, "fixtures": {}}
    lines: list[str] = []
    for fixture in chosen:
        result = run([fixture], resolve_config(None, fixture))
        labelled = cases(result, fixture.resolve(), max_cases, rules)
        figures, reviews, _ = calibrate(settings, labelled, result)
        report["fixtures"][fixture.name] = figures
        lines += [f"{fixture.name}:"]
        lines += [_line(case, review) for case, review in zip(labelled, reviews, strict=True)]
        lines += _summary(figures, settings.model)
    total = combined(list(report["fixtures"].values()))
    store(settings, total)
    report["total"] = total
    if len(chosen) > 1:
        lines += ["all fixtures:", *_summary(total, settings.model)]
    if output_format == "json":
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(lines) + "\n")


def _settings(ai: AIOptions) -> AISettings:
    """The AI settings of an `ai` subcommand (AI on); a usage error when incomplete."""
    try:
        settings = ai_settings(Config(), dataclasses.replace(ai, enabled=True))
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    assert settings is not None
    missing = settings.missing()
    if missing:
        raise click.UsageError(missing)
    return settings


@ai_group.command("collect")
@ai_options
def collect_command(ai: AIOptions) -> None:
    """Fetch finished Batch API reviews (`check --ai --ai-batch`) into the reply cache."""
    from djreview.ai.batch import collect

    settings = _settings(ai)
    for line in collect(settings):
        click.echo(line)
