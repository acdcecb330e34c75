"""The data that crosses module boundaries: findings, locations, fixes and rule metadata.

Every type is a frozen, slotted dataclass: findings are values, compared and
sorted, never mutated after a check creates them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    """A finding's level, named as SARIF names them."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        """Higher is more severe; used for `--fail-on` and sorting."""
        return {"note": 1, "warning": 2, "error": 3}[self.value]


class Applicability(enum.StrEnum):
    """How safely a fix may be applied (after ruff's Safe/Unsafe/DisplayOnly)."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    SUGGESTION = "suggestion"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A range in a project file: POSIX path relative to the project root.

    Lines and columns are 1-based; columns count Unicode code points, and the
    end column is exclusive (SARIF's convention).
    """

    path: str
    start_line: int
    start_column: int = 1
    end_line: int = 0
    end_column: int = 0

    def __post_init__(self) -> None:
        if self.end_line == 0:
            object.__setattr__(self, "end_line", self.start_line)
        if self.end_column == 0:
            object.__setattr__(self, "end_column", self.start_column)

    def __str__(self) -> str:
        return f"{self.path}:{self.start_line}:{self.start_column}"


@dataclass(frozen=True, slots=True, order=True)
class RelatedLocation:
    """A second place that explains a finding: the loop, the queryset origin."""

    location: Location
    message: str


@dataclass(frozen=True, slots=True, order=True)
class FlowStep:
    """One step of a data or call path (SARIF codeFlows): source, hops, sink."""

    location: Location
    message: str


@dataclass(frozen=True, slots=True, order=True)
class Edit:
    """Replace the text at `location` with `replacement` (insertion: empty range)."""

    location: Location
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A change that removes a finding; edits may span several files."""

    description: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE


@dataclass(frozen=True, slots=True)
class Finding:
    """One defect found by one rule at one place."""

    rule_id: str
    rule_name: str
    message: str
    severity: Severity
    location: Location
    related: tuple[RelatedLocation, ...] = ()
    flow: tuple[FlowStep, ...] = ()
    fix: Fix | None = None
    snippet: str = ""
    fingerprint: str = ""
    suppressed: bool = False
    # Extra, rule-specific facts for JSON/SARIF properties (sorted key/value pairs).
    properties: tuple[tuple[str, str], ...] = ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Deterministic output order: file, position, rule, message."""
        loc = self.location
        return (loc.path, loc.start_line, loc.start_column, self.rule_id, self.message)


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """Everything djreview says about a rule, whatever engine runs it."""

    id: str
    name: str
    message: str
    severity: Severity
    category: str
    docs: str
    tags: tuple[str, ...] = ()
    cwe: tuple[int, ...] = ()
    precision: str = "high"
    security_severity: float | None = None
    fixable: bool = False
    enabled_by_default: bool = True
    source: str = ""
    sample: str = ""
    references: tuple[str, ...] = field(default=())
    # Whether findings in tests and migrations are reported (security rules: no).
    reports_tests: bool = True

    @property
    def summary(self) -> str:
        """The first line of the docs, or the message when there are none."""
        for line in self.docs.splitlines():
            text = line.strip().lstrip("#").strip()
            if text and not text.lower().startswith("what it does"):
                return text
        return self.message

    @property
    def description(self) -> str:
        """What the rule finds, in words: the docs' "What it does" paragraph, else the summary.

        This, not the `message` template, is what rule listings, docs pages and
        SARIF `fullDescription` show: a template's `{placeholders}` are filled
        only in findings.
        """
        lines = self.docs.splitlines()
        for start, line in enumerate(lines):
            if line.strip().lstrip("#").strip().lower() == "what it does":
                paragraph: list[str] = []
                for text in lines[start + 1 :]:
                    if not text.strip():
                        if paragraph:
                            break
                        continue
                    if text.lstrip().startswith(("#", "```")):
                        break
                    paragraph.append(text.strip())
                if paragraph:
                    return " ".join(paragraph)
        return self.summary

    @property
    def all_tags(self) -> tuple[str, ...]:
        """Tags as SARIF consumers expect them: category, CWE, the rule's own."""
        tags = [self.category, *self.tags]
        if self.category == "security" and "security" not in tags:
            tags.append("security")
        tags.extend(f"external/cwe/cwe-{cwe}" for cwe in self.cwe)
        return tuple(dict.fromkeys(tags))


@dataclass(frozen=True, slots=True, order=True)
class Notification:
    """Something the run could not do fully: a file skipped, a parse error."""

    path: str
    message: str
    level: str = "warning"
