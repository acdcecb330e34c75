"""Analysing files: every rule on one file under a time budget, and a pool for many files.

The unit of work is one file: the pattern (ast-grep) rules and each Python
check's `check_file`, each group guarded so a crashing rule becomes a
notification. Each group's findings come back as a `Part` that records what
the group reads besides its file (the check's declared `depends`: nothing,
the project model, or the whole project), which the cache uses to decide when
the part is stale.

`--jobs N` forks N workers after the main process has read the files and
built the project model, so workers inherit both (copy-on-write) and send back
only findings. Results are put back in file order, so the output is the same
as a single-process run's. Small trees are analysed in-process: starting a
pool costs more than it saves there.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from djreview.engine.deadline import BudgetExceeded, handler_installed, time_budget
from djreview.engine.yaml_rules import parse_python
from djreview.model import Finding, Notification

if TYPE_CHECKING:
    from ast_grep_py import SgNode

    from djreview.checks.base import Check
    from djreview.engine.yaml_rules import YamlRule
    from djreview.source.file import SourceFile
    from djreview.source.project import Project, ProjectAnalysis

log = logging.getLogger("djreview")

PATTERNS = "patterns"
# Below this many files to analyse, a pool costs more than it saves.
POOL_MIN_FILES = 100


@dataclass(frozen=True, slots=True)
class Part:
    """What one rule group found on one file (or one whole-project check found).

    Slotted, with tuples (the empty one is shared): a large run holds one per
    rule per file, 150,000 on saleor, mostly empty.
    """

    source: str
    depends: str
    findings: tuple[Finding, ...]
    notes: tuple[Notification, ...]


@dataclass
class FileResult:
    """Every part of one file; incomplete when the budget ran out (never cached)."""

    rel: str
    parts: list[Part] = field(default_factory=list)
    complete: bool = True
    notes: list[Notification] = field(default_factory=list)


@dataclass(frozen=True)
class RuleSet:
    """The selected rules of a run, in their fixed order."""

    yaml_rules: tuple[YamlRule, ...]
    checks: tuple[Check, ...]

    def sources(self, file: SourceFile) -> list[str]:
        """The rule groups that apply to `file`, in output order."""
        names = [PATTERNS] if file.kind == "python" else []
        names += [check.id for check in self.checks if check.applies_to(file)]
        return names


def guarded(
    what: str, path: str, produce: Callable[[], Iterable[Finding]], notes: list[Notification]
) -> list[Finding]:
    """Run one rule; a crash becomes a notification in `notes`, never a lost run."""
    try:
        return list(produce())
    except RecursionError:
        notes.append(Notification(path, f"{what}: gave up on deeply nested code"))
    except Exception as exc:  # a rule bug must not stop the other rules
        log.debug("rule crash", exc_info=True)
        notes.append(
            Notification(path, f"{what}: internal error {exc.__class__.__name__}: {exc}", "error")
        )
    return []


def _patterns(file: SourceFile, rules: RuleSet) -> Part:
    notes: list[Notification] = []
    findings: list[Finding] = []
    if file.tree is None and file.parse_error:
        notes.append(Notification(file.rel, f"{file.parse_error}; only pattern rules ran on it"))
    elif file.python2_lines:
        lines = file.python2_lines
        notes.append(
            Notification(file.rel, f"read as Python 2 ({lines} line{'s' * (lines != 1)} rewritten)")
        )
    # A file none of the rules' hints occur in is never parsed by tree-sitter:
    # that parse was a tenth of a whole run on a large project.
    # Only the pattern rules read ast-grep trees: one per file, dropped once its
    # rules ran, so a large project never holds every tree at once.
    root: SgNode | None = None
    for rule in rules.yaml_rules:
        if rule.applies_to(file.rel, file.text):
            if root is None:
                root = parse_python(file.text)
            produce = partial(rule.run, root, file.rel)
            findings += guarded(rule.meta.id, file.rel, produce, notes)
    return Part(PATTERNS, "file", tuple(findings), tuple(notes))


def _check_file(check: Check, file: SourceFile, project: Project) -> Part:
    notes: list[Notification] = []
    findings = guarded(check.id, file.rel, partial(check.check_file, file, project), notes)
    return Part(check.id, check.depends, tuple(findings), tuple(notes))


def over_budget(path: str, what: str, budget: float) -> Notification:
    """The notification for work stopped by the time budget."""
    return Notification(path, f"skipped: {what} took longer than the {budget:g} s budget", "error")


def analyse_file(
    file: SourceFile, project: Project, rules: RuleSet, wanted: frozenset[str], budget: float
) -> FileResult:
    """Run the rule groups named in `wanted` on one file, within `budget` seconds."""
    parts: list[Part] = []
    try:
        with time_budget(budget):
            if PATTERNS in wanted and file.kind == "python":
                parts.append(_patterns(file, rules))
            for check in rules.checks:
                if check.id in wanted:  # `wanted` only names checks that apply to the file
                    parts.append(_check_file(check, file, project))
    except BudgetExceeded:
        note = over_budget(file.rel, "analysis", budget)
        return FileResult(file.rel, complete=False, notes=[note])
    finally:
        file.release_groupings()
    return FileResult(file.rel, parts)


def run_project_check(check: Check, project: Project, budget: float) -> FileResult:
    """One whole-project check, within `budget` seconds."""
    notes: list[Notification] = []
    try:
        with time_budget(budget):
            produce = partial(check.check_project, project)
            findings = guarded(check.id, ".", produce, notes)
    except BudgetExceeded:
        return FileResult(".", complete=False, notes=[over_budget(".", check.id, budget)])
    # A whole-project check reads the whole project, whatever it declares for files.
    return FileResult(".", [Part(check.id, "project", tuple(findings), tuple(notes))])


# What forked workers inherit: set just before the pool starts.
_SHARED: tuple[Project, RuleSet, float] | None = None


def _work(batch: list[tuple[int, frozenset[str]]]) -> list[FileResult]:
    assert _SHARED is not None
    project, rules, budget = _SHARED
    with handler_installed():
        return [
            analyse_file(project.files[i], project, rules, wanted, budget) for i, wanted in batch
        ]


def worker_count(jobs: int) -> int:
    """The number of processes `--jobs` asks for; 0 means every usable core."""
    if jobs > 0:
        return jobs
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def analyse_files(
    project: Project,
    rules: RuleSet,
    work: list[tuple[int, frozenset[str]]],
    jobs: int,
    budget: float,
) -> list[FileResult]:
    """Analyse `work` (file index into project.files, rule groups), in file order."""
    workers = min(worker_count(jobs), len(work))
    if workers <= 1 or len(work) < POOL_MIN_FILES or not can_fork():
        return _work_here(project, rules, work, budget)
    return _work_in_pool(project, rules, work, workers, budget)


def _work_here(
    project: Project, rules: RuleSet, work: list[tuple[int, frozenset[str]]], budget: float
) -> list[FileResult]:
    with handler_installed():
        return [
            analyse_file(project.files[i], project, rules, wanted, budget) for i, wanted in work
        ]


def _work_in_pool(
    project: Project,
    rules: RuleSet,
    work: list[tuple[int, frozenset[str]]],
    workers: int,
    budget: float,
) -> list[FileResult]:
    global _SHARED
    size = max(4, len(work) // (workers * 8))
    batches = [work[start : start + size] for start in range(0, len(work), size)]
    # A worker stuck in native code never sees its alarm: give up on it after
    # every file of its batch has had its budget (CPU time), with a wide
    # margin for the wall clock of a loaded machine.
    patience = (budget * size + 60) * 10 if budget > 0 else None
    results: list[FileResult] = []
    _SHARED = (project, rules, budget)
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        stream = pool.imap(_work, batches)
        for _ in batches:
            try:
                results += stream.next(patience)
            except multiprocessing.TimeoutError:
                return results + _stuck(project, work[len(results) :])
    except Exception:  # a worker died or a result would not pickle
        log.debug("pool failed; finishing in-process", exc_info=True)
        return results + _work_here(project, rules, work[len(results) :], budget)
    finally:
        _SHARED = None
        pool.terminate()
        pool.join()
    return results


def project_only(check: Check) -> bool:
    """Whether a check finds things only in `check_project` (its own `check_file` is the base's)."""
    from djreview.checks.base import Check as Base

    kind = type(check)
    return kind.check_project is not Base.check_project and kind.check_file is Base.check_file


def used_analyses(checks: Iterable[Check]) -> list[type[ProjectAnalysis]]:
    """The analyses `checks` declare they use, each once, in declaration order."""
    return list(dict.fromkeys(kind for check in checks for kind in check.uses))


def build_analyses(project: Project, kinds: Iterable[type[ProjectAnalysis]]) -> None:
    """Build each analysis of `kinds` before any budgeted work.

    In the process that runs the checks, before files are analysed, so forked
    workers inherit them instead of each building its own and no rule's time
    budget pays for what all of them share. A failure is left for the checks'
    own calls to report.
    """
    for kind in kinds:
        try:
            project.analysis(kind)
        except Exception:
            log.debug("building %s failed", kind.__name__, exc_info=True)


# What the side process inherits: set just before it is forked.
_ASIDE: tuple[Project, tuple[Check, ...], float] | None = None


def _aside_work() -> list[FileResult]:
    assert _ASIDE is not None
    project, checks, budget = _ASIDE
    build_analyses(project, used_analyses(checks))
    return [run_project_check(check, project, budget) for check in checks]


class Aside:
    """Whole-project checks (N+1, indexes, settings) run in a forked process meanwhile.

    Their shared analyses are most of a large run once the trees are parsed,
    and they need nothing the per-file checks compute, so with two or more
    cores they run beside the per-file work instead of after it. Only
    findings come back. `results()` is None when the process failed; the
    caller then runs the checks itself, so nothing is lost.
    """

    def __init__(self, project: Project, checks: tuple[Check, ...], budget: float) -> None:
        global _ASIDE
        self.checks = checks
        # A stuck native call never sees its alarm: each check gets its budget,
        # with a wide margin for the wall clock of a loaded machine.
        self.patience = (budget * len(checks) + 120) * 10 if budget > 0 else None
        _ASIDE = (project, checks, budget)
        try:
            self.pool = multiprocessing.get_context("fork").Pool(1)  # forks here
            self.pending = self.pool.apply_async(_aside_work)
        finally:
            _ASIDE = None

    def stop(self) -> None:
        """End the side process without waiting for its results."""
        self.pool.terminate()
        self.pool.join()

    def results(self) -> list[FileResult] | None:
        """Each check's result, in the order given; None if the side process failed."""
        try:
            results: list[FileResult] = self.pending.get(self.patience)
            return results
        except Exception:  # died, timed out, or a result would not pickle
            log.debug("side process failed; running project checks in-process", exc_info=True)
            return None
        finally:
            self.stop()


def can_fork() -> bool:
    """Whether this platform can fork workers that inherit the parsed project."""
    return "fork" in multiprocessing.get_all_start_methods()


def _stuck(project: Project, work: list[tuple[int, frozenset[str]]]) -> list[FileResult]:
    message = "skipped: a worker stopped responding"
    rels = [project.files[i].rel for i, _ in work]
    return [
        FileResult(rel, complete=False, notes=[Notification(rel, message, "error")]) for rel in rels
    ]
