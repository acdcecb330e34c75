"""What one endpoint and model can do, learned once and kept beside the reply cache.

Servers differ: OpenAI honours `response_format: json_schema`; llama.cpp's
server and llama-cpp-python take `{"type": "json_object", "schema": ...}`
(grammar-constrained) but llama-cpp-python answers `json_schema` with an
HTTP 500; some accept only bare `json_object`; some nothing. The first
request finds the best format that works (every other request waits for it),
and the answer is stored per endpoint and model, with the context window
when the server reports it, and the model's calibration once measured.

This module only reads and writes what was learned and parses servers'
answers; `client.py` makes the requests.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

MODES = ("json_schema", "json_object_schema", "json_object", "text")

_CONTEXT_ERROR = re.compile(
    r"(?i)context (length|window|size)|maximum context|n_ctx|too many tokens"
    r"|prompt is too long|exceeds? the (available )?context"
)
_FORMAT_WORDS = re.compile(r"(?i)response_format|json_schema|json_object|\bschema\b|grammar")
# "exceed context window of 4096" (llama-cpp-python), "maximum context length is 8192"
# (OpenAI, vLLM), "n_ctx": 4096 (llama.cpp's error body).
_CONTEXT_SIZE = re.compile(
    r"(?i)(?:context window of|maximum context length is|context size of|n_ctx\W+)\s*(\d+)"
)
_PROMPT_SIZE = re.compile(
    r"(?i)(\d+) in the messages|(?:requested tokens \(|resulted in |n_prompt_tokens\W+)(\d+)"
)


def is_local(base_url: str | None) -> bool:
    """True for a server on this machine (127.0.0.0/8, localhost, ::1)."""
    host = (urlparse(base_url).hostname or "") if base_url else ""
    return host == "localhost" or host.startswith("127.") or host == "::1"


def is_context_error(message: str) -> bool:
    """Whether an error message says the prompt does not fit the model's context."""
    return bool(_CONTEXT_ERROR.search(message))


def names_format(message: str) -> bool:
    """Whether an error message is about the response format (a refusal, even as a 5xx)."""
    return bool(_FORMAT_WORDS.search(message))


def context_numbers(message: str) -> tuple[int | None, int | None]:
    """(prompt tokens, context tokens) as an error message states them, when it does."""
    prompt = _PROMPT_SIZE.search(message)
    context = _CONTEXT_SIZE.search(message)
    tokens = next((int(group) for group in prompt.groups() if group), None) if prompt else None
    return (tokens, int(context.group(1)) if context else None)


def _positive(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def context_from_models(data: Any, model: str) -> int | None:
    """The context window in a `/v1/models` answer (vLLM `max_model_len`, llama.cpp `meta`)."""
    entries = data.get("data") if isinstance(data, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("id") not in (model, None):
            continue
        meta = entry.get("meta")
        meta = meta if isinstance(meta, dict) else {}
        for value in (entry.get("max_model_len"), entry.get("context_length"), meta.get("n_ctx")):
            if _positive(value):
                return _positive(value)
    return None


def context_from_props(data: Any) -> int | None:
    """The serving context in llama.cpp's `/props` answer."""
    settings = data.get("default_generation_settings") if isinstance(data, dict) else None
    return _positive(settings.get("n_ctx")) if isinstance(settings, dict) else None


def context_from_ollama(data: Any) -> int | None:
    """`num_ctx` from Ollama's `/api/show` parameters (the context it serves with)."""
    parameters = data.get("parameters") if isinstance(data, dict) else None
    if isinstance(parameters, str):
        found = re.search(r"(?m)^num_ctx\s+(\d+)", parameters)
        if found:
            return int(found.group(1))
    return None


@dataclass(frozen=True, slots=True)
class Learned:
    """What is known about an endpoint and model (None: not known yet)."""

    mode: str | None = None
    context: int | None = None
    context_source: str = ""
    calibration: dict[str, Any] | None = None


class EndpointMemory:
    """`<cache>/ai/endpoints/<digest>.json`: what was learned about one endpoint and model."""

    def __init__(self, cache_dir: Path, base_url: str | None, model: str) -> None:
        """Name the file for this endpoint and model."""
        digest = hashlib.sha256(f"{base_url or 'openai'}\x00{model}".encode()).hexdigest()
        self.path = cache_dir / "ai" / "endpoints" / f"{digest[:24]}.json"

    def load(self) -> Learned:
        """What an earlier run stored; nothing for a missing or unreadable file."""
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Learned()
        if not isinstance(data, dict):
            return Learned()
        mode = data.get("mode") if data.get("mode") in MODES else None
        calibration = data.get("calibration")
        return Learned(
            mode,
            _positive(data.get("context")),
            str(data.get("context_source") or ""),
            calibration if isinstance(calibration, dict) else None,
        )

    def save(self, learned: Learned) -> None:
        """Store it atomically; a cache that cannot be written costs one probe next run."""
        data = {
            "mode": learned.mode,
            "context": learned.context,
            "context_source": learned.context_source,
            "calibration": learned.calibration,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream)
            os.replace(temp, self.path)
        except OSError:
            return
