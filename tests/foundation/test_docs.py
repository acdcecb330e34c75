"""docs/rules is generated from the rules and must be current (regenerate: djreview gen-docs)."""

from __future__ import annotations

from pathlib import Path

from djreview.docs import write_docs
from djreview.engine.registry import load_registry

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


def test_rule_docs_are_current(tmp_path: Path) -> None:
    write_docs(load_registry().sorted_metas(), tmp_path)
    fresh = {p.name: p.read_text() for p in tmp_path.glob("*.md")}
    committed = {p.name: p.read_text() for p in DOCS.glob("*.md")}
    assert fresh == committed, "docs/rules is stale: run `djreview gen-docs docs/rules`"
