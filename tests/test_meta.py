"""Meta-tests: every rule is documented, sampled and well-formed (after django-upgrade)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import expected_lines

from djreview.engine.registry import load_registry

RULES = load_registry().sorted_metas()
HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead")


def test_there_are_at_least_ten_rules() -> None:
    assert len(RULES) >= 10


@pytest.mark.parametrize("meta", RULES, ids=[m.name for m in RULES])
def test_rule_is_complete(meta) -> None:
    assert re.fullmatch(r"DJR\d{3}", meta.id)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", meta.name)
    assert meta.category in {"performance", "models", "security"}
    for heading in HEADINGS:
        assert heading in meta.docs, f"{meta.id} docs lack '{heading}'"
    assert meta.message and not meta.message.endswith(".")
    if meta.category == "security":
        assert meta.cwe, f"{meta.id}: security rules need a CWE"
        assert meta.security_severity is not None
    sample = Path(meta.sample)
    assert sample.exists(), f"{meta.id} has no sample"
    tree = sample if sample.is_dir() else sample.parent
    must, must_not = expected_lines(tree if sample.is_dir() else _single(sample), meta.id)
    assert must, f"{meta.id}: sample needs a `ruleid` line"
    assert must_not, f"{meta.id}: sample needs an `ok` near miss"


def _single(sample: Path) -> Path:
    # expected_lines walks a folder; a one-file sample is read from a temp view.
    import tempfile

    folder = Path(tempfile.mkdtemp())
    (folder / sample.name).write_text(sample.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_ids_and_names_are_unique() -> None:
    assert len({m.id for m in RULES}) == len(RULES)
    assert len({m.name for m in RULES}) == len(RULES)


@pytest.mark.parametrize("check", load_registry().checks, ids=lambda c: c.name)
def test_check_module_is_named_after_its_rule(check) -> None:
    assert type(check).__module__.rsplit(".", 1)[-1] == check.name.replace("-", "_")
