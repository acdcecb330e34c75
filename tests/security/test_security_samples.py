"""Security rules: samples hold at least as many near misses as positives, and GitHub metadata."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import MARKER_RE

from djreview.engine.registry import load_registry

SECURITY = [m for m in load_registry().sorted_metas() if m.category == "security"]


def _markers(sample: Path, rule_id: str) -> tuple[int, int]:
    files = [p for p in sample.rglob("*") if p.is_file()] if sample.is_dir() else [sample]
    positives = near_misses = 0
    for file in files:
        for kind, rid in MARKER_RE.findall(file.read_text(encoding="utf-8")):
            if rid == rule_id:
                positives += kind == "ruleid"
                near_misses += kind == "ok"
    return positives, near_misses


@pytest.mark.parametrize("meta", SECURITY, ids=[m.name for m in SECURITY])
def test_sample_has_as_many_near_misses_as_positives(meta) -> None:
    positives, near_misses = _markers(Path(meta.sample), meta.id)
    assert positives >= 1
    assert near_misses >= positives, f"{meta.id}: {positives} positives, {near_misses} near misses"


@pytest.mark.parametrize("meta", SECURITY, ids=[m.name for m in SECURITY])
def test_rule_carries_code_scanning_metadata(meta) -> None:
    assert re.fullmatch(r"DJR[3-6]\d\d", meta.id)
    assert meta.cwe and all(isinstance(c, int) for c in meta.cwe)
    assert "security" in meta.all_tags
    assert f"external/cwe/cwe-{meta.cwe[0]}" in meta.all_tags
    assert meta.security_severity is not None and 0.0 < meta.security_severity <= 10.0
    assert meta.precision in {"very-high", "high", "medium", "low"}


def test_there_are_rules_in_every_security_family() -> None:
    families = {m.id[:4] for m in SECURITY}
    assert families == {"DJR3", "DJR4", "DJR5", "DJR6"}
