"""The analysed project as the rules see it: its files, root, settings and analyses.

Whole-project analyses (the project model, the N+1 analysis, the missing-index
analysis, request-data tracking) are memoised here, keyed by the analysis
class: `project.analysis(NPlusOne)` builds it on first use and returns the
same object for the rest of the run. A check declares the analyses it reads
(`Check.uses`); the engine builds those before the timed per-file work, and
the result cache derives the check's dependencies from the same declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol, Self, TypeVar

from djreview.config import Config
from djreview.model import Notification
from djreview.source.file import SourceFile


class ProjectAnalysis(Protocol):
    """A whole-project analysis: built from the project once per run, then shared."""

    @classmethod
    def build(cls, project: Project) -> Self:
        """Analyse `project` (called once per run, by `Project.analysis`)."""
        ...


AnalysisT = TypeVar("AnalysisT", bound=ProjectAnalysis)
T = TypeVar("T")


class FactsMemo(Protocol):
    """Per-file facts kept across runs (a server session's `engine.file_memo.FileMemo`)."""

    def get(
        self,
        namespace: str,
        file: SourceFile | None,
        context: str,
        compute: Callable[[], T],
        still_valid: Callable[[T], bool] | None = None,
    ) -> T:
        """`compute()`, or the value it gave for this file object (None: project) and context."""
        ...


@dataclass
class Project:
    """Every readable file of one run, shared by all rules; built once per run."""

    root: Path
    files: list[SourceFile]
    config: Config = field(default_factory=Config)
    notifications: list[Notification] = field(default_factory=list)
    # Kept across runs by a server session; None in a `djreview check` run.
    memo: FactsMemo | None = field(default=None, repr=False, compare=False)
    _analyses: dict[type, object] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @cached_property
    def by_rel(self) -> dict[str, SourceFile]:
        """Files by project-relative POSIX path."""
        return {file.rel: file for file in self.files}

    @property
    def python_files(self) -> list[SourceFile]:
        """The Python modules, in path order."""
        return [file for file in self.files if file.kind == "python"]

    def per_file(
        self,
        namespace: str,
        file: SourceFile,
        context: str,
        compute: Callable[[SourceFile], T],
        still_valid: Callable[[T], bool] | None = None,
    ) -> T:
        """What `compute` finds in `file`; reused from an earlier run for the same file and context.

        `context` fingerprints everything else `compute` reads (the schema, other
        modules' names); facts that read other files whose content matters
        (another module's function body) check them with `still_valid`.
        """
        if self.memo is None:
            return compute(file)
        return self.memo.get(namespace, file, context, lambda: compute(file), still_valid)

    def joined(
        self,
        namespace: str,
        context: str,
        compute: Callable[[], T],
        still_valid: Callable[[T], bool],
    ) -> T:
        """A whole-project join's result, reused while `context` and `still_valid` hold."""
        if self.memo is None:
            return compute()
        return self.memo.get(namespace, None, context, compute, still_valid)

    def analysis(self, kind: type[AnalysisT]) -> AnalysisT:
        """The run's `kind` analysis of this project, built on first use.

        A build that raises is not memoised: each caller sees (and reports)
        the failure itself.
        """
        found = self._analyses.get(kind)
        if found is None:
            found = self._analyses[kind] = kind.build(self)
        assert isinstance(found, kind)
        return found
