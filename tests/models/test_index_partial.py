"""A range over a nullable timestamp asks for a partial index, and index fixes of one model
apply one by one or together (djreview.indexes.meta_pieces)."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import make_repo, run_tree, write_tree

from djreview.indexes.meta_pieces import applied, index_pieces, verified_pieces

MODELS = """from django.db import models


class Card(models.Model):
    title = models.CharField(max_length=50)
    deleted_at = models.DateTimeField(null=True, blank=True)
    due = models.DateTimeField()
"""
LOAD = """from .models import Card


def load(rows):
    Card.objects.bulk_create(rows)
"""


def _findings(tmp_path: Path, query: str, models: str = MODELS):
    root = make_repo(tmp_path / "p")
    tasks = f"from .models import Card\n\n\ndef purge(cutoff):\n    return {query}\n"
    write_tree(
        root,
        {
            "desk/__init__.py": "",
            "desk/models.py": models,
            "desk/load.py": LOAD,
            "desk/tasks.py": tasks,
            "desk/migrations/__init__.py": "",
            "desk/migrations/0001_initial.py": "",
        },
    )
    return run_tree(root, select=("DJR201",)).findings


def test_a_range_over_a_nullable_timestamp_asks_for_a_partial_index(tmp_path: Path) -> None:
    (finding,) = _findings(tmp_path, "Card.objects.filter(deleted_at__lt=cutoff).delete()")
    assert "condition=models.Q(deleted_at__isnull=False)" in finding.message
    assert "MySQL and Oracle ignore it" in finding.message
    assert finding.fix is not None
    model_text = "".join(
        e.replacement for e in finding.fix.edits if e.location.path.endswith("models.py")
    )
    assert "condition=models.Q(deleted_at__isnull=False)" in model_text
    (migration,) = [e for e in finding.fix.edits if "/migrations/" in e.location.path]
    assert "condition=models.Q(deleted_at__isnull=False)" in migration.replacement


def test_a_range_over_a_timestamp_that_is_never_null_asks_for_a_full_index(tmp_path: Path) -> None:
    (finding,) = _findings(tmp_path, "Card.objects.filter(due__lt=cutoff).delete()")
    assert "condition" not in finding.message
    assert finding.fix is not None and "db_index=True" in finding.fix.description


NO_META = """from django.db import models


class Card(models.Model):
    a = models.IntegerField()
    b = models.IntegerField()

    def __str__(self):
        return "card"
"""
META = NO_META.replace(
    "    def __str__", '    class Meta:\n        ordering = ["a"]\n\n    def __str__'
)
INLINE = NO_META.replace(
    "    def __str__",
    '    class Meta:\n        indexes = [models.Index(fields=["a"], name="card_a")]\n\n'
    "    def __str__",
)
ENTRIES = [
    'models.Index(fields=["a", "b"], name="card_ab")',
    'models.Index(fields=["b"], name="card_b")',
]


def _indexes(text: str) -> list[str]:
    cls = next(n for n in ast.parse(text).body if isinstance(n, ast.ClassDef))
    meta = next(n for n in cls.body if isinstance(n, ast.ClassDef) and n.name == "Meta")
    (assign,) = [s for s in meta.body if isinstance(s, ast.Assign) and s.targets[0].id == "indexes"]
    return [ast.unparse(e) for e in assign.value.elts]


def test_each_entry_alone_adds_only_its_index_and_all_merge_into_one_list() -> None:
    for text in (NO_META, META, INLINE):
        old = _indexes(text) if "indexes" in text else []
        groups = [index_pieces(text, "Card", entry) for entry in ENTRIES]
        assert all(groups), text
        for entry, group in zip(ENTRIES, groups, strict=True):
            assert _indexes(applied(text, list(group))) == [*old, ast.unparse(ast.parse(entry))]
        both = applied(text, [piece for group in groups for piece in group])
        assert len(_indexes(both)) == len(old) + 2
        assert both.count("class Meta:") == 1 and both.count("indexes = [") == 1
        assert verified_pieces(text, "Card", ENTRIES, groups)


BASE = """class Base(models.Model):
    class Meta:
        abstract = True
        indexes = [models.Index(fields=["id"], name="base_id")]


class Card(Base):"""
INHERITED = (
    MODELS.replace("class Card(models.Model):", BASE)
    + "\n    class Meta(Base.Meta):\n        ordering = ['due']\n"
)


def test_no_fix_would_hide_the_indexes_a_meta_inherits(tmp_path: Path) -> None:
    (finding,) = _findings(
        tmp_path, "Card.objects.filter(deleted_at__lt=cutoff).delete()", INHERITED
    )
    assert "condition=models.Q(deleted_at__isnull=False)" in finding.message
    assert finding.fix is None
