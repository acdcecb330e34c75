"""Applying fixes to files: text edits, conflict checks and atomic writes.

djreview writes to a user's files only through `write_atomic`: a temporary
file in the same folder, then `os.replace`, so a crash leaves every file
either old or new. A file whose content changed since it was analysed, or
that lies outside the project root, is refused.
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import io
import os
import re
import stat
import tempfile
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from djreview.fix.migration_merge import merge_new_migrations
from djreview.model import Edit, Fix, Location

_BARE_LF = re.compile(r"(?<!\r)\n")


class FixError(Exception):
    """A fix cannot be applied; the message says why."""


def content_hash(text: str) -> str:
    """The hash that ties a fix to the file content it was computed on."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _offsets(text: str) -> list[int]:
    """Start offset of each 1-based line (index 0 unused), code-point based."""
    starts = [0, 0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _offset(starts: list[int], text: str, line: int, column: int) -> int:
    if line >= len(starts):
        return len(text)
    return min(starts[line] + column - 1, len(text))


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits of one file to its text; raise FixError on overlap.

    An edit given twice (two fixes sharing a prerequisite, such as the same
    new migration) is applied once.
    """
    starts = _offsets(text)
    spans = []
    for edit in dict.fromkeys(edits):
        loc = edit.location
        begin = _offset(starts, text, loc.start_line, loc.start_column)
        end = _offset(starts, text, loc.end_line, loc.end_column)
        if end < begin:
            raise FixError(f"edit with an inverted range at {loc}")
        spans.append((begin, end, edit.replacement))
    spans.sort()
    for (_, prev_end, _), (begin, _, _) in zip(spans, spans[1:], strict=False):
        if begin < prev_end:
            raise FixError("overlapping edits")
    out = text
    for begin, end, replacement in reversed(spans):
        out = out[:begin] + replacement + out[end:]
    return out


@dataclass
class FileChange:
    """The new content of one file, with what it was computed from."""

    path: Path
    rel: str
    old: str
    new: str
    created: bool = False

    def diff(self) -> str:
        """A unified diff of the change."""
        return "".join(
            difflib.unified_diff(
                self.old.splitlines(keepends=True),
                self.new.splitlines(keepends=True),
                fromfile="/dev/null" if self.created else f"a/{self.rel}",
                tofile=f"b/{self.rel}",
            )
        )


@dataclass
class Plan:
    """The file changes that a set of fixes makes, and the fixes skipped."""

    changes: list[FileChange] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _inside(path: Path, root: Path) -> bool:
    real = path.resolve()
    return real == root or root in real.parents


def plan_fixes(fixes: Iterable[Fix], root: Path, read: dict[str, str]) -> Plan:
    """Combine fixes into per-file changes; conflicting fixes are skipped, not merged.

    `read` maps project-relative paths to the text the analysis saw; a new file
    (a migration) has no entry and is created from an empty text.
    """
    root = root.resolve()
    plan = Plan()
    pending: dict[str, list[Edit]] = {}
    for fix in fixes:
        trial = {path: list(edits) for path, edits in pending.items()}
        for edit in fix.edits:
            edits = trial.setdefault(edit.location.path, [])
            if edit not in edits:
                edits.append(edit)
        try:
            for rel, edits in trial.items():
                if rel not in read and len(edits) > 1:
                    raise FixError(f"two fixes create {rel} with different content")
                apply_edits(read.get(rel, ""), edits)
        except FixError as exc:
            plan.skipped.append(f"{fix.description}: {exc}")
            continue
        pending = trial
    pending = _one_migration_per_app(pending, read)
    for rel, edits in sorted(pending.items()):
        path = root / rel
        if not _inside(path.parent, root) or (path.exists() and not _inside(path, root)):
            plan.skipped.append(f"{rel}: outside the project root, not written")
            continue
        old = read.get(rel, "")
        new = apply_edits(old, [_in_file_newlines(edit, old) for edit in edits])
        plan.changes.append(FileChange(path, rel, old, new, created=rel not in read))
    return plan


def _one_migration_per_app(
    pending: dict[str, list[Edit]], read: dict[str, str]
) -> dict[str, list[Edit]]:
    """The pending edits with the new migrations of each app merged into one file."""
    created = {rel: apply_edits("", edits) for rel, edits in pending.items() if rel not in read}
    merged = merge_new_migrations(created)
    if merged.keys() == created.keys():
        return pending
    out = {rel: edits for rel, edits in pending.items() if rel in read}
    out.update({rel: [Edit(Location(rel, 1, 1), text)] for rel, text in merged.items()})
    return out


def _in_file_newlines(edit: Edit, old: str) -> Edit:
    """The edit with its new lines ended as the file ends its lines (CRLF or LF).

    Only the inserted text is converted: lines the fix does not touch keep
    their endings, even in a file that mixes both.
    """
    if "\r\n" not in old or "\n" not in edit.replacement:
        return edit
    return Edit(edit.location, _BARE_LF.sub("\r\n", edit.replacement))


def _encoding(data: bytes, rel: str) -> str:
    """The codec that reads `data` as the analysis did, and writes it back the same way."""
    if not rel.endswith(".py"):
        return "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise FixError(f"{rel}: cannot tell its encoding ({exc})") from None
    return encoding


def write_atomic(change: FileChange) -> None:
    """Write one change: refuse a file changed since analysis; keep mode, encoding, BOM and
    line endings; never write through a symbolic link."""
    path = change.path
    if path.is_symlink():
        raise FixError(f"{change.rel}: is a symbolic link; not written through")
    if path.exists():
        current = path.read_bytes()
        encoding = _encoding(current, change.rel)
        try:
            on_disk = current.decode(encoding).removeprefix("\ufeff")
        except (UnicodeDecodeError, LookupError):
            on_disk = None
        if on_disk is None or content_hash(on_disk) != content_hash(change.old):
            raise FixError(f"{change.rel}: changed since it was analysed; run djreview again")
        mode = stat.S_IMODE(path.stat().st_mode)
    else:
        encoding = "utf-8"
        mode = 0o644
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = change.new.encode(encoding)
    except UnicodeEncodeError:
        raise FixError(f"{change.rel}: the fix cannot be written in {encoding}") from None
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".djreview")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
