"""Normalised SQL fingerprints: one key for every run of the same query shape.

Two queries that differ only in their parameters (``WHERE id = 1`` and
``WHERE id = 2``, an ``IN`` list of 3 or of 30 ids) get the same
fingerprint, so the N queries of an N+1 fall into one group.
"""

from __future__ import annotations

import hashlib
import re

_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"(?<![\w.\"])-?\d+(?:\.\d+)?(?![\w\"])")
_PLACEHOLDER = re.compile(r"%s|\?|%\([^)]*\)s|\$\d+|:\w+")
_IN_LIST = re.compile(r"\bIN\s*\((?:\s*\?\s*,)*\s*\?\s*\)", re.IGNORECASE)
_VALUES_LIST = re.compile(r"\bVALUES\s*(?:\((?:[^()]|\([^()]*\))*\)\s*,?\s*)+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def normalise(sql: str) -> str:
    """The query with literals and parameter lists replaced by placeholders."""
    text = _STRING.sub("?", sql)
    text = _PLACEHOLDER.sub("?", text)
    text = _NUMBER.sub("?", text)
    text = _IN_LIST.sub("IN (...)", text)
    text = _VALUES_LIST.sub("VALUES (...) ", text)
    return _SPACE.sub(" ", text).strip()


def fingerprint(sql: str) -> str:
    """A short stable hash of the normalised query."""
    return hashlib.sha1(normalise(sql).encode("utf-8")).hexdigest()[:16]


def is_read(sql: str) -> bool:
    """True for queries that read rows (SELECT, or WITH ... SELECT)."""
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head in {"SELECT", "WITH"}
