"""The shared shape of request-data rules: report flows that reach a sink kind."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from djreview.checks.base import Check
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project, ProjectAnalysis
from djreview.taint.analysis import TaintAnalysis
from djreview.taint.function import Hit


class TaintCheck(Check):
    """A rule that fires where request data reaches a sink of one of `kinds`.

    The message may use `{sink}` (the dangerous call) and `{source}` (where
    the data came from); the finding carries the whole path as its flow.
    """

    category = "security"
    severity = Severity.ERROR
    kinds: ClassVar[frozenset[str]]
    reports_flows = True
    uses: ClassVar[tuple[type[ProjectAnalysis], ...]] = (TaintAnalysis,)

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per sink that request data reaches."""
        return self._findings(file, project)

    def _findings(self, file: SourceFile, project: Project) -> Iterator[Finding]:
        hits = project.analysis(TaintAnalysis).hits_in(file)
        for hit in hits:
            if hit.sink.kind in self.kinds and self.accepts_in(project, hit, hits):
                facts = {"sink": hit.sink.what, "source": source_label(hit), **self.facts(hit)}
                yield self.finding(
                    (file, hit.sink.call), self.message.format(**facts), flow=hit.steps
                )

    def facts(self, hit: Hit) -> dict[str, str]:
        """More values for this rule's message, beyond `sink` and `source`."""
        return {}

    def accepts(self, hit: Hit, hits: list[Hit]) -> bool:
        """Whether this rule reports the hit; `hits` are all flows into this file's sinks."""
        return True

    def accepts_in(self, project: Project, hit: Hit, hits: list[Hit]) -> bool:
        """`accepts`, for rules that look beyond the sink's file (templates, other modules)."""
        return self.accepts(hit, hits)


def source_label(hit: Hit) -> str:
    """The first step's description, e.g. "`request.GET`" or "URL parameter `slug`"."""
    first = hit.steps[0].message if hit.steps else "request data"
    return first.split(":", 1)[0]
