"""Check.hints: a rule whose words are absent from a file is not run on it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from djreview.checks.base import Check
from djreview.model import Finding
from djreview.source.file import SourceFile
from djreview.source.project import Project


class _Hinted(Check):
    id = "DJR999"
    name = "hinted-test-rule"
    message = "test"
    category = "security"
    hints: ClassVar[tuple[str, ...]] = ("execute(", "raw(")

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        return ()


def _file(text: str, kind: str = "python") -> SourceFile:
    return SourceFile(path=Path("m.py"), rel="m.py", kind=kind, text=text)  # type: ignore[arg-type]


def test_a_file_without_any_hint_is_skipped() -> None:
    assert not _Hinted().applies_to(_file("x = 1\n"))


def test_any_one_hint_is_enough() -> None:
    assert _Hinted().applies_to(_file("Post.objects.raw(sql)\n"))


def test_kind_still_decides_first() -> None:
    assert not _Hinted().applies_to(_file("cursor.execute(q)", kind="template"))


def test_no_hints_means_every_file_of_its_kind() -> None:
    class Plain(_Hinted):
        hints: ClassVar[tuple[str, ...]] = ()

    assert Plain().applies_to(_file("x = 1\n"))


def test_a_hint_pattern_must_match_too() -> None:
    class Patterned(_Hinted):
        hints: ClassVar[tuple[str, ...]] = ("raw",)
        hint_pattern: ClassVar[re.Pattern[str] | None] = re.compile(r"\braw\s*\(")

    assert not Patterned().applies_to(_file("drawing = withdraw_all\n"))
    assert Patterned().applies_to(_file("Post.objects.raw (sql)\n"))


def test_a_check_that_reads_only_the_whole_project_applies_to_no_file() -> None:
    # Running the default `check_file` on every file was a tenth of a server's step.
    class Whole(Check):
        id = "DJR998"
        name = "whole-project-test-rule"
        message = "test"
        category = "security"

    assert not Whole().applies_to(_file("x = 1\n"))
    assert _Hinted().applies_to(_file("cursor.execute(q)\n"))
