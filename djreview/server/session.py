"""A language-server session's analysis state: the project's files, edited in memory.

The project is discovered and read once. An editor's buffers replace the
files' texts in memory (never on disk, never imported). Two kinds of work
follow an edit: the per-file rules (pattern rules and checks that read only
their file) on the edited file alone, at once; and the whole-project checks
(N+1, indexes, request-data flows) over the project with the edits, later.
Both go through the same `finish` as `djreview check`, so suppressions,
severities and fingerprints are those of a command-line run.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from djreview.config import Config
from djreview.engine.file_memo import FileMemo
from djreview.engine.gcpause import collector_paused
from djreview.engine.parallel import RuleSet, analyse_file
from djreview.engine.registry import load_registry
from djreview.engine.runner import finish, load_project, rule_set, select_rules
from djreview.model import Finding
from djreview.server.project_parts import KeptParts
from djreview.source.discover import TEMPLATE_SUFFIXES
from djreview.source.file import FileKind, SourceFile, UnreadableFile, content_digest
from djreview.source.project import Project


def file_kind(path: Path) -> FileKind | None:
    """The kind of file djreview reads at `path`: python, template, or None."""
    suffix = path.suffix.lower()
    if suffix == ".py":
        return "python"
    return "template" if suffix in TEMPLATE_SUFFIXES else None


class Session:
    """One project's files, the editor's unsaved texts, and the latest findings."""

    def __init__(self, root: Path, config: Config) -> None:
        base = load_project([root], config)
        self.root = base.root
        self.config = base.config
        self.files: dict[str, SourceFile] = {file.rel: file for file in base.files}
        registry = load_registry()
        self.rules = {meta.id: meta for meta in select_rules(registry, config)}
        selected = rule_set(registry, list(self.rules.values()))
        self.per_file = RuleSet(
            selected.yaml_rules, tuple(c for c in selected.checks if c.depends == "file")
        )
        self.whole = RuleSet((), tuple(c for c in selected.checks if c.depends != "file"))
        self.file_findings: dict[str, list[Finding]] = {}
        self.project_findings: dict[str, list[Finding]] = {}
        # Per-file facts of the whole-project analyses, reused by the next run.
        self.memo = FileMemo()
        # The whole-project checks' parts, kept while what they read is unchanged.
        self.kept = KeptParts(self.whole, self.config.per_file_timeout)

    def rel(self, path: Path) -> str | None:
        """The project-relative path of `path`, or None when djreview does not read it."""
        try:
            rel = path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None
        return rel if rel in self.files or file_kind(path) is not None else None

    def update(self, rel: str, text: str) -> None:
        """Take the editor's text of `rel` as the file's content from now on."""
        known = self.files.get(rel)
        if known is not None and known.text == text:
            return
        path = self.root / rel
        kind = known.kind if known is not None else file_kind(path)
        if kind is None:
            return
        digest = content_digest(text.encode("utf-8", "surrogateescape"))
        self.files[rel] = SourceFile(path=path, rel=rel, kind=kind, text=text, digest=digest)

    def reload(self, rel: str) -> bool:
        """Take `rel`'s text from disk again; whether it differed from the text held."""
        known = self.files.get(rel)
        path = self.root / rel
        kind = known.kind if known is not None else file_kind(path)
        if kind is None:
            return False
        try:
            fresh = SourceFile.read(path, rel, kind, self.config.max_file_bytes)
        except (OSError, UnreadableFile):
            return False
        if known is not None and known.text == fresh.text:
            return False  # the same object: facts kept for it stay valid
        self.files[rel] = fresh
        return True

    def remove(self, rel: str) -> bool:
        """Forget a file deleted on disk and its findings; whether the session had it."""
        if self.files.pop(rel, None) is None:
            return False
        self.file_findings.pop(rel, None)
        self.project_findings.pop(rel, None)
        self.memo.retain(self.files)
        return True

    def project(self) -> Project:
        """A project of the current texts (its analyses memoised afresh)."""
        files = [self.files[rel] for rel in sorted(self.files)]
        return Project(root=self.root, files=files, config=self.config, memo=self.memo)

    def check_file(self, rel: str) -> list[Finding]:
        """Run the per-file rules on `rel` alone; remember and return its findings."""
        file = self.files.get(rel)
        if file is None:
            return []
        project = self.project()
        wanted = frozenset(self.per_file.sources(file))
        result = analyse_file(file, project, self.per_file, wanted, self.config.per_file_timeout)
        raw = [finding for part in result.parts for finding in part.findings]
        self.file_findings[rel] = finish(raw, project, list(self.rules.values()))
        return self.file_findings[rel]

    def check_project(self, project: Project | None = None) -> set[str]:
        """Run the whole-project checks; return every path whose findings may have changed.

        On `project` (a snapshot of the texts taken by the caller), else on the current texts.
        """
        project = project or self.project()
        # A full collection mid-step re-traverses a 1 GB heap (saleor: 2-3 s added
        # to a 0.7 s step, every seventh step); after it, the step's garbage goes
        # at the usual pace (see `collector_paused`).
        with collector_paused(settle=False):
            raw = self.kept.raw(project)
            self.memo.retain(project.by_rel)
            found = finish(raw, project, list(self.rules.values()))
        by_path: dict[str, list[Finding]] = defaultdict(list)
        for finding in found:
            by_path[finding.location.path].append(finding)
        touched = set(by_path) | set(self.project_findings)
        self.project_findings = dict(by_path)
        return touched

    def findings(self, rel: str) -> list[Finding]:
        """Every current finding in `rel`: per-file and whole-project, in output order."""
        found = self.file_findings.get(rel, []) + self.project_findings.get(rel, [])
        return sorted(found, key=Finding.sort_key)
