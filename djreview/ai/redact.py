"""Secrets never leave the machine: every prompt text passes through `redact`.

Redacted: values assigned to secret-looking names (SECRET_KEY, *password*,
*token*, *api_key*...), PEM private keys, credentials inside URLs and
connection strings, well-known token formats, and long high-entropy literals.
The code around them stays, so the model still sees what the code does.
"""

from __future__ import annotations

import math
import re
from collections import Counter

REDACTED = "<redacted>"

_SECRET_NAME = (
    r"[A-Za-z_]*(?:secret|passw(?:or)?d|pwd|token|api_?key|access_?key|private_?key"
    r"|credential|auth_?key|signing_?key|client_?secret|dsn)[A-Za-z0-9_]*"
)
# NAME = "value", NAME: "value", "NAME": "value", name="value" (keyword argument).
_ASSIGNED = re.compile(
    rf"""(?ix)
    (?P<head>["']?\b{_SECRET_NAME}["']?\s*(?::|=|:=)\s*[rbuf]{{0,2}})
    (?P<quote>["']{{1,3}})(?P<value>.*?)(?P=quote)
    """
)
_PEM = re.compile(
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)",
    re.DOTALL,
)
# scheme://user:password@host -> scheme://<redacted>@host
_URL_CREDENTIALS = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s:@'\"]*:[^/\s@'\"]+@")
_TOKEN_FORMATS = re.compile(
    r"\b(?:sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16}"
    r"|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{30,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_.-]{10,})"
)
_QUOTED = re.compile(r"""(?P<quote>["'])(?P<value>[^"'\s]{20,})(?P=quote)""")
_MIN_ENTROPY = 3.5


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _looks_random(value: str) -> bool:
    # Paths, dotted names, URL names and identifiers are long but not secrets:
    # a secret mixes letters and digits and is not made of words.
    if "/" in value or value.count(".") > 1 or "{" in value or "%" in value:
        return False
    if all(part.isalpha() or part.isdigit() for part in re.split(r"[_:.\-]+", value) if part):
        return False
    digits = sum(char.isdigit() for char in value)
    letters = sum(char.isalpha() for char in value)
    return digits >= 2 and letters >= 2 and entropy(value) >= _MIN_ENTROPY


def _assigned(match: re.Match[str]) -> str:
    if not match.group("value"):
        return match.group(0)
    return f"{match.group('head')}{match.group('quote')}{REDACTED}{match.group('quote')}"


def _quoted(match: re.Match[str]) -> str:
    value = match.group("value")
    if REDACTED in value or not _looks_random(value):
        return match.group(0)
    return f"{match.group('quote')}{REDACTED}{match.group('quote')}"


def redact(text: str) -> str:
    """The text with every secret-looking value replaced by `<redacted>`."""
    text = _PEM.sub(REDACTED, text)
    text = _URL_CREDENTIALS.sub(lambda m: f"{m.group('scheme')}{REDACTED}@", text)
    text = _TOKEN_FORMATS.sub(REDACTED, text)
    text = _ASSIGNED.sub(_assigned, text)
    return _QUOTED.sub(_quoted, text)
