"""The `djreview` command line: check, fix, rules, rule, models.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
2 usage or configuration error. User errors never print a traceback.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import shutil
import sys
from pathlib import Path

import click

from djreview import __version__
from djreview.ai.commands import ai_group
from djreview.ai.options import AIOptions, ai_options
from djreview.cli.check_options import CheckOptions
from djreview.cli.run_options import ScaleOptions, merge_sarif_command, run_options
from djreview.config import FAIL_ON_CHOICES, Config, ConfigError, resolve_config
from djreview.engine import baseline as baseline_file
from djreview.engine.baseline import BaselineError
from djreview.engine.cache.keys import default_cache_dir
from djreview.engine.cache.store import Store, is_cache_folder
from djreview.engine.changed_lines import DiffError
from djreview.engine.registry import load_registry
from djreview.engine.runner import RunResult, run
from djreview.engine.yaml_rules import RuleLoadError
from djreview.model import Finding, Severity
from djreview.project.project_model import ProjectModel
from djreview.report import github as github_report
from djreview.report import json as json_report
from djreview.report import sarif as sarif_report
from djreview.report import text as text_report
from djreview.source.discover import project_root

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


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


def _load(options: CheckOptions) -> tuple[RunResult, Config]:
    """Run what the options ask for; a bad config, rule, --diff or baseline exits 2."""
    missing = [str(path) for path in options.targets if not path.exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(missing)}")
    try:
        config, run_options = options.config()
        return run(options.targets, config, run_options), config
    except (ConfigError, RuleLoadError, BaselineError) as exc:
        _fail(str(exc))
    except DiffError as exc:
        _fail(f"--diff {options.diff_ref}: {exc}")
    raise AssertionError("unreachable: _fail exits")


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
@click.option(
    "--select",
    multiple=True,
    help="Rule ids, names, id prefixes or categories to run; `audit` adds the audit-level "
    "rules (off by default), `all` every rule.",
)
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
@click.option("--statistics", is_flag=True, help="Print only the per-rule summary (text output).")
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
@click.option(
    "--confirmations",
    type=click.Path(path_type=Path),
    help="Mark N+1 findings with what `pytest --djreview` saw (its djreview-confirm.json).",
)
@click.option(
    "--confirmed-only",
    is_flag=True,
    help="Report only findings the tests confirmed, and dynamic-only repeats.",
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
    statistics: bool,
    baseline_path: Path | None,
    write_baseline: Path | None,
    diff_ref: str | None,
    confirmations: Path | None,
    confirmed_only: bool,
    ai: AIOptions,
    scale: ScaleOptions,
) -> None:
    """Analyse a Django project (or any part of it) and report findings."""
    run_check(
        CheckOptions(
            paths=paths,
            config_file=config_file,
            select=select,
            ignore=ignore,
            fail_on=fail_on,
            diff_ref=diff_ref,
            baseline=baseline_path,
            write_baseline=write_baseline,
            output_format=output_format,
            output=output,
            show_suppressed=show_suppressed,
            quiet=quiet,
            verbose=verbose,
            confirmations=confirmations,
            confirmed_only=confirmed_only,
            statistics=statistics,
            ai=ai,
            scale=scale,
        )
    )


def run_check(options: CheckOptions) -> None:
    """`djreview check`: run, review with AI when asked, render, exit with the code."""
    result, config = _load(options)
    known = result.known
    if options.write_baseline is not None:
        # The whole project, not just the diff: a baseline must be complete.
        _write(options.write_baseline, baseline_file.render(result.all_findings))
        known = frozenset(f.fingerprint for f in result.all_findings if not f.suppressed)
        result = dataclasses.replace(result, known=known)
        click.echo(
            f"djreview: wrote {len(known)} findings to the baseline {options.write_baseline}",
            err=True,
        )
    if result.files_scanned == 0 and not options.quiet:
        where = ", ".join(str(path) for path in options.targets)
        click.echo(f"djreview: no Python or template files found under {where}", err=True)
    findings = _ai_step(result, config, options.ai, result.findings)
    reported = result.reported(findings)
    hidden = len(findings) - len(reported)
    if hidden and not options.quiet:
        click.echo(f"djreview: {hidden} known findings not reported (baseline)", err=True)
    if options.verbose:
        click.echo(
            f"djreview {__version__}: {len(result.rules)} rules on {result.files_scanned} files "
            f"under {result.project.root}",
            err=True,
        )
    _write(options.output, _render(options, result, findings, reported))
    sys.exit(exit_code(reported, config.fail_on))


def _render(
    options: CheckOptions, result: RunResult, findings: list[Finding], reported: list[Finding]
) -> str:
    if options.output_format == "sarif":
        return sarif_report.render(
            findings,
            result.rules,
            result.notifications,
            result.project.root,
            complete=not result.notifications,
            known=result.known,
            # AI-annotated logs are their own code-scanning category.
            **({"automation_id": "djreview/ai/"} if _ai_reviewed(findings) else {}),
        )
    if options.output_format == "github":
        return github_report.render(reported, result.notifications)
    if options.output_format == "json":
        return json_report.render(reported, result.notifications, result.files_scanned)
    report = text_report.render(
        reported,
        result.notifications,
        colour=options.output is None and sys.stdout.isatty(),
        show_suppressed=options.show_suppressed,
        files_scanned=result.files_scanned,
    )
    if options.quiet:
        report = report.rstrip("\n").rsplit("\n", 1)[-1] + "\n"
    elif options.statistics and "\nFindings per rule:\n" in report:
        report = report[report.index("\nFindings per rule:\n") + 1 :]
    return report


def _ai_reviewed(findings: list[Finding]) -> bool:
    return any(key.startswith("ai.") for f in findings for key, _ in f.properties)


def _ai_step(
    result: RunResult, config: Config, options: AIOptions, findings: list[Finding]
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


@main.command("server")
@click.option(
    "--debounce",
    type=float,
    default=0.5,
    show_default=True,
    help="Seconds after the last edit before the whole-project checks run.",
)
@click.option("--on-save-only", is_flag=True, help="Run the whole-project checks only on save.")
def server(debounce: float, on_save_only: bool) -> None:
    """Serve diagnostics and fixes to an editor (Language Server Protocol over stdio)."""
    try:  # pygls is the optional `server` extra
        from djreview.server.lsp import ServerSettings, serve
    except ImportError as exc:
        _fail(f"djreview server needs its extra: pip install 'djreview[server]' ({exc})")
        return
    serve(ServerSettings(debounce, on_save_only))


@main.command("clean")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--cache-dir", type=click.Path(path_type=Path), help="The cache folder, if not the default."
)
def clean(paths: tuple[Path, ...], cache_dir: Path | None) -> None:
    """Remove the result cache of a project (its .djreview_cache by default)."""
    target = (list(paths) or [Path(".")])[0]
    if not target.exists():
        _fail(f"no such file or folder: {target}")
    try:
        config = resolve_config(None, target)
    except ConfigError as exc:
        _fail(str(exc))
        return
    folder = cache_dir or (
        Path(config.cache_dir) if config.cache_dir else default_cache_dir(project_root(target))
    )
    if not folder.exists():
        click.echo(f"djreview: no cache at {folder}")
        return
    if not is_cache_folder(folder):
        _fail(f"{folder} does not look like a djreview cache (no CACHEDIR.TAG); not removed")
    store = Store(folder)
    entries, size = len(store.entries()), store.size()
    shutil.rmtree(folder, ignore_errors=True)
    click.echo(f"djreview: removed {folder} ({entries} entries, {size / 1_048_576:.1f} MiB)")


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
                        "tags": list(m.all_tags),
                        "cwe": list(m.cwe),
                    }
                    for m in metas
                ],
                indent=2,
            )
        )
        return
    click.echo(f"{'ID':<8} {'NAME':<40} {'CATEGORY':<12} {'SEVERITY':<8} FIX  DEFAULT  TAGS")
    for meta in metas:
        tags = ", ".join(tag for tag in meta.all_tags if not tag.startswith("external/"))
        click.echo(
            f"{meta.id:<8} {meta.name:<40} {meta.category:<12} {meta.severity.value:<8} "
            f"{'yes' if meta.fixable else 'no ':<4} {'on ' if meta.enabled_by_default else 'off'}"
            f"      {tags}"
        )
    click.echo(
        f"\n{len(metas)} rules. Select by id, id prefix, name, category or tag "
        "(e.g. --select n-plus-one); `all` and `audit` also switch on rules that are off."
    )


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
            click.echo(
                f"{header}\n{'=' * len(header)}\n\n{meta.description}\n\n" + "; ".join(extra)
            )
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
    ai: AIOptions,
    scale: ScaleOptions,
) -> None:
    """Apply djreview's fixes to the files (atomically), or show them with --dry-run.

    With --ai, AI patches that djreview verified are applied too.
    """
    from djreview.fix.apply import FixError, plan_fixes, write_atomic
    from djreview.model import Applicability

    options = CheckOptions(
        paths=paths, config_file=config_file, select=select, ignore=ignore, ai=ai, scale=scale
    )
    result, config = _load(options)
    allowed = {Applicability.SAFE, Applicability.UNSAFE} if unsafe_fixes else {Applicability.SAFE}
    fixes = [
        f.fix
        for f in _ai_step(result, config, options.ai, result.findings)
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
    _write(output, renderers[output_format](project.analysis(ProjectModel)))
