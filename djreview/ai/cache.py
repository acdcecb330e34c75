"""On-disk cache of model replies, keyed by model, prompt version and the full prompt.

An unchanged re-run finds every reply here and makes no request. Entries are
small JSON files written atomically; an unreadable entry is a miss, never an
error.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class CachedReply:
    """A reply as the endpoint gave it, with its token counts."""

    text: str
    tokens_in: int
    tokens_out: int


def cache_key(model: str, prompt_version: str, messages: list[dict[str, str]]) -> str:
    """The key of one request."""
    payload = json.dumps([model, prompt_version, messages], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ReplyCache:
    """Replies stored under `<directory>/ai/<key[:2]>/<key>.json`."""

    def __init__(self, directory: Path) -> None:
        """Use (and create on first write) `directory`."""
        self.root = directory / "ai"

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedReply | None:
        """The stored reply, or None."""
        try:
            data: Any = json.loads(self._path(key).read_text(encoding="utf-8"))
            return CachedReply(str(data["text"]), int(data["tokens_in"]), int(data["tokens_out"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, reply: CachedReply) -> None:
        """Store a reply; a cache that cannot be written only costs a future request."""
        path = self._path(key)
        data = {"text": reply.text, "tokens_in": reply.tokens_in, "tokens_out": reply.tokens_out}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream)
            os.replace(temp, path)
        except OSError:
            return
