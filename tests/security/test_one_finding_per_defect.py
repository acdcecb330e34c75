"""One defect, one finding: all default security rules together never flag a line twice."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from helpers import copy_sample, run_tree

from djreview.engine.registry import load_registry

SAMPLES = sorted(
    {Path(m.sample) for m in load_registry().sorted_metas() if m.category == "security"},
    key=str,
)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_no_line_is_flagged_by_two_security_rules(sample: Path, tmp_path: Path) -> None:
    tree = copy_sample(sample, tmp_path / "project")
    by_line: dict[tuple[str, int], set[str]] = defaultdict(set)
    for finding in run_tree(tree, select=("security",)).findings:
        location = finding.location
        if (location.start_line, location.start_column) == (1, 1) and "/settings/" in location.path:
            # A setting missing altogether is reported at the top of its module; several
            # missing settings (cookies, HTTPS) are different defects sharing that anchor.
            continue
        by_line[(location.path, location.start_line)].add(finding.rule_id)
    doubled = {line: rules for line, rules in by_line.items() if len(rules) > 1}
    assert not doubled
