"""One analysis run: discover, read, run every selected rule, post-process, narrow.

Each file is read and parsed once; every rule shares the trees. Findings come
out suppressed where the source says so, re-levelled by the config,
fingerprinted and sorted, so two runs of the same tree print the same thing.
`run()` then applies `--diff` and the baseline: its findings are the final
ones, and a caller only renders them.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from djreview.config import Config, ConfigError
from djreview.confirm.report import DEFAULT_NAME as REPORT_NAME
from djreview.confirm.report import ProjectReport
from djreview.confirm.states import is_confirmed, with_states
from djreview.engine import baseline
from djreview.engine.cache.store import Store, committed
from djreview.engine.changed_lines import ChangedLines, changed_lines, diff_focus
from djreview.engine.fingerprint import assign_fingerprints
from djreview.engine.gcpause import collector_paused
from djreview.engine.incremental import Incremental, RunCache
from djreview.engine.parallel import RuleSet
from djreview.engine.registry import Registry, load_registry
from djreview.engine.shard import Shard
from djreview.engine.suppress import is_suppressed
from djreview.model import Finding, Notification, RuleMeta
from djreview.source.discover import discover, project_root
from djreview.source.file import SourceFile, UnreadableFile
from djreview.source.project import Project
from djreview.source.test_code import skipped

log = logging.getLogger("djreview")
CATEGORIES = ("performance", "models", "security")


@dataclass(frozen=True)
class RunOptions:
    """How to run beyond the config: which shard, which changed lines, which baseline."""

    shard: Shard | None = None
    # --diff REF: keep only findings touching lines changed since REF.
    diff_ref: str | None = None
    # --baseline FILE: its fingerprints are known, not reported.
    baseline: Path | None = None
    # Analyse every file even with diff_ref (a baseline being written needs them all).
    whole_tree: bool = False
    # Keep only what the project's tests saw (needs a confirmation report).
    confirmed_only: bool = False


@dataclass
class RunResult:
    """What a run found, what it could not read, and which rules ran."""

    findings: list[Finding]
    notifications: list[Notification]
    rules: list[RuleMeta]
    project: Project
    files_scanned: int = 0
    # Loaded on first use: a run answered from the cache never imports a rule.
    loaded_registry: Registry | None = None
    # --diff: the lines changed since the reference (None: the whole tree counts).
    changed: ChangedLines | None = None
    # Every finding of the tree, before --diff narrowed `findings` (a baseline records these).
    all_findings: list[Finding] = dataclasses.field(default_factory=list)
    # The baseline's fingerprints: findings known before, not reported.
    known: frozenset[str] | None = None

    @property
    def registry(self) -> Registry:
        """Every known rule (loaded now if the run did not need it)."""
        if self.loaded_registry is None:
            self.loaded_registry = load_registry()
        return self.loaded_registry

    @property
    def active(self) -> list[Finding]:
        """Findings that count: not suppressed in the source."""
        return [finding for finding in self.findings if not finding.suppressed]

    def reported(self, findings: list[Finding] | None = None) -> list[Finding]:
        """`findings` (default: the run's) without those the baseline knows."""
        chosen = self.findings if findings is None else findings
        known = self.known or frozenset()
        return [finding for finding in chosen if finding.fingerprint not in known]


# Tags that switch on the rules off by default which carry them (as ruff's ALL).
SWITCH_ON_TAGS = ("all", "audit")


def _matches(meta: RuleMeta, token: str) -> bool:
    """Whether a --select/--ignore token names the rule: id, id prefix, name, category or tag."""
    token_lower = token.lower()
    return (
        token_lower == "all"
        or meta.id.lower() == token_lower
        or meta.name == token_lower
        or meta.category == token_lower
        or token_lower in meta.all_tags
        or (len(token) >= 4 and meta.id.lower().startswith(token_lower))
    )


def _explicit(meta: RuleMeta, token: str) -> bool:
    """Selected by id, id prefix, name, `all` or `audit`: switches on rules off by default."""
    lower = token.lower()
    if lower in SWITCH_ON_TAGS:
        return lower == "all" or lower in meta.tags
    return meta.id.lower().startswith(lower) and len(token) >= 4 or meta.name == lower


def select_rules(registry: Registry, config: Config) -> list[RuleMeta]:
    """The rules this run applies, from --select/--ignore (ids, names, categories)."""
    metas = registry.sorted_metas()
    for token in (*config.select, *config.ignore):
        if token.lower() not in CATEGORIES and not any(_matches(meta, token) for meta in metas):
            raise ConfigError(
                f"unknown rule, name, category or tag: {token!r} (see `djreview rules`)"
            )
    chosen = []
    for meta in metas:
        if config.select:
            picked = any(
                _explicit(meta, token) or (_matches(meta, token) and meta.enabled_by_default)
                for token in config.select
            )
        else:
            picked = meta.enabled_by_default
        if picked and not any(_matches(meta, token) for token in config.ignore):
            chosen.append(meta)
    return chosen


def load_project(paths: list[Path], config: Config) -> Project:
    """Discover and read the files under `paths`; unreadable ones become notifications."""
    root = project_root(paths[0])
    found = discover(paths, root, config.exclude)
    notifications = list(found.notifications)
    files: list[SourceFile] = []
    for item in found.files:
        try:
            files.append(
                SourceFile.read(item.path, item.rel, item.kind, config.max_file_bytes)  # type: ignore[arg-type]
            )
        except UnreadableFile as exc:
            notifications.append(Notification(item.rel, f"skipped: {exc}"))
    config = _with_default_report(config, paths[0], root)
    return Project(root=root, files=files, config=config, notifications=notifications)


def _with_default_report(config: Config, target: Path, root: Path) -> Config:
    """The config, naming the pytest plugin's report when one lies in the target or the root."""
    if config.confirmations:
        return config
    for folder in (target if target.is_dir() else target.parent, root):
        candidate = folder / REPORT_NAME
        if candidate.is_file():
            return dataclasses.replace(config, confirmations=str(candidate.resolve()))
    return config


def rule_set(registry: Registry, rules: list[RuleMeta]) -> RuleSet:
    """The selected rules' implementations, in registry order."""
    ids = {meta.id for meta in rules}
    return RuleSet(
        tuple(rule for rule in registry.yaml_rules if rule.meta.id in ids),
        tuple(check for check in registry.checks if check.id in ids),
    )


def analyse(project: Project, registry: Registry, rules: list[RuleMeta]) -> list[Finding]:
    """Run the selected rules over the project, in-process, and post-process the findings."""
    analysis = Incremental(
        project, rule_set(registry, rules), budget=project.config.per_file_timeout
    ).analyse()
    project.notifications += analysis.notes
    return finish(analysis.raw, project, rules)


# Top-level folders of sample code shipped with a library or app (nautobot's
# `examples/example_app/`): documentation to read and copy, not deployed, as the
# settings rules already treat a `demo*` / `example*` project.
_EXAMPLE_FOLDERS = frozenset({"examples", "example"})


def example_code(rel: str) -> bool:
    """A file under the repository's top-level `examples/` (or `example/`) folder."""
    return rel.split("/", 1)[0] in _EXAMPLE_FOLDERS and "/" in rel


def finish(raw: list[Finding], project: Project, rules: list[RuleMeta]) -> list[Finding]:
    """Dedupe, attach snippets, apply severity overrides and suppressions, fingerprint, sort.

    Findings of rules that do not report tests and migrations (most security
    rules) are dropped there, and so are their findings in the repository's
    example code.
    """
    not_in_tests = {meta.id for meta in rules if not meta.reports_tests}
    unique: dict[tuple[object, ...], Finding] = {}
    for finding in raw:
        path = finding.location.path
        if finding.rule_id in not_in_tests and (skipped(path) or example_code(path)):
            continue
        key = (finding.rule_id, finding.location, finding.message)
        unique.setdefault(key, finding)
    prepared = []
    for finding in unique.values():
        file = project.by_rel.get(finding.location.path)
        snippet = file.snippet(finding.location) if file else finding.snippet
        severity = project.config.severity.get(
            finding.rule_id, project.config.severity.get(finding.rule_name, finding.severity)
        )
        suppressed = bool(file and is_suppressed(finding, file))
        prepared.append(
            dataclasses.replace(finding, snippet=snippet, severity=severity, suppressed=suppressed)
        )
    prepared.sort(key=Finding.sort_key)
    fingerprinted = [
        dataclasses.replace(finding, fingerprint=digest)
        for finding, digest in assign_fingerprints(prepared)
    ]
    return _confirmed(fingerprinted, project)


def _confirmed(findings: list[Finding], project: Project) -> list[Finding]:
    """The findings annotated with the confirmation report's states, when one is configured."""
    report = project.analysis(ProjectReport).report
    return findings if report is None else with_states(findings, report)


def run(paths: list[Path], config: Config, options: RunOptions | None = None) -> RunResult:
    """Analyse `paths` with `config`: the whole pipeline, no output.

    With `config.cache_dir` set, an unchanged tree's report comes from the
    cache without loading the rules, and unchanged parts of a changed tree
    are reused; with `options.shard`, only that shard's files are analysed and
    reported. With `options.diff_ref` the per-file rules run only where a
    finding touching the changed lines can come from (see `diff_focus`), and
    only findings touching them are kept; `options.baseline` marks the known
    ones (`RunResult.reported()` leaves them out). Raises DiffError and
    BaselineError for a bad --diff or --baseline.
    """
    options = options or RunOptions()
    ref = options.diff_ref
    focus = partial(changed_lines, ref=ref) if ref is not None and not options.whole_tree else None
    with collector_paused():
        result = _run(paths, config, options.shard, focus)
    known = baseline.load(options.baseline).fingerprints if options.baseline else None
    findings = result.findings
    if ref is not None:
        changed = result.changed or changed_lines(result.project.root, ref)
        findings = changed.filter(findings)
    if options.confirmed_only:
        if not result.project.config.confirmations:
            raise ConfigError("--confirmed-only needs a confirmation report (--confirmations FILE)")
        findings = [finding for finding in findings if is_confirmed(finding)]
    return dataclasses.replace(result, findings=findings, all_findings=result.findings, known=known)


def _open_store(project: Project) -> Store | None:
    """The result cache of the run, unless none is configured or git tracks its files."""
    if not project.config.cache_dir:
        return None
    directory = Path(project.config.cache_dir)
    if committed(directory):
        project.notifications.append(
            Notification(
                str(directory),
                "cache not used: git tracks files in it (run `djreview clean` and untrack them)",
            )
        )
        return None
    return Store(directory)


def _run(
    paths: list[Path],
    config: Config,
    shard: Shard | None,
    diff: Callable[[Path], ChangedLines] | None,
) -> RunResult:
    project = load_project(paths, config)
    changed = diff(project.root) if diff is not None else None
    store = _open_store(project)
    run_cache = RunCache(store, project, shard) if store is not None else None
    cached = run_cache.load() if run_cache is not None else None
    if cached is not None:
        findings, notifications, rules = cached
        project.notifications = notifications
        return RunResult(
            findings, notifications, rules, project, len(project.files), changed=changed
        )
    registry = load_registry()
    rules = select_rules(registry, config)
    selected = rule_set(registry, rules)
    focus = diff_focus(project, selected.checks, changed.lines) if changed is not None else None
    analysis = Incremental(
        project,
        selected,
        store=store,
        shard=shard,
        jobs=config.jobs,
        budget=config.per_file_timeout,
        focus=focus,
    ).analyse()
    if shard is not None:
        project.notifications = [n for n in project.notifications if shard.owns(n.path)]
    project.notifications += analysis.notes
    findings = finish(analysis.raw, project, rules)
    notifications = sorted(dict.fromkeys(project.notifications))
    # A --diff run skipped most files' per-file rules: not a report of the whole tree.
    if run_cache is not None and analysis.complete and changed is None:
        run_cache.save(findings, notifications, rules)
    if store is not None:
        store.evict(config.cache_max_bytes)
    project.notifications = notifications
    return RunResult(
        findings, notifications, rules, project, len(project.files), registry, changed=changed
    )
