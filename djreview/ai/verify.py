"""Checking a model's patch before anything is offered to the user.

The edits are applied in memory (the user's files are never touched here).
A patch passes when: every snippet occurs exactly once, it touches only the
finding's file (plus model files and migrations for `models` rules) inside
the project, the result parses, it neither suppresses nor deletes nor
disables the flagged code, it leaves other functions alone, it imports only
modules the project already uses and uses no name it neither defines nor
imports, and djreview run again on the patched
project no longer reports the finding and reports nothing new.
"""

from __future__ import annotations

import ast
import difflib
import posixpath
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath

from djreview.ai.guards import (
    constant_false_guards,
    disables_flagged_code,
    functions_changed,
    known_modules,
    undefined_names,
    unknown_imports,
)
from djreview.ai.locate import NotLocated, locate
from djreview.ai.recheck import recheck
from djreview.ai.reply_schema import ProposedFix
from djreview.engine.registry import Registry
from djreview.engine.runner import analyse
from djreview.fix.apply import FixError, apply_edits
from djreview.model import Edit, Finding, Location, RuleMeta
from djreview.source.file import SourceFile
from djreview.source.project import Project

_SUPPRESSIONS = ("djreview: ignore", "noqa", "nosec", "pragma: no cover")


class Rejected(Exception):
    """The patch failed verification; the message is fed back to the model."""


@dataclass(frozen=True, slots=True)
class Verified:
    """A patch that passed every check: its located edits and the diff."""

    edits: tuple[Edit, ...]
    diff: str


@dataclass
class Verifier:
    """Verifies patches against one analysed project."""

    project: Project
    registry: Registry
    rules: list[RuleMeta]
    findings: list[Finding]
    # False: re-analyse the whole patched project (the reference `recheck` is tested against).
    partial: bool = True

    @cached_property
    def _known(self) -> frozenset[str]:
        return known_modules(self.project)

    def _allowed(self, finding: Finding, rel: str) -> bool:
        if rel == finding.location.path:
            return True
        meta = self.registry.metas.get(finding.rule_id)
        # A models rule's fix may need the model class or a new migration.
        return bool(meta and meta.category == "models") and (
            rel.endswith("models.py") or "/models/" in rel or "/migrations/" in rel
        )

    def _check_path(self, finding: Finding, rel: str) -> None:
        pure = PurePosixPath(rel)
        root = self.project.root.resolve()
        if pure.is_absolute() or ".." in pure.parts or "\\" in rel:
            raise Rejected(f"{rel}: the patch edits a path outside the project")
        real = (root / rel).resolve()
        if real != root and root not in real.parents:
            raise Rejected(f"{rel}: the patch edits a path outside the project")
        if not self._allowed(finding, rel):
            raise Rejected(
                f"{rel}: the patch edits another file; only {finding.location.path} may change"
            )

    def _texts(self, finding: Finding, fix: ProposedFix) -> tuple[dict[str, str], list[Edit]]:
        """New text of each touched file, and the located edits."""
        edits: list[Edit] = []
        by_path: dict[str, list[Edit]] = {}
        for proposed in fix.edits:
            # "./shop/views.py" and "shop/../shop/views.py" name the same file.
            rel = posixpath.normpath(proposed.path)
            self._check_path(finding, rel)
            file = self.project.by_rel.get(rel)
            if file is None:
                if proposed.snippet.strip() or "/migrations/" not in rel:
                    raise Rejected(f"{rel}: no such file in the project")
                edit = Edit(Location(rel, 1, 1), proposed.replacement)
            else:
                for marker in _SUPPRESSIONS:
                    if marker in proposed.replacement and marker not in proposed.snippet:
                        raise Rejected(f"the patch adds a `{marker}` comment instead of a fix")
                try:
                    edit = locate(file.text, rel, proposed.snippet, proposed.replacement)
                except NotLocated as exc:
                    raise Rejected(str(exc)) from None
            edits.append(edit)
            by_path.setdefault(rel, []).append(edit)
        texts = {}
        for rel, file_edits in by_path.items():
            old = self.project.by_rel[rel].text if rel in self.project.by_rel else ""
            try:
                texts[rel] = apply_edits(old, file_edits)
            except FixError as exc:
                raise Rejected(f"{rel}: {exc}") from None
        return texts, edits

    def _check_python(self, finding: Finding, rel: str, new: str) -> None:
        try:
            tree = ast.parse(new, filename=rel)
        except SyntaxError as exc:
            raise Rejected(
                f"{rel}: the patched file does not parse (line {exc.lineno}: {exc.msg})"
            ) from None
        old_file = self.project.by_rel.get(rel)
        old_tree = old_file.tree if old_file is not None else None
        if old_tree is None:
            return
        line = finding.location.start_line if rel == finding.location.path else 0
        problem = (
            (disables_flagged_code(old_tree, tree, line) if line else None)
            or constant_false_guards(old_tree, tree)
            or functions_changed(old_tree, tree, line)
            or unknown_imports(old_tree, tree, self._known)
            or undefined_names(old_tree, tree)
        )
        if problem:
            raise Rejected(f"{rel}: {problem}")

    def patched(self, texts: dict[str, str]) -> Project:
        """The project with the patched texts; unchanged files are the same parsed objects."""
        files = [
            SourceFile(file.path, file.rel, file.kind, texts[file.rel])
            if file.rel in texts
            else file
            for file in self.project.files
        ]
        for rel in sorted(set(texts) - set(self.project.by_rel)):
            files.append(SourceFile(self.project.root / rel, rel, "python", texts[rel]))
        return Project(self.project.root, files, self.project.config)

    def findings_after(self, texts: dict[str, str]) -> list[Finding]:
        """The run's findings on the patched project (only what the patch can change re-run)."""
        patched = self.patched(texts)
        if not self.partial:
            return analyse(patched, self.registry, self.rules)
        return recheck(patched, self.registry, self.rules, self.findings, frozenset(texts))

    def _rerun(self, finding: Finding, texts: dict[str, str]) -> None:
        after = self.findings_after(texts)
        before_count = Counter((f.rule_id, f.location.path) for f in self.findings)
        after_count = Counter((f.rule_id, f.location.path) for f in after)
        key = (finding.rule_id, finding.location.path)
        if after_count[key] >= before_count[key] or any(
            f.fingerprint == finding.fingerprint for f in after
        ):
            raise Rejected(f"djreview still reports {finding.rule_id} on the patched code")
        for (rule_id, path), count in sorted(after_count.items()):
            if count > before_count[(rule_id, path)]:
                raise Rejected(f"the patched code has a new {rule_id} finding in {path}")

    def verify(self, finding: Finding, fix: ProposedFix) -> Verified:
        """Return the verified edits, or raise Rejected with the first failed check."""
        texts, edits = self._texts(finding, fix)
        for rel, new in texts.items():
            if rel.endswith(".py"):
                self._check_python(finding, rel, new)
        self._rerun(finding, texts)
        return Verified(tuple(edits), self._diff(texts))

    def _diff(self, texts: dict[str, str]) -> str:
        parts: list[str] = []
        for rel, new in sorted(texts.items()):
            old = self.project.by_rel[rel].text if rel in self.project.by_rel else ""
            parts.extend(
                difflib.unified_diff(
                    old.splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    fromfile=f"a/{rel}",
                    tofile=f"b/{rel}",
                )
            )
        return "".join(parts)

    def preview(self, finding: Finding, fix: ProposedFix) -> str:
        """A diff of an unverified patch where it can be located, else its raw edits."""
        try:
            texts, _ = self._texts(finding, fix)
            return self._diff(texts)
        except Rejected:
            return "\n".join(
                f"--- {e.path}\n"
                + "".join(f"-{line}\n" for line in e.snippet.splitlines())
                + "".join(f"+{line}\n" for line in e.replacement.splitlines())
                for e in fix.edits
            )
