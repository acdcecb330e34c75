"""In-source suppressions: the flagged line or the line above, by id, name or bare."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree

HEAD = "from django.utils.safestring import mark_safe\n"


def findings(tmp_path: Path, body: str):
    repo = make_repo(tmp_path / "r")
    (repo / "m.py").write_text(HEAD + body)
    return run_tree(repo, select=("DJR301",)).findings


def test_same_line_by_id(tmp_path: Path) -> None:
    [f] = findings(tmp_path, "x = mark_safe(y)  # djreview: ignore[DJR301]\n")
    assert f.suppressed


def test_line_above_by_name(tmp_path: Path) -> None:
    [f] = findings(tmp_path, "# djreview: ignore[mark-safe-on-variable]\nx = mark_safe(y)\n")
    assert f.suppressed


def test_bare_ignore(tmp_path: Path) -> None:
    [f] = findings(tmp_path, "x = mark_safe(y)  # djreview: ignore\n")
    assert f.suppressed


def test_other_rule_named_does_not_suppress(tmp_path: Path) -> None:
    [f] = findings(tmp_path, "x = mark_safe(y)  # djreview: ignore[DJR310]\n")
    assert not f.suppressed


def test_two_lines_above_does_not_suppress(tmp_path: Path) -> None:
    [f] = findings(tmp_path, "# djreview: ignore\n\nx = mark_safe(y)\n")
    assert not f.suppressed


def test_trailing_comment_on_line_above_does_not_suppress(tmp_path: Path) -> None:
    first, second = findings(tmp_path, "a = mark_safe(y)  # djreview: ignore\nb = mark_safe(z)\n")
    assert first.suppressed and not second.suppressed
