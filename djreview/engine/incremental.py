"""Running the rules on what changed: reuse cached parts, analyse the rest, store it.

A part (one rule group on one file, or one whole-project check) is reused when
its file is unchanged and the fingerprint of what else it read still matches:

* `file`: it reads only its file; the file's digest (in the entry key) suffices;
* `project`: it reads a whole-project analysis; the project key (every file's
  digest).

Pattern rules depend on their file; a Python check's dependency follows from
the analyses it declares in `Check.uses` (none: its file; any: the project),
and a whole-project check depends on the project. Dependencies are declared,
not observed: analyses are memoised on the project for the run, so watching
which attributes a call touches would miss what the memo read. Checks must
not keep state between calls that changes their findings (a call may run in
another process, or not at all when reused).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from djreview.engine import parallel
from djreview.engine.cache import keys
from djreview.engine.cache.codec import (
    decode_finding,
    decode_notification,
    decode_rule,
    encode_finding,
    encode_notification,
    encode_rule,
)
from djreview.engine.cache.store import Store
from djreview.engine.parallel import (
    Aside,
    FileResult,
    Part,
    RuleSet,
    analyse_files,
    build_analyses,
    can_fork,
    project_only,
    run_project_check,
    used_analyses,
    worker_count,
)
from djreview.engine.shard import Shard
from djreview.model import Finding, Notification, RuleMeta
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project

if TYPE_CHECKING:
    from djreview.checks.base import Check

log = logging.getLogger("djreview")


@dataclass
class Analysis:
    """Raw findings and notes of a run; incomplete when a budget ran out (not cached)."""

    raw: list[Finding] = field(default_factory=list)
    notes: list[Notification] = field(default_factory=list)
    complete: bool = True
    reused_parts: int = 0
    fresh_parts: int = 0


class Dependencies:
    """The current fingerprint of each kind of dependency of a part."""

    def __init__(self, project: Project) -> None:
        self.project = project

    @cached_property
    def project_key(self) -> str:
        """Every file's path, kind and digest."""
        return keys.project_key(self.project.files)

    def key(self, depends: str) -> str:
        """The fingerprint a part of this dependency kind must carry to be reused."""
        return "" if depends == "file" else self.project_key


def _encode_part(part: Part, fingerprint: str) -> dict[str, Any]:
    return {
        "source": part.source,
        "depends": part.depends,
        "fp": fingerprint,
        "findings": [encode_finding(finding) for finding in part.findings],
        "notes": [encode_notification(note) for note in part.notes],
    }


def _decode_parts(entry: Any, deps: Dependencies) -> dict[str, Part]:
    """The still-valid parts of a cache entry; nothing for a malformed one."""
    parts: dict[str, Part] = {}
    try:
        for data in entry["parts"]:
            if deps.key(data["depends"]) != data["fp"]:
                continue
            parts[data["source"]] = Part(
                str(data["source"]),
                str(data["depends"]),
                tuple(decode_finding(item) for item in data["findings"]),
                tuple(decode_notification(item) for item in data["notes"]),
            )
    except (KeyError, TypeError, ValueError, AttributeError):
        return {}
    return parts


def _shared_model_parts(project: Project) -> None:
    """Build the lazy parts of the project model both sides of a fork read, once.

    The settings, views and URL routes feed the request-data tracking (main
    process) and the N+1 and settings rules (side process): built after the
    fork they were built twice (a third of the CPU of NetBox's run).
    """
    try:
        model = project.analysis(ProjectModel)
        model.settings  # noqa: B018 - building the cached properties is the point
        model.views  # noqa: B018
        model.routed_views  # noqa: B018
    except Exception:  # the rules that read them report the failure themselves
        log.debug("project model parts failed", exc_info=True)


class Incremental:
    """One run's analysis with an optional cache, shard and pool."""

    def __init__(
        self,
        project: Project,
        rules: RuleSet,
        *,
        store: Store | None = None,
        shard: Shard | None = None,
        jobs: int = 1,
        budget: float = 0.0,
        focus: frozenset[str] | None = None,
    ) -> None:
        self.project = project
        self.rules = rules
        self.store = store
        self.shard = shard
        # With --diff: the only files whose per-file rules can report anything kept.
        self.focus = focus
        self.jobs = jobs
        self.budget = budget
        self.deps = Dependencies(project)
        rule_ids = [rule.meta.id for rule in rules.yaml_rules] + [c.id for c in rules.checks]
        self.config_fp = keys.config_fingerprint(project.config, rule_ids) if store else ""

    def _cacheable(self, file: SourceFile) -> bool:
        return self.store is not None and bool(file.digest)

    def _reusable(self, file: SourceFile) -> dict[str, Part]:
        if self.store is None or not self._cacheable(file):
            return {}
        entry = self.store.get(keys.file_key(self.config_fp, file))
        return _decode_parts(entry, self.deps) if entry is not None else {}

    def _save_file(self, file: SourceFile, parts: list[Part]) -> None:
        """Store the parts a later run of a *changed* tree can reuse.

        A part that depends on the whole project is valid only while no file
        changes, and an unchanged tree is answered by the whole-run entry: it
        is not stored. So after an edit, the entries of the other files (their
        pattern and file-only parts, reused) stay as they are, instead of
        4,000 entries being rewritten on a large project.
        """
        if self.store is not None and self._cacheable(file):
            kept = [p for p in parts if p.depends != "project"]
            entry = {"parts": [_encode_part(p, self.deps.key(p.depends)) for p in kept]}
            self.store.put(keys.file_key(self.config_fp, file), entry)

    def analyse(self) -> Analysis:
        """Every owned file's parts and every whole-project check, reused or run."""
        files = self.project.files
        owned = [
            i
            for i, f in enumerate(files)
            if (self.shard is None or self.shard.owns(f.rel))
            and (self.focus is None or f.rel in self.focus)
        ]
        reused: dict[int, dict[str, Part]] = {}
        work: list[tuple[int, frozenset[str]]] = []
        # Which rule groups apply to each file, decided once (hints scan the text).
        sources = {i: self.rules.sources(files[i]) for i in owned}
        for i in owned:
            have = self._reusable(files[i])
            reused[i] = {source: have[source] for source in sources[i] if source in have}
            missing = frozenset(source for source in sources[i] if source not in reused[i])
            if missing:
                work.append((i, missing))
        project_parts = self._cached_project_parts()
        pending = [c for c in self.rules.checks if c.id not in project_parts]
        aside: Aside | None = None
        jobs = self.jobs
        kinds = used_analyses(self.rules.checks)
        if kinds and (work or pending):
            # Every analysis builds on the project model: first, so all inherit it.
            build_analyses(self.project, [ProjectModel])
            aside = self._start_aside(pending)
            if aside is not None:
                jobs = worker_count(jobs) - 1  # one core is busy with the project checks
            here = [c for c in self.rules.checks if aside is None or c not in aside.checks]
            build_analyses(self.project, used_analyses(here))
        try:
            fresh = {
                result.rel: result
                for result in analyse_files(self.project, self.rules, work, jobs, self.budget)
            }
        except BaseException:  # Ctrl-C or a bug: do not leave the side process running
            if aside is not None:
                aside.stop()
            raise
        aside_results: dict[str, FileResult] = {}
        if aside is not None:
            results = aside.results()
            if results is not None:
                aside_results = {c.id: r for c, r in zip(aside.checks, results, strict=True)}
            else:  # the side process failed: its checks run here, nothing is lost
                build_analyses(self.project, used_analyses(aside.checks))
        analysis = Analysis(
            reused_parts=sum(len(parts) for parts in reused.values()) + len(project_parts),
            fresh_parts=sum(len(wanted) for _, wanted in work) + len(pending),
        )
        for i in owned:
            self._collect(files[i], sources[i], reused[i], fresh.get(files[i].rel), analysis)
        for check in self.rules.checks:
            part = project_parts.get(check.id)
            if part is None:
                part = self._run_project_check(check.id, analysis, aside_results.get(check.id))
            if part is not None:
                analysis.raw += [f for f in part.findings if self._owns(f.location.path)]
                analysis.notes += [n for n in part.notes if self._owns(n.path)]
        return analysis

    def _owns(self, path: str) -> bool:
        return self.shard is None or self.shard.owns(path)

    def _collect(
        self,
        file: SourceFile,
        sources: list[str],
        reused: dict[str, Part],
        result: FileResult | None,
        out: Analysis,
    ) -> None:
        if result is not None and not result.complete:
            out.complete = False
            out.notes += result.notes
            return
        by_source = dict(reused)
        if result is not None:
            by_source.update((part.source, part) for part in result.parts)
            # Only new storable parts change the file's entry (see _save_file).
            if any(part.depends != "project" for part in result.parts):
                self._save_file(file, [by_source[s] for s in sources if s in by_source])
        for source in sources:
            part = by_source.get(source)
            if part is not None:
                out.raw += part.findings
                out.notes += part.notes

    def _cached_project_parts(self) -> dict[str, Part]:
        parts: dict[str, Part] = {}
        if self.store is None:
            return parts
        for check in self.rules.checks:
            entry = self.store.get(keys.project_check_key(self.config_fp, check.id))
            if entry is not None:
                parts.update(_decode_parts(entry, self.deps))
        return parts

    def _start_aside(self, pending: list[Check]) -> Aside | None:
        """Fork the whole-project checks off when there are cores and files enough to gain."""
        checks = tuple(c for c in pending if project_only(c))
        if (
            not checks
            or worker_count(self.jobs) < 2
            or len(self.project.files) < parallel.POOL_MIN_FILES
            or not can_fork()
        ):
            return None
        _shared_model_parts(self.project)
        return Aside(self.project, checks, self.budget)

    def _run_project_check(
        self, check_id: str, out: Analysis, done: FileResult | None = None
    ) -> Part | None:
        check = next(c for c in self.rules.checks if c.id == check_id)
        result = done if done is not None else run_project_check(check, self.project, self.budget)
        if not result.complete:
            out.complete = False
            out.notes += [n for n in result.notes if self._owns(n.path)]
            return None
        part = result.parts[0]
        if self.store is not None:
            entry = {"parts": [_encode_part(part, self.deps.key(part.depends))]}
            self.store.put(keys.project_check_key(self.config_fp, check_id), entry)
        return part


class RunCache:
    """The whole-run entry: an unchanged tree's report without loading a single rule."""

    def __init__(self, store: Store, project: Project, shard: Shard | None) -> None:
        self.store = store
        config_fp = keys.run_config_fingerprint(project.config)
        project_fp = keys.project_key(project.files)
        self.key = keys.run_key(config_fp, project_fp, project.notifications, str(shard or ""))

    def load(self) -> tuple[list[Finding], list[Notification], list[RuleMeta]] | None:
        """The stored findings, notifications and rule metadata, or None on a miss."""
        entry = self.store.get(self.key)
        if entry is None:
            return None
        try:
            findings = [decode_finding(item) for item in entry["findings"]]
            notes = [decode_notification(item) for item in entry["notes"]]
            rules = [decode_rule(item) for item in entry["rules"]]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        return findings, notes, rules

    def save(
        self, findings: list[Finding], notes: list[Notification], rules: list[RuleMeta]
    ) -> None:
        """Store a complete run's final findings, notifications and rules."""
        self.store.put(
            self.key,
            {
                "findings": [encode_finding(finding) for finding in findings],
                "notes": [encode_notification(note) for note in notes],
                "rules": [encode_rule(meta) for meta in rules],
            },
        )
