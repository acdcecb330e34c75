"""A folder of cache entries: JSON values with a checksum, written atomically.

Each entry is one file named by its key; its first line is the SHA-256 of the
rest. Writers go through a temporary file and `os.replace`, so concurrent runs
sharing a folder each see an old or a new entry, never a torn one; a reader
that finds a truncated, corrupt or mislabelled entry treats it as a miss.
The cache is best-effort: a read-only or full disk only costs speed.

The folder is bounded: `evict()` (run at the end of every analysis) removes
the least recently used entries once the folder outgrows its bound; reading
an entry marks it used. A new folder gets a `.gitignore` of `*` and a
`CACHEDIR.TAG`, so it is never committed or backed up.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger("djreview")

# Bump when the layout or the meaning of entries changes.
FORMAT = "v1"


# Eviction goes below the bound by this share, so the next runs do not evict again at once.
_EVICT_TO = 0.8
_GITIGNORE = "# The djreview result cache: never committed (`djreview clean` empties it).\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by djreview.\n"
)


class Store:
    """Cache entries under one folder."""

    def __init__(self, directory: Path) -> None:
        self.root = directory
        self.directory = directory / FORMAT

    def _mark(self) -> None:
        """Give a new cache folder its .gitignore and CACHEDIR.TAG."""
        for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            marker = self.root / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")

    def entries(self) -> list[tuple[Path, int, float]]:
        """Every entry file with its size in bytes and when it was last used."""
        found = []
        try:
            shards = list(os.scandir(self.directory))
        except OSError:
            return []
        for shard in shards:
            if not shard.is_dir():
                continue
            try:
                for entry in os.scandir(shard.path):
                    if entry.is_file():
                        stat = entry.stat()
                        found.append((Path(entry.path), stat.st_size, stat.st_mtime))
            except OSError:
                continue
        return found

    def size(self) -> int:
        """The bytes its entries take."""
        return sum(size for _, size, _ in self.entries())

    def evict(self, max_bytes: int) -> int:
        """Remove the least recently used entries while the folder is over `max_bytes`.

        Returns how many entries were removed.
        """
        entries = self.entries()
        total = sum(size for _, size, _ in entries)
        if total <= max_bytes:
            return 0
        removed = 0
        goal = max_bytes * _EVICT_TO
        for path, size, _ in sorted(entries, key=lambda entry: entry[2]):
            if total <= goal:
                break
            try:
                path.unlink()
            except OSError:
                continue
            total -= size
            removed += 1
        return removed

    def path(self, key: str) -> Path:
        """Where the entry of `key` lives (spread over 256 sub-folders)."""
        return self.directory / key[:2] / key

    def get(self, key: str) -> Any | None:
        """The value stored under `key`, or None when absent or unusable."""
        path = self.path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            # Used now: eviction removes the least recently used entries first.
            os.utime(path)
        checksum, _, body = raw.partition(b"\n")
        if hashlib.sha256(body).hexdigest().encode() != checksum:
            log.debug("cache entry %s is corrupt; ignored", key)
            return None
        try:
            entry = json.loads(body)
        except ValueError:
            return None
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        return entry.get("value")

    def put(self, key: str, value: Any) -> None:
        """Store `value` under `key`, atomically; failures are logged, not raised."""
        body = json.dumps({"key": key, "value": value}, separators=(",", ":")).encode()
        data = hashlib.sha256(body).hexdigest().encode() + b"\n" + body
        target = self.path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._mark()
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        except OSError as exc:
            log.debug("cache not writable: %s", exc)
            return
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temp, target)
        except OSError as exc:
            log.debug("cache write failed: %s", exc)
            Path(temp).unlink(missing_ok=True)


def committed(directory: Path) -> bool:
    """True when git tracks a file inside `directory`: a cache folder someone committed.

    Such a folder may come from anyone who can push, so its entries could hide
    findings; the run then does without the cache.
    """
    if not directory.is_dir():
        return False
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", "."],
            cwd=directory,
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return listed.returncode == 0 and bool(listed.stdout)


def is_cache_folder(directory: Path) -> bool:
    """Whether `directory` is a djreview cache (its tag, or entries of a known format)."""
    tag = directory / "CACHEDIR.TAG"
    try:
        if "djreview" in tag.read_text(encoding="utf-8"):
            return True
    except (OSError, UnicodeDecodeError):
        pass
    return (directory / FORMAT).is_dir() and not any(
        entry.name not in {FORMAT, ".gitignore", "CACHEDIR.TAG"} for entry in directory.iterdir()
    )
