"""Lines and columns as Python counts them: form feeds, CRLF, lone CR and non-ASCII text."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from djreview.source.file import SourceFile


def _file(text: str) -> SourceFile:
    return SourceFile(path=Path("m.py"), rel="m.py", kind="python", text=text)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_form_feed_does_not_shift_later_lines(newline: str) -> None:
    text = newline.join(["import os", "\x0c", "# page two", "value = mark_safe(x)", ""])
    file = _file(text)
    call = next(n for n in ast.walk(file.tree) if isinstance(n, ast.Call))
    location = file.node_location(call)
    assert location.start_line == 4
    assert file.line_text(location.start_line) == "value = mark_safe(x)"
    assert len(file.lines) == 4


def test_columns_count_code_points_on_non_ascii_lines() -> None:
    file = _file('title = "naïve"; call(x)\nplain(y)\n')
    calls = sorted(
        (n for n in ast.walk(file.tree) if isinstance(n, ast.Call)), key=lambda n: n.lineno
    )
    first, second = (file.node_location(c) for c in calls)
    assert (first.start_column, first.end_column) == (18, 25)
    assert (second.start_column, second.end_column) == (1, 9)


def test_an_ascii_file_never_splits_its_lines_for_a_location() -> None:
    file = _file("a = 1\nb = call(a)\n")
    call = next(n for n in ast.walk(file.tree) if isinstance(n, ast.Call))
    assert file.node_location(call).start_column == 5
    assert "lines" not in vars(file)


def test_empty_and_unterminated_texts() -> None:
    assert _file("").lines == []
    assert _file("x = 1").lines == ["x = 1"]
    assert _file("x = 1\n\n").lines == ["x = 1", ""]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("terminated", [True, False])
def test_text_of_lines_is_those_lines_with_their_endings(newline: str, terminated: bool) -> None:
    rows = ["def f(request):", "\x0c", "    x = 'naïve'", "", "    return x"]
    file = _file(newline.join(rows) + (newline if terminated else ""))
    for first in range(1, len(rows) + 1):
        for last in range(first, len(rows) + 1):
            ends = last < len(rows) or terminated
            expected = newline.join(rows[first - 1 : last]) + (newline if ends else "")
            assert file.text_of_lines(first, last) == expected, (first, last)
    assert file.text_of_lines(len(rows) + 1, len(rows) + 3) == ""
    assert file.text_of_lines(5, 99).rstrip("\r\n") == "    return x"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_containing_a_word(newline: str) -> None:
    rows = ["form.is_valid()", "\x0c", "x = 1", "if a.is_valid() and b.is_valid():", "is_valid"]
    file = _file(newline.join(rows))
    assert file.lines_containing("is_valid") == [1, 4, 5]
    assert file.lines_containing("nowhere") == []
