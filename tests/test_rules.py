"""Every rule's annotated sample: positives flagged on the marked lines, near misses not."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_sample, expected_lines, run_tree

from djreview.engine.registry import load_registry

RULES = load_registry().sorted_metas()


@pytest.mark.parametrize("meta", RULES, ids=[m.name for m in RULES])
def test_rule_sample(meta, tmp_path: Path) -> None:
    sample = Path(meta.sample)
    tree = copy_sample(sample, tmp_path / "project")
    result = run_tree(tree, select=(meta.id,))
    flagged = {
        (f.location.path, f.location.start_line) for f in result.findings if f.rule_id == meta.id
    }
    must, must_not = expected_lines(tree, meta.id)
    assert must, f"{meta.id} sample has no `ruleid` marker"
    assert must <= flagged, f"missed: {sorted(must - flagged)}"
    assert not (flagged & must_not), f"false positives: {sorted(flagged & must_not)}"
    unexpected = flagged - must
    assert not unexpected, f"flagged lines without a ruleid marker: {sorted(unexpected)}"
