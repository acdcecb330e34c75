"""The base class of every Python check, and the helpers checks share.

A check declares its metadata as class attributes (id, name, message,
severity, ...) and its documentation as the class docstring; the registry
turns those into a `RuleMeta`. A check implements `check_file` (one file at a
time) and/or `check_project` (whole-project rules such as missing indexes).
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from djreview.model import Finding, Fix, FlowStep, Location, RelatedLocation, RuleMeta, Severity

if TYPE_CHECKING:
    from djreview.source.file import SourceFile
    from djreview.source.project import Project, ProjectAnalysis


class Check:
    """A rule implemented in Python, for what needs the project model."""

    id: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    category: ClassVar[str]
    tags: ClassVar[tuple[str, ...]] = ()
    cwe: ClassVar[tuple[int, ...]] = ()
    precision: ClassVar[str] = "high"
    security_severity: ClassVar[float | None] = None
    fixable: ClassVar[bool] = False
    enabled_by_default: ClassVar[bool] = True
    # None: decided by category (security rules skip tests and migrations).
    reports_tests: ClassVar[bool | None] = None
    references: ClassVar[tuple[str, ...]] = ()
    # Which files `check_file` wants: "python", "template" or both.
    file_kinds: ClassVar[tuple[str, ...]] = ("python",)
    # Words without which the rule cannot match a file (e.g. "execute", "raw"):
    # a substring test on the text skips most files before any tree walk.
    hints: ClassVar[tuple[str, ...]] = ()
    # A regex the text must match as well, when words are too common ("raw"
    # is in "drawing"): e.g. a call of one of the names.
    hint_pattern: ClassVar[re.Pattern[str] | None] = None
    # The whole-project analyses the check reads through `project.analysis(K)`
    # (e.g. `(NPlusOne,)`, `(ProjectModel,)`): the engine builds them before
    # the timed per-file work, and the result cache derives `depends` from
    # them. A check that uses none reads nothing but its own file.
    uses: ClassVar[tuple[type[ProjectAnalysis], ...]] = ()
    # Whether `check_file` findings may carry flow steps or related places in
    # other files (request data followed through helpers): `--diff` then also
    # runs it on files a changed file's data flows into.
    reports_flows: ClassVar[bool] = False

    @classmethod
    def meta(cls, sample: str = "") -> RuleMeta:
        """The rule's metadata, from the class attributes and docstring."""
        return RuleMeta(
            id=cls.id,
            name=cls.name,
            message=cls.message,
            severity=Severity(cls.severity),
            category=cls.category,
            docs=inspect.cleandoc(cls.__doc__ or ""),
            tags=tuple(cls.tags),
            cwe=tuple(cls.cwe),
            precision=cls.precision,
            security_severity=cls.security_severity,
            fixable=cls.fixable,
            enabled_by_default=cls.enabled_by_default,
            source=f"{cls.__module__}.{cls.__qualname__}",
            sample=sample,
            references=tuple(cls.references),
            reports_tests=(
                cls.category != "security" if cls.reports_tests is None else cls.reports_tests
            ),
        )

    @property
    def depends(self) -> str:
        """What `check_file` findings depend on, for the cache: "file" or "project".

        "file": only its own file (cached with the file); "project": the
        analyses it uses, so any change to the project re-runs it.
        """
        return "project" if self.uses else "file"

    def applies_to(self, file: SourceFile) -> bool:
        """Whether `check_file` can find anything in `file`: its kind, then its hints.

        Never for a check that finds everything in `check_project`: running the
        default `check_file` on every file cost a language server a tenth of
        its step after an edit.
        """
        if type(self).check_file is Check.check_file or file.kind not in self.file_kinds:
            return False
        if self.hints and not any(hint in file.text for hint in self.hints):
            return False
        return self.hint_pattern is None or self.hint_pattern.search(file.text) is not None

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """Findings in one file; the default finds nothing."""
        return ()

    def check_project(self, project: Project) -> Iterable[Finding]:
        """Findings that need the whole project at once; the default finds nothing."""
        return ()

    def finding(
        self,
        where: Location | tuple[SourceFile, ast.AST],
        message: str | None = None,
        *,
        related: Iterable[RelatedLocation] = (),
        flow: Iterable[FlowStep] = (),
        fix: Fix | None = None,
        properties: dict[str, str] | None = None,
        **fields: object,
    ) -> Finding:
        """Build a finding of this rule; `message` defaults to the rule's, formatted with fields."""
        if isinstance(where, Location):
            location = where
        else:
            file, node = where
            location = file.node_location(node)
        text = message if message is not None else self.message
        if fields:
            text = text.format(**fields)
        return Finding(
            rule_id=self.id,
            rule_name=self.name,
            message=text,
            severity=Severity(self.severity),
            location=location,
            related=tuple(related),
            flow=tuple(flow),
            fix=fix,
            properties=tuple(sorted((properties or {}).items())),
        )
