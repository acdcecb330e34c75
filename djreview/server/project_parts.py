"""A session's whole-project checks: each part kept while what it reads stays the same.

The whole-project checks run per file (`check_file`, reading an analysis)
and once per project (`check_project`). After an edit the analyses are
rebuilt (from facts kept per file, see `engine.file_memo`), and most of
their output is what it was: a part (one check on one file, or one
project check) is kept when its file is the same object and every analysis
it declares in `Check.uses` gives output with the same digest, places
included (`facts_context.located`). An analysis with no such digest (the
project model, the confirmation report) re-runs its checks every time.
The result is the raw findings of `Incremental` without cache, in its order.
"""

from __future__ import annotations

from collections.abc import Callable

from djreview.engine.parallel import (
    Part,
    RuleSet,
    analyse_files,
    build_analyses,
    run_project_check,
    used_analyses,
)
from djreview.indexes.analysis import IndexAnalysis
from djreview.model import Finding
from djreview.nplusone.analysis import NPlusOne
from djreview.project import facts_context
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis

Key = tuple[str | None, ...]


def _nplusone(project: Project) -> str:
    return facts_context.located(project.analysis(NPlusOne).problems)


def _indexes(project: Project) -> str:
    analysis = project.analysis(IndexAnalysis)
    return facts_context.located((analysis.needs, [analysis.fix_for(n) for n in analysis.needs]))


def _taint(project: Project) -> str:
    return facts_context.located(project.analysis(TaintAnalysis).analyse())


# The digest of each analysis' output its checks read; others have none.
OUTPUT: dict[type, Callable[[Project], str]] = {
    NPlusOne: _nplusone,
    IndexAnalysis: _indexes,
    TaintAnalysis: _taint,
}


class KeptParts:
    """The parts of the last run, by file, with the key each was computed under."""

    def __init__(self, rules: RuleSet, budget: float) -> None:
        self.rules = rules
        self.budget = budget
        self._files: dict[str, tuple[SourceFile, dict[str, tuple[Key, Part]]]] = {}
        self._project: dict[str, tuple[Key, Part]] = {}
        self._sources: dict[str, list[str]] = {}
        self.reused = 0
        self.fresh = 0

    def _keys(self, project: Project) -> dict[str, Key]:
        """Each check's key: the output digests of the analyses it uses (None: no digest)."""
        kinds = used_analyses(self.rules.checks)
        build_analyses(project, [ProjectModel])
        build_analyses(project, kinds)
        outputs: dict[type, str | None] = {}
        for kind in kinds:
            try:
                outputs[kind] = OUTPUT[kind](project) if kind in OUTPUT else None
            except Exception:  # the checks that read it report the failure themselves
                outputs[kind] = None
        return {c.id: tuple(outputs[kind] for kind in c.uses) for c in self.rules.checks}

    def raw(self, project: Project) -> list[Finding]:
        """The raw findings of every whole-project check on `project`."""
        keys = self._keys(project)
        kept: dict[str, tuple[SourceFile, dict[str, tuple[Key, Part]]]] = {}
        order: list[tuple[str, list[str]]] = []
        work: list[tuple[int, frozenset[str]]] = []
        for i, file in enumerate(project.files):
            old = self._files.get(file.rel)
            same = old is not None and old[0] is file
            # The rule groups that apply depend on the file alone (hints in its text).
            sources = self._sources[file.rel] if same else self.rules.sources(file)
            self._sources[file.rel] = sources
            have = old[1] if old is not None and same else {}
            parts = {
                s: have[s]
                for s in sources
                if s in have and None not in keys.get(s, ()) and have[s][0] == keys.get(s, ())
            }
            missing = frozenset(s for s in sources if s not in parts)
            if missing:
                work.append((i, missing))
            kept[file.rel] = (file, parts)
            order.append((file.rel, sources))
            self.reused += len(parts)
        for result in analyse_files(project, self.rules, work, 1, self.budget):
            parts = kept[result.rel][1]
            for part in result.parts:
                parts[part.source] = (keys.get(part.source, ()), part)
                self.fresh += 1
        self._files = kept
        self._sources = {rel: self._sources[rel] for rel in kept}
        raw = [
            finding
            for rel, sources in order
            for source in sources
            if source in kept[rel][1]
            for finding in kept[rel][1][source][1].findings
        ]
        for check in self.rules.checks:
            raw += self._project_part(check.id, keys[check.id], project)
        return raw

    def _project_part(self, check_id: str, key: Key, project: Project) -> tuple[Finding, ...]:
        old = self._project.get(check_id)
        if old is not None and None not in key and old[0] == key:
            self.reused += 1
            return old[1].findings
        check = next(c for c in self.rules.checks if c.id == check_id)
        result = run_project_check(check, project, self.budget)
        if not result.complete:
            self._project.pop(check_id, None)
            return ()
        self.fresh += 1
        self._project[check_id] = (key, result.parts[0])
        return result.parts[0].findings
