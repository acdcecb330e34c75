"""The `djreview` command line: check, fix, rules, rule, models.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
2 usage or configuration error. User errors never print a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from functools import partial
from pathlib import Path
from typing import Any

import click

from djreview import __version__
from djreview import baseline as baseline_file
from djreview.ai.commands import ai_group
from djreview.ai.options import ai_options
from djreview.cli_scale import apply_run_options, merge_sarif_command, run_options
from djreview.config import FAIL_ON_CHOICES, Config, ConfigError, resolve_config
from djreview.diffmode import ChangedLines, DiffError, changed_lines
from djreview.engine.registry import load_registry
from djreview.engine.runner import RunResult, run
from djreview.engine.yaml_rules import RuleLoadError
from djreview.model import Finding, Severity
from djreview.report import github as github_report
from djreview.report import json as json_report
from djreview.report import sarif as sarif_report
from djreview.report import text as text_report

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """Accept both `--select A --select B` and `--select A,B`."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _fail(message: str) -> None:
    click.echo(f"djreview: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def exit_code(findings: list[Finding], fail_on: str) -> int:
    """1 when an unsuppressed finding is at or above `fail_on`, else 0."""
    if fail_on == "never":
        return EXIT_CLEAN
    threshold = Severity(fail_on).rank
    counted = (f for f in findings if not f.suppressed and f.severity.rank >= threshold)
    return EXIT_FINDINGS if any(counted) else EXIT_CLEAN


def _write(output: Path | None, text: str) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")


def _load(
    paths: tuple[Path, ...], config_file: Path | None, diff_ref: str | None = None, **cli: Any
) -> tuple[RunResult, Config]:
    targets = list(paths) or [Path(".")]
    changed = partial(_changed_since, diff_ref) if diff_ref is not None else None
    try:
        config = resolve_config(config_file, targets[0]).with_cli(**cli)
        config, shard = apply_run_options(config)
        return run(targets, config, shard, changed), config
    except (ConfigError, RuleLoadError) as exc:
        _fail(str(exc))
        raise  # unreachable: _fail exits


def _changed_since(ref: str, root: Path) -> ChangedLines:
    try:
        return changed_lines(root, ref)
    except DiffError as exc:
        _fail(f"--diff {ref}: {exc}")
        raise  # unreachable: _fail exits


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="djreview")
def main() -> None:
    """djreview: find N+1 queries, missing indexes and security smells in Django code."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="Output format (github: workflow-command annotations).",
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to FILE.")
@click.option("--select", multiple=True, help="Rule ids, names, id prefixes or categories to run.")
@click.option("--ignore", multiple=True, help="Rule ids, names, id prefixes or categories to skip.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    help="Lowest severity that fails (default: warning).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    help="A pyproject.toml or djreview.toml.",
)
@click.option("--show-suppressed", is_flag=True, help="List suppressed findings in text output.")
@click.option(
    "--quiet", "-q", is_flag=True, help="Print only the summary (text) or nothing but the report."
)
@click.option("--verbose", "-v", is_flag=True, help="Say which rules ran and what was skipped.")
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(path_type=Path),
    help="Report only findings not in this baseline file (SARIF marks them all).",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path),
    help="Record every current finding in FILE as known.",
)
@click.option(
    "--diff",
    "diff_ref",
    metavar="REF",
    help="Report only findings on lines changed since the git revision REF.",
)
@ai_options
@run_options
def check(
    paths: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    config_file: Path | None,
    show_suppressed: bool,
    quiet: bool,
    verbose: bool,
    baseline_path: Path | None,
    write_baseline: Path | None,
    diff_ref: str | None,
    **ai: Any,
) -> None:
    """Analyse a Django project (or any part of it) and report findings."""
    result, config = _load(
        paths,
        config_file,
        # A baseline must hold the whole project: --write-baseline analyses everything.
        diff_ref if write_baseline is None else None,
        select=_split(select),
        ignore=_split(ignore),
        fail_on=fail_on,
    )
    findings, known = _narrow(result, diff_ref, baseline_path, write_baseline)
    findings = _ai_step(result, config, ai, findings)
    reported = findings if known is None else [f for f in findings if f.fingerprint not in known]
    hidden = len(findings) - len(reported)
    if hidden and not quiet:
        click.echo(f"djreview: {hidden} known findings not reported (baseline)", err=True)
    if verbose:
        click.echo(
            f"djreview {__version__}: {len(result.rules)} rules on {result.files_scanned} files "
            f"under {result.project.root}",
            err=True,
        )
    if output_format == "sarif":
        report = sarif_report.render(
            findings,
            result.rules,
            result.notifications,
            result.project.root,
            complete=not result.notifications,
            known=known,
            # AI-annotated logs are their own code-scanning category.
            **({"automation_id": "djreview/ai/"} if _ai_reviewed(findings) else {}),
        )
    elif output_format == "github":
        report = github_report.render(reported, result.notifications)
    elif output_format == "json":
        report = json_report.render(reported, result.notifications, result.files_scanned)
    else:
        report = text_report.render(
            reported,
            result.notifications,
            colour=output is None and sys.stdout.isatty(),
            show_suppressed=show_suppressed,
            files_scanned=result.files_scanned,
        )
        if quiet:
            report = report.rstrip("\n").rsplit("\n", 1)[-1] + "\n"
    _write(output, report)
    sys.exit(exit_code(reported, config.fail_on))


def _ai_reviewed(findings: list[Finding]) -> bool:
    return any(key.startswith("ai.") for f in findings for key, _ in f.properties)


def _ai_step(
    result: RunResult, config: Config, options: dict[str, Any], findings: list[Finding]
) -> list[Finding]:
    """Review `findings` with a model when --ai (or [tool.djreview.ai] enabled) asks for it."""
    from djreview.ai.options import ai_settings

    try:
        settings = ai_settings(config, options)
    except ConfigError as exc:
        _fail(str(exc))
        raise  # unreachable: _fail exits
    if settings is None:
        return findings
    # Imported only when asked for: the openai package alone takes ~1 s to import.
    from djreview.ai.run import review_run

    outcome = review_run(result, settings, findings)
    click.echo(outcome.closing, err=True)
    return outcome.findings


def _narrow(
    result: RunResult, diff_ref: str | None, baseline_path: Path | None, write: Path | None
) -> tuple[list[Finding], frozenset[str] | None]:
    """Apply --diff, then --baseline/--write-baseline: (findings, known fingerprints)."""
    findings = result.findings
    if diff_ref is not None:
        changed = result.changed or _changed_since(diff_ref, result.project.root)
        findings = changed.filter(findings)
    known: frozenset[str] | None = None
    if baseline_path is not None:
        try:
            known = baseline_file.load(baseline_path).fingerprints
        except baseline_file.BaselineError as exc:
            _fail(str(exc))
    if write is not None:
        # The whole project, not just the diff: a baseline must be complete.
        _write(write, baseline_file.render(result.findings))
        known = frozenset(f.fingerprint for f in result.findings if not f.suppressed)
        click.echo(f"djreview: wrote {len(known)} findings to the baseline {write}", err=True)
    return findings, known


main.add_command(merge_sarif_command)
main.add_command(ai_group)


def entry_point() -> None:
    """The installed `djreview` command (and `python -m djreview`): the CLI, then a quick exit.

    The interpreter's own teardown frees a large project's syntax trees one
    object at a time: on saleor that took 10 s after a 15 s analysis. Once
    the report is written and the streams are flushed nothing is pending
    (reports and fixes are written and closed, worker pools joined), so the
    process ends without it. In-process callers (tests, CliRunner) call
    `main`, which keeps the normal exit.
    """
    try:
        main()
    except SystemExit as exc:
        status = exc.code
    else:
        status = EXIT_CLEAN
    if status is None:
        status = EXIT_CLEAN
    elif not isinstance(status, int):
        click.echo(status, err=True)
        status = EXIT_FINDINGS
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`djreview check | head`)
            stream.flush()
    os._exit(status)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def list_rules(output_format: str) -> None:
    """List every rule: id, name, category, default severity, fixable."""
    try:
        metas = load_registry().sorted_metas()
    except RuleLoadError as exc:
        _fail(str(exc))
        return
    if output_format == "json":
        import json

        click.echo(
            json.dumps(
                [
                    {
                        "id": m.id,
                        "name": m.name,
                        "category": m.category,
                        "severity": m.severity.value,
                        "fixable": m.fixable,
                        "enabled": m.enabled_by_default,
                        "cwe": list(m.cwe),
                    }
                    for m in metas
                ],
                indent=2,
            )
        )
        return
    click.echo(f"{'ID':<8} {'NAME':<40} {'CATEGORY':<12} {'SEVERITY':<8} FIX  DEFAULT")
    for meta in metas:
        click.echo(
            f"{meta.id:<8} {meta.name:<40} {meta.category:<12} {meta.severity.value:<8} "
            f"{'yes' if meta.fixable else 'no ':<4} {'on' if meta.enabled_by_default else 'off'}"
        )
    click.echo(f"\n{len(metas)} rules.")


@main.command("rule")
@click.argument("rule")
def show_rule(rule: str) -> None:
    """Print one rule's documentation (by id or name)."""
    try:
        metas = load_registry().sorted_metas()
    except RuleLoadError as exc:
        _fail(str(exc))
        return
    for meta in metas:
        if rule.upper() == meta.id or rule == meta.name:
            header = f"{meta.id} {meta.name} ({meta.category}, {meta.severity.value})"
            extra = []
            if meta.cwe:
                extra.append("CWE: " + ", ".join(f"CWE-{c}" for c in meta.cwe))
            if meta.security_severity is not None:
                extra.append(f"security-severity: {meta.security_severity}")
            extra.append(f"fixable: {'yes' if meta.fixable else 'no'}")
            click.echo(f"{header}\n{'=' * len(header)}\n\n{meta.message}\n\n" + "; ".join(extra))
            click.echo(f"\n{meta.docs}")
            return
    _fail(f"no rule {rule!r}; `djreview rules` lists them")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", multiple=True, help="Only fix findings of these rules.")
@click.option("--ignore", multiple=True, help="Do not fix findings of these rules.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    help="A pyproject.toml or djreview.toml.",
)
@click.option("--dry-run", is_flag=True, help="Print the unified diff; write nothing.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour.")
@ai_options
@run_options
def fix(
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_file: Path | None,
    dry_run: bool,
    unsafe_fixes: bool,
    **ai: Any,
) -> None:
    """Apply djreview's fixes to the files (atomically), or show them with --dry-run.

    With --ai, AI patches that djreview verified are applied too.
    """
    from djreview.fix.apply import FixError, plan_fixes, write_atomic
    from djreview.model import Applicability

    result, config = _load(paths, config_file, select=_split(select), ignore=_split(ignore))
    allowed = {Applicability.SAFE, Applicability.UNSAFE} if unsafe_fixes else {Applicability.SAFE}
    fixes = [
        f.fix
        for f in _ai_step(result, config, ai, result.findings)
        if f.fix is not None
        and not f.suppressed
        and (f.fix.applicability in allowed or ("ai.fix", "verified") in f.properties)
    ]
    texts = {file.rel: file.text for file in result.project.files}
    plan = plan_fixes(fixes, result.project.root, texts)
    failed = 0
    for change in plan.changes:
        if dry_run:
            click.echo(text_report.safe(change.diff()), nl=False)
            continue
        try:
            write_atomic(change)
        except (FixError, OSError) as exc:
            failed += 1
            click.echo(f"djreview: not written: {exc}", err=True)
    for reason in plan.skipped:
        click.echo(f"djreview: skipped a fix: {reason}", err=True)
    verb = "would change" if dry_run else "changed"
    click.echo(
        f"{len(fixes)} fixes; {verb} {len(plan.changes) - failed} files"
        + (f"; {failed} not written" if failed else ""),
        err=True,
    )
    sys.exit(EXIT_USAGE if failed else EXIT_CLEAN)


@main.command("gen-docs", hidden=True)
@click.argument("directory", type=click.Path(path_type=Path), default=Path("docs/rules"))
def gen_docs(directory: Path) -> None:
    """Regenerate the rule documentation pages (docs/rules/)."""
    from djreview.docs import write_docs

    written = write_docs(load_registry().sorted_metas(), directory)
    click.echo(f"wrote {len(written)} pages to {directory}")


@main.command("models")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "mermaid"]),
    default="text",
    show_default=True,
    help="Output format (mermaid: an ER diagram).",
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to FILE.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    help="A pyproject.toml or djreview.toml.",
)
def show_models(
    paths: tuple[Path, ...], output_format: str, output: Path | None, config_file: Path | None
) -> None:
    """Print the project's models and relations, found statically (nothing is imported)."""
    from djreview.engine.runner import load_project
    from djreview.project import render

    targets = list(paths) or [Path(".")]
    try:
        project = load_project(targets, resolve_config(config_file, targets[0]))
    except ConfigError as exc:
        _fail(str(exc))
        return
    renderers = {"json": render.to_json, "mermaid": render.to_mermaid, "text": render.to_text}
    _write(output, renderers[output_format](project.index))
