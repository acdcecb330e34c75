"""A folder of cache entries: JSON values with a checksum, written atomically.

Each entry is one file named by its key; its first line is the SHA-256 of the
rest. Writers go through a temporary file and `os.replace`, so concurrent runs
sharing a folder each see an old or a new entry, never a torn one; a reader
that finds a truncated, corrupt or mislabelled entry treats it as a miss.
The cache is best-effort: a read-only or full disk only costs speed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger("djreview")

# Bump when the layout or the meaning of entries changes.
FORMAT = "v1"


class Store:
    """Cache entries under one folder."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory / FORMAT

    def path(self, key: str) -> Path:
        """Where the entry of `key` lives (spread over 256 sub-folders)."""
        return self.directory / key[:2] / key

    def get(self, key: str) -> Any | None:
        """The value stored under `key`, or None when absent or unusable."""
        try:
            raw = self.path(key).read_bytes()
        except OSError:
            return None
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
