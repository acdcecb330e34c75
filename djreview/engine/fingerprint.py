"""Fingerprints that survive line shifts: rule, path, normalised code and occurrence."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from djreview.model import Finding

_SPACE_RE = re.compile(r"\s+")


def normalise(snippet: str) -> str:
    """Fold whitespace so reformatting a line keeps its fingerprint."""
    return _SPACE_RE.sub(" ", snippet).strip()


def assign_fingerprints(findings: list[Finding]) -> list[tuple[Finding, str]]:
    """A fingerprint per finding, in the given (sorted) order.

    Identical (rule, path, code) findings are told apart by their
    occurrence count, so one known finding never hides a second, new one.
    """
    seen: Counter[str] = Counter()
    result = []
    for finding in findings:
        # Not the message: messages may quote line numbers of related code.
        base = "\x1f".join((finding.rule_id, finding.location.path, normalise(finding.snippet)))
        seen[base] += 1
        digest = hashlib.sha256(f"{base}\x1f{seen[base]}".encode()).hexdigest()[:32]
        result.append((finding, digest))
    return result
