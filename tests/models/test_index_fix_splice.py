"""An index fix regenerates only its class's code: the result equals a whole-module rewrite."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from djreview.indexes.keyword_text import add_db_index_text
from djreview.indexes.meta_text import add_meta_indexes_text
from djreview.indexes.model_edit import add_db_index, add_meta_indexes
from djreview.indexes.model_edit_libcst import _FieldIndexer, _parse

ROOT = Path(__file__).resolve().parents[2]
MODEL_FILES = sorted(
    [*ROOT.glob("fixtures/*/*/models.py"), *ROOT.glob("rules/models/*/*/models.py")]
)

LAYOUT = '''\
#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""A module docstring."""

from django.db import models


@decorated
class First(models.Model):
    name = models.CharField(max_length=10)  # trailing comment

    class Meta:
        ordering = ["name"]
# a comment between classes


class Second(models.Model):
    code = models.CharField(
        max_length=5,
    )
    other = models.IntegerField()
'''


def _fields(text: str) -> list[tuple[str, str]]:
    pairs = []
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
                    for target in statement.targets:
                        if isinstance(target, ast.Name):
                            pairs.append((node.name, target.id))
    return pairs


def _whole_module(text: str, model: str, field: str) -> str | None:
    module = _parse(text)
    assert module is not None
    indexer = _FieldIndexer(model, field)
    new = module.visit(indexer)
    return new.code if indexer.done else None


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_db_index_splice_equals_whole_module_rewrite(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    pairs = _fields(text)
    assert pairs, f"no model fields found in {path}"
    for model, field in pairs:
        assert add_db_index(text, model, field) == _whole_module(text, model, field)


def test_splice_keeps_headers_decorators_and_comments_between_classes() -> None:
    for model, field in _fields(LAYOUT):
        spliced = add_db_index(LAYOUT, model, field)
        assert spliced is not None and spliced == _whole_module(LAYOUT, model, field)
        ast.parse(spliced)
    second = add_db_index(LAYOUT, "Second", "code")
    assert second is not None
    assert "        max_length=5,\n        db_index=True,\n    )" in second
    assert second.count("# a comment between classes") == 1


def test_meta_indexes_splice_only_changes_the_model_class() -> None:
    new = add_meta_indexes(LAYOUT, "Second", ['models.Index(fields=["code", "other"])'])
    assert new is not None
    before, after = LAYOUT.split("class Second")[0], new.split("class Second")[0]
    assert before == after
    assert 'indexes = [\n            models.Index(fields=["code", "other"]),' in new
    ast.parse(new)


TRICKY_FIELDS = """\
from django.db import models


class Tricky(models.Model):
    empty = models.UUIDField()
    spaced = models.CharField( max_length=5 )
    switched = models.CharField(max_length=5, db_index=False)
    wrapped = models.CharField(
        "Name",
        max_length=5,
    )
    hanging = models.CharField("Name",
                               max_length=5)
    commented = models.CharField(
        max_length=5,  # why five
    )
    parenthesised = models.CharField(max_length=(5))
    switched_paren = models.CharField(db_index=(False))
    starred = models.CharField(*ARGS, **KWARGS)
    unicode = models.CharField(verbose_name="naïve — ünïcode", max_length=5)
    twice = models.IntegerField()
    twice = models.IntegerField(default=0)

    class Meta:
        ordering = ["empty"]
"""


def _libcst_only(text: str, model: str, field: str) -> str | None:
    module = _parse(text)
    assert module is not None
    indexer = _FieldIndexer(model, field)
    new = module.visit(indexer)
    return new.code if indexer.done else None


@pytest.mark.parametrize("path", [*MODEL_FILES, None], ids=lambda p: str(p) if p else "tricky")
def test_text_edit_equals_the_libcst_edit_or_defers_to_it(path: Path | None) -> None:
    text = path.read_text(encoding="utf-8") if path else TRICKY_FIELDS
    used = 0
    for model, field in _fields(text):
        fast = add_db_index_text(text, model, field)
        if fast is not None:
            used += 1
            assert fast == _libcst_only(text, model, field), (model, field)
    assert used > 0  # the text path serves the usual layouts


def test_unusual_layouts_defer_to_libcst() -> None:
    for field in ("commented", "switched_paren", "twice"):
        assert add_db_index_text(TRICKY_FIELDS, "Tricky", field) is None, field
    handled = ("empty", "spaced", "switched", "wrapped", "hanging", "parenthesised", "starred")
    for field in (*handled, "unicode"):
        assert add_db_index_text(TRICKY_FIELDS, "Tricky", field) is not None, field
    crlf = TRICKY_FIELDS.replace("\n", "\r\n")
    assert add_db_index_text(crlf, "Tricky", "empty") is None
    assert add_db_index(crlf, "Tricky", "empty") is not None  # libcst still does it


META_LAYOUTS = """\
from django.db import models


class NoMeta(models.Model):
    name = models.CharField(max_length=10)

    def __str__(self):
        return self.name


class PlainMeta(models.Model):
    name = models.CharField(max_length=10)

    class Meta:
        ordering = ["name"]
        # a comment closing the block

    objects = models.Manager()


class ListedMeta(models.Model):
    name = models.CharField(max_length=10)

    class Meta:
        indexes = [
            models.Index(fields=["name"], name="listed_name"),
        ]


class InlineMeta(models.Model):
    name = models.CharField(max_length=10)

    class Meta:
        indexes = [models.Index(fields=["name"], name="inline_name")]


class EmptyMeta(models.Model):
    name = models.CharField(max_length=10)

    class Meta:
        verbose_name = "empty"
        indexes = []


class OneLineMeta(models.Model):
    name = models.CharField(max_length=10)

    class Meta: ordering = ["name"]


class TupleMeta(models.Model):
    name = models.CharField(max_length=10)

    class Meta:
        indexes = (models.Index(fields=["name"], name="tuple_name"),)
"""
ENTRIES = [
    ['models.Index(fields=["a"], name="x_a_idx")'],
    ['models.Index(fields=["a", "b"], name="x_ab_idx")', 'models.Index(fields=["c"], name="x_c")'],
]


def _classes(text: str) -> list[str]:
    return [n.name for n in ast.parse(text).body if isinstance(n, ast.ClassDef)]


@pytest.mark.parametrize("path", [*MODEL_FILES, None], ids=lambda p: str(p) if p else "layouts")
def test_meta_text_edit_equals_the_libcst_edit_or_defers_to_it(path: Path | None) -> None:
    from djreview.indexes import model_edit_libcst

    text = path.read_text(encoding="utf-8") if path else META_LAYOUTS
    used = 0
    for model in _classes(text):
        for entries in ENTRIES:
            fast = add_meta_indexes_text(text, model, entries)
            if fast is not None:
                used += 1
                assert fast == model_edit_libcst.add_meta_indexes(text, model, entries), model
    assert used > 0


def test_meta_layouts_the_text_edit_serves_and_those_it_leaves() -> None:
    served = ("NoMeta", "PlainMeta", "ListedMeta", "InlineMeta", "EmptyMeta")
    for model in served:
        assert add_meta_indexes_text(META_LAYOUTS, model, ENTRIES[1]) is not None, model
    for model in ("OneLineMeta", "TupleMeta"):
        assert add_meta_indexes_text(META_LAYOUTS, model, ENTRIES[0]) is None, model
    two_spaces = META_LAYOUTS.replace("    ", "  ")
    assert add_meta_indexes_text(two_spaces, "NoMeta", ENTRIES[0]) is None
    assert add_meta_indexes(two_spaces, "NoMeta", ENTRIES[0]) is not None  # libcst does it


def test_no_libcst_import_for_the_usual_layouts() -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from djreview.indexes.model_edit import add_db_index, add_meta_indexes\n"
        f"text = {META_LAYOUTS!r}\n"
        "assert add_db_index(text, 'PlainMeta', 'name')\n"
        "assert add_meta_indexes(text, 'NoMeta', ['models.Index(fields=[\"name\"], name=\"n\")'])\n"
        "print('libcst' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
