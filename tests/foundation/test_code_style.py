"""Fix text follows the project's line length and quotes (ruff, black, flake8 settings)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import make_repo, run_tree

from djreview.fix.apply import apply_edits
from djreview.indexes import meta_text, model_edit_libcst
from djreview.source.code_style import CodeStyle, dominant_quote, style_for, wrap_call

ENTRY = "models.Index(fields=['published', 'valid_from'], name='help_inappm_publish_62d1f5_idx')"


def _style(tmp_path: Path, name: str, text: str) -> CodeStyle:
    (tmp_path / name).write_text(text)
    (tmp_path / "pkg").mkdir()
    return style_for(tmp_path / "pkg" / "models.py")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("pyproject.toml", "[tool.ruff]\nline-length = 100\n", CodeStyle(100, None)),
        (
            "pyproject.toml",
            "[tool.ruff]\nline-length = 79\n[tool.ruff.format]\nquote-style = 'single'\n",
            CodeStyle(79, "'"),
        ),
        ("ruff.toml", "line-length = 120\n[format]\n", CodeStyle(120, '"')),
        ("pyproject.toml", "[tool.black]\nline-length = 99\n", CodeStyle(99, '"')),
        (
            "pyproject.toml",
            "[tool.black]\nskip-string-normalization = true\n",
            CodeStyle(88, None),
        ),
        ("setup.cfg", "[flake8]\nmax-line-length = 119\n", CodeStyle(119, None)),
        ("pyproject.toml", "[project]\nname = 'x'\n", CodeStyle(88, None)),
    ],
)
def test_the_nearest_configuration_decides(
    tmp_path: Path, name: str, text: str, expected: CodeStyle
) -> None:
    assert _style(tmp_path, name, text) == expected


def test_without_a_formatter_the_files_own_quotes_win() -> None:
    assert dominant_quote("a = 'x'\nb = 'y'\nc = \"z\"\n") == "'"
    assert dominant_quote('a = "x"\n') == '"'
    assert CodeStyle(88, None).literal("name", "a = 'x'\n") == "'name'"
    assert CodeStyle(88, '"').literal("name", "a = 'x'\n") == '"name"'


def test_a_long_call_is_split_as_black_splits_it() -> None:
    assert wrap_call("f(a)", "    ", 88) == "    f(a),"
    two = wrap_call(ENTRY, " " * 12, 95)
    assert two.splitlines() == [
        " " * 12 + "models.Index(",
        " " * 16 + "fields=['published', 'valid_from'], name='help_inappm_publish_62d1f5_idx'",
        " " * 12 + "),",
    ]
    many = wrap_call(ENTRY, " " * 12, 88)
    assert max(len(line) for line in many.splitlines()) <= 88
    assert len(many.splitlines()) == 4
    assert ast.parse(many.strip().rstrip(","), mode="eval")


MODEL = """from django.db import models


class Message(models.Model):
    published = models.BooleanField()
    valid_from = models.DateTimeField()

    class Meta:
        ordering = ['-valid_from']
{indexes}"""


EXISTING = "        indexes = [\n            models.Index(fields=['published']),\n        ]\n"


@pytest.mark.parametrize("indexes", ["", EXISTING])
@pytest.mark.parametrize(
    "edit", [meta_text.add_meta_indexes_text, model_edit_libcst.add_meta_indexes]
)
def test_index_entries_stay_within_the_width(indexes: str, edit: object) -> None:
    text = MODEL.format(indexes=indexes)
    new = edit(text, "Message", [ENTRY], 88)  # type: ignore[operator]
    assert new is not None
    added = [line for line in new.splitlines() if line not in text.splitlines()]
    assert added and max(len(line) for line in added) <= 88
    assert "name='help_inappm_publish_62d1f5_idx'" in new
    ast.parse(new)


VIEWS = """from .models import Book


def books(request):
    rows = Book.objects.filter(title__startswith='a').order_by('title').exclude(code='')
    return [row.author.name for row in rows]
"""
MODELS = """from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)


class Book(models.Model):
    title = models.CharField(max_length=100)
    code = models.CharField(max_length=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
"""


def test_an_nplusone_fix_is_wrapped_and_quoted_like_the_project(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "project")
    (root / "pyproject.toml").write_text(
        "[tool.ruff]\nline-length = 80\n[tool.ruff.format]\nquote-style = 'single'\n"
    )
    (root / "library").mkdir()
    (root / "library" / "__init__.py").write_text("")
    (root / "library" / "models.py").write_text(MODELS)
    (root / "library" / "views.py").write_text(VIEWS)
    findings = run_tree(root, select=("DJR101",)).findings
    (fix,) = [f.fix for f in findings if f.fix is not None]
    text = (root / "library" / "views.py").read_text()
    new = apply_edits(text, list(fix.edits))
    assert "    rows = (\n        Book.objects.filter(title__startswith='a')" in new
    assert "\n        .select_related('author')\n    )\n" in new
    ast.parse(new)


@pytest.mark.parametrize(
    "edit", [meta_text.add_meta_indexes_text, model_edit_libcst.add_meta_indexes]
)
def test_a_new_meta_keeps_its_entries_within_the_width(edit: object) -> None:
    text = MODEL.split("    class Meta:")[0].rstrip() + "\n"
    new = edit(text, "Message", [ENTRY], 88)  # type: ignore[operator]
    assert new is not None
    assert max(len(line) for line in new.splitlines()) <= 88
    assert "        indexes = [\n            models.Index(\n                fields=" in new
    ast.parse(new)
