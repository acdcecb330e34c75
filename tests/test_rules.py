"""Every rule's annotated sample: positives flagged on the marked lines, near misses not."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_sample, expected_lines, run_tree
from rule_snapshots import compare, fixed_path, render_fixed, render_snapshot, snapshot_path

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
    compare(snapshot_path(meta), render_snapshot(meta, result))
    if meta.fixable:
        fixed = render_fixed(meta, result)
        assert "# --- " in fixed, f"{meta.id} is fixable but fixes nothing in its sample"
        compare(fixed_path(meta), fixed)


def test_a_yaml_rule_with_an_unknown_key_or_a_wrong_type_fails_to_load(tmp_path) -> None:
    from djreview.engine.yaml_rules import RuleLoadError, load_yaml_rule

    good = (
        "id: DJR998\nname: test-rule\nmessage: m\nseverity: note\n"
        "rule:\n  pattern: eval($X)\nnote: n\n"
    )
    path = tmp_path / "rule.yml"
    path.write_text(good)
    assert load_yaml_rule(path, "security", "").meta.id == "DJR998"
    for extra, words in [
        ("severty: note\n", "unknown keys severty"),
        ("metadata:\n  cwes: [1]\n", "unknown keys metadata.cwes"),
        ("hints: eval\n", "hints must be a list of strings"),
        ("enabled: 1\n", "enabled must be true or false"),
    ]:
        path.write_text(good + extra)
        with pytest.raises(RuleLoadError, match=words):
            load_yaml_rule(path, "security", "")
