"""Finding the files of a project: Python modules and Django templates.

Honours .gitignore files (nested ones too) and `exclude` patterns, skips
virtual environments, VCS and build folders, never follows a symlink out of
the scanned tree and never loops on a symlink cycle.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from djreview.model import Notification

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        ".env",
        "env",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "build",
        "dist",
        ".eggs",
        "site-packages",
        "htmlcov",
        ".idea",
        ".vscode",
        ".djreview_cache",
    }
)
TEMPLATE_SUFFIXES = frozenset({".html", ".htm", ".djhtml"})
# Plain-text templates (e-mails, sitemaps) only count inside a templates/ folder.
TEMPLATE_DIR_SUFFIXES = frozenset({".txt", ".xml"})


@dataclass(frozen=True)
class FoundFile:
    """A file to analyse: its absolute path, project-relative POSIX path and kind."""

    path: Path
    rel: str
    kind: str


@dataclass
class Discovery:
    """What the walk found and what it had to skip."""

    files: list[FoundFile] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)


def project_root(start: Path) -> Path:
    """The git top level of `start` if any, else the current directory.

    Falls back to `start` itself when it lies outside the current directory, so
    paths never climb with `..`.
    """
    directory = start if start.is_dir() else start.parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if out.returncode == 0 and out.stdout.strip():
            return Path(out.stdout.strip()).resolve()
    except (OSError, subprocess.SubprocessError):
        pass
    cwd = Path.cwd().resolve()
    resolved = directory.resolve()
    return cwd if resolved == cwd or cwd in resolved.parents else resolved


def relative_posix(path: Path, root: Path) -> str:
    """`path` relative to `root`, POSIX style."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, root)).as_posix()


def printable_path(rel: str) -> str:
    """`rel` with undecodable name bytes (surrogate escapes) shown as \\xNN."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix == ".py":
        return "python"
    if suffix in TEMPLATE_SUFFIXES:
        return "template"
    if suffix in TEMPLATE_DIR_SUFFIXES and "templates" in path.parts:
        return "template"
    return None


def _is_virtualenv(directory: Path) -> bool:
    try:
        return (directory / "pyvenv.cfg").is_file() or (directory / "conda-meta").is_dir()
    except OSError:  # an unreadable folder: the walk reports it when it tries to list it
        return False


def _read_gitignore(directory: Path) -> pathspec.GitIgnoreSpec | None:
    ignore_file = directory / ".gitignore"
    try:
        lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


class _Walker:
    def __init__(self, root: Path, exclude: tuple[str, ...]) -> None:
        self.root = root
        self.exclude = pathspec.GitIgnoreSpec.from_lines(exclude)
        self.result = Discovery()
        self.seen_dirs: set[Path] = set()
        self.seen_files: set[str] = set()

    def note(self, path: Path, message: str) -> None:
        rel = printable_path(relative_posix(path, self.root))
        self.result.notifications.append(Notification(rel, message))

    def excluded(self, path: Path, is_dir: bool) -> bool:
        rel = relative_posix(path, self.root) + ("/" if is_dir else "")
        return self.exclude.match_file(rel)

    def add_file(self, path: Path, inside: Path) -> None:
        kind = _kind(path)
        if kind is None:
            return
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                self.note(path, "skipped: dangling or looping symbolic link")
                return
            if inside not in target.parents:
                self.note(path, "skipped: symbolic link points outside the scanned tree")
                return
        rel = relative_posix(path, self.root)
        if rel != printable_path(rel):
            # Bytes that are not UTF-8 in a name cannot be written to a UTF-8
            # report (SARIF, JSON, the terminal); say so instead of crashing.
            self.note(path, "skipped: the file name is not valid UTF-8")
            return
        if rel not in self.seen_files:
            self.seen_files.add(rel)
            self.result.files.append(FoundFile(path, rel, kind))

    def walk(
        self, top: Path, inside: Path, ignores: list[tuple[Path, pathspec.GitIgnoreSpec]]
    ) -> None:
        try:
            real = top.resolve(strict=True)
        except (OSError, RuntimeError):
            self.note(top, "skipped: dangling or looping symbolic link")
            return
        if real in self.seen_dirs:
            return
        self.seen_dirs.add(real)
        if top.is_symlink() and inside != real and inside not in real.parents:
            self.note(top, "skipped: symbolic link points outside the scanned tree")
            return
        own = _read_gitignore(top)
        if own is not None:
            ignores = [*ignores, (top, own)]
        try:
            entries = sorted(os.scandir(top), key=lambda entry: entry.name)
        except OSError as exc:
            self.note(top, f"skipped: cannot list folder: {exc.strerror or exc}")
            return
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if self._ignored(path, is_dir, ignores) or self.excluded(path, is_dir):
                continue
            if is_dir:
                if (
                    entry.name in SKIP_DIRS
                    or entry.name.endswith(".egg-info")
                    or _is_virtualenv(path)
                ):
                    continue
                self.walk(path, inside, ignores)
            elif entry.is_symlink() and not os.path.exists(entry.path):
                if _kind(path) is not None:
                    self.note(path, "skipped: dangling or looping symbolic link")
            else:
                self.add_file(path, inside)

    @staticmethod
    def _ignored(
        path: Path, is_dir: bool, ignores: list[tuple[Path, pathspec.GitIgnoreSpec]]
    ) -> bool:
        for base, spec in ignores:
            rel = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            if spec.match_file(rel):
                return True
        return False


def discover(paths: list[Path], root: Path, exclude: tuple[str, ...] = ()) -> Discovery:
    """Walk `paths` (files or folders) and return the files to analyse, sorted."""
    walker = _Walker(root, exclude)
    for given in paths:
        absolute = given.absolute()
        if not absolute.exists() and not absolute.is_symlink():
            walker.note(absolute, "skipped: no such file or folder")
            continue
        if absolute.is_dir():
            inside = absolute.resolve()
            # A folder named on the command line is analysed even when an
            # exclude pattern covers it (as ruff does); its contents still obey
            # the patterns that do not cover the folder itself.
            rel = relative_posix(inside, root) + "/"
            kept = [
                p for p in exclude if not pathspec.GitIgnoreSpec.from_lines([p]).match_file(rel)
            ]
            walker.exclude = pathspec.GitIgnoreSpec.from_lines(kept)
            walker.walk(inside, inside, _parent_ignores(inside, root))
        else:
            walker.add_file(absolute, absolute.parent.resolve())
    walker.result.files.sort(key=lambda found: found.rel)
    return walker.result


def _parent_ignores(directory: Path, root: Path) -> list[tuple[Path, pathspec.GitIgnoreSpec]]:
    """.gitignore files between the project root and a scanned subfolder."""
    ignores: list[tuple[Path, pathspec.GitIgnoreSpec]] = []
    resolved = directory.resolve()
    if resolved == root or root not in resolved.parents:
        return ignores
    chain = [p for p in reversed(resolved.parents) if p == root or root in p.parents]
    for parent in chain:
        spec = _read_gitignore(parent)
        if spec is not None:
            ignores.append((parent, spec))
    return ignores
