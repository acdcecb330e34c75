"""Queries an existing index already narrows get no index advice: a text search ANDed with
an indexed ForeignKey, a search on a choices column, a flag before an indexed column."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree, write_tree

MODELS = """from django.db import models


class Board(models.Model):
    title = models.CharField(max_length=20)


class Card(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE)
    text = models.CharField(max_length=500)
    done = models.BooleanField(default=False)
    number = models.IntegerField(db_index=True)
    due = models.DateTimeField(null=True)
    kind = models.CharField(max_length=20, choices=[(str(n), str(n)) for n in range(9)])
"""
LOAD = """from .models import Board, Card


def load(rows):
    Board.objects.bulk_create(rows)
    Card.objects.bulk_create(rows)
"""


def _findings(tmp_path: Path, query: str, migration: str = "") -> list[str]:
    root = make_repo(tmp_path / "p")
    views = f"from .models import Card\n\n\ndef page(request, b, q):\n    return {query}\n"
    files = {
        "desk/__init__.py": "",
        "desk/models.py": MODELS,
        "desk/tasks.py": LOAD,
        "desk/views.py": views,
        "desk/migrations/__init__.py": "",
        "desk/migrations/0001_initial.py": migration,
    }
    write_tree(root, files)
    return [f.message for f in run_tree(root, select=("DJR201", "DJR202")).findings]


def test_a_text_search_alone_is_advised(tmp_path: Path) -> None:
    (message,) = _findings(tmp_path, "Card.objects.filter(text__icontains=q)")
    assert message.startswith("Card.text is searched with __icontains")


def test_a_text_search_within_one_parent_row_is_not(tmp_path: Path) -> None:
    assert _findings(tmp_path, "Card.objects.filter(board_id=b, text__icontains=q)") == []


def test_a_flag_before_an_indexed_order_column_is_not(tmp_path: Path) -> None:
    assert _findings(tmp_path, "Card.objects.filter(done=False).order_by('number')") == []
    # Before an unindexed range column the flag leads a composite.
    (message,) = _findings(tmp_path / "b", "Card.objects.filter(done=False, due__lt=q)")
    assert message.startswith("Card.done+due is looked up")


TRIGRAM = """from django.db import migrations


class Migration(migrations.Migration):
    operations = [
        migrations.RunSQL("CREATE INDEX card_text_trgm ON desk_card USING gin (text gin_trgm_ops)")
    ]
"""


def test_a_column_a_migration_gives_a_trigram_index_is_served(tmp_path: Path) -> None:
    for query in ("Card.objects.filter(text__icontains=q)", "Card.objects.get(text=q)"):
        assert _findings(tmp_path / str(len(query)), query, TRIGRAM) == []


def test_a_join_whose_key_the_query_pins_is_served(tmp_path: Path) -> None:
    pinned = "Card.objects.filter(board_id=b, board__title=q)"
    assert _findings(tmp_path, pinned) == []
    (message,) = _findings(tmp_path / "b", "Card.objects.filter(board__title=q)")
    assert message.startswith("Board.title is looked up")


SEARCH_API = """from rest_framework import filters, viewsets

from .models import Card


class CardViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Card.objects.all()
    filter_backends = [filters.SearchFilter]
    search_fields = ["text", "title"]
"""


def test_search_fields_options_alone_make_one_note_per_model(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "p")
    models = MODELS.replace("    done =", "    title = models.CharField(max_length=50)\n    done =")
    files = {
        "desk/__init__.py": "",
        "desk/models.py": models,
        "desk/tasks.py": LOAD,
        "desk/api.py": SEARCH_API,
        "desk/migrations/__init__.py": "",
    }
    write_tree(root, files)
    (finding,) = run_tree(root, select=("DJR202",)).findings
    assert finding.message.startswith("Card.text, title is searched with __icontains (1 place")


def test_a_partial_index_after_a_shared_base_list_is_read(tmp_path: Path) -> None:
    meta = (
        "\n    class Meta:\n        indexes = BASE + [models.Index(fields=['text', 'due'], "
        "condition=models.Q(due__isnull=False), name='card_text_due')]\n"
    )
    models = MODELS.replace("class Board", "BASE = []\n\n\nclass Board") + meta
    root = make_repo(tmp_path / "p")
    files = {
        "desk/__init__.py": "",
        "desk/models.py": models,
        "desk/tasks.py": LOAD,
        "desk/views.py": "from .models import Card\n\n\ndef v(r, q):\n"
        "    return Card.objects.filter(text=q, due__in=[q])\n",
        "desk/migrations/__init__.py": "",
    }
    write_tree(root, files)
    assert run_tree(root, select=("DJR201",)).findings == []


def test_an_index_led_by_a_flag_the_query_also_pins_serves_it(tmp_path: Path) -> None:
    query = "Card.objects.get(done=False, text=q)"
    pinned = MODELS + "\n    class Meta:\n        unique_together = [('done', 'text')]\n"
    root = make_repo(tmp_path / "p")
    files = {
        "desk/__init__.py": "",
        "desk/models.py": pinned,
        "desk/tasks.py": LOAD,
        "desk/views.py": f"from .models import Card\n\n\ndef v(r, q):\n    return {query}\n",
        "desk/migrations/__init__.py": "",
    }
    write_tree(root, files)
    assert run_tree(root, select=("DJR201",)).findings == []
    (message,) = _findings(tmp_path / "b", query)  # no such index: text is advised
    assert message.startswith("Card.text is looked up")


def _with_meta(tmp_path: Path, meta: str, query: str) -> list[str]:
    root = make_repo(tmp_path / "p")
    files = {
        "desk/__init__.py": "",
        "desk/models.py": MODELS + f"\n    class Meta:\n        {meta}\n",
        "desk/tasks.py": LOAD,
        "desk/views.py": (
            "from django.db.models import F\n\nfrom .models import Card\n\n\n"
            f"def v(r, q, d):\n    return {query}\n"
        ),
        "desk/migrations/__init__.py": "",
    }
    write_tree(root, files)
    return [f.message for f in run_tree(root, select=("DJR201",)).findings]


def test_an_index_pinned_by_the_equality_must_go_on_with_the_range_column(
    tmp_path: Path,
) -> None:
    # One board has many cards: the ForeignKey's own index leaves every card of the board.
    query = "Card.objects.filter(board_id=q, due__gte=d)"
    # (board, kind) is pinned by board=q but scans every card of the board for the range.
    (message,) = _with_meta(tmp_path / "a", "unique_together = [('board', 'kind')]", query)
    assert message.startswith("Card.board+due is looked up"), message
    # (board, due) goes on with the range column: it serves the query.
    assert _with_meta(tmp_path / "b", "unique_together = [('board', 'due')]", query) == []


def test_a_range_bounded_by_another_column_is_not_an_index_range(tmp_path: Path) -> None:
    # `due__gte=F("number")` changes its bound on every row: (board, due) cannot range-scan
    # it, so (board, kind) already serves the query through its board prefix.
    pinned = "unique_together = [('board', 'kind')]"
    by_column = 'Card.objects.filter(board_id=q, due__gte=F("board__title"))'
    assert _with_meta(tmp_path / "a", pinned, by_column) == []
    # The same query with a value bound is a range an index can use.
    (message,) = _with_meta(tmp_path / "b", pinned, "Card.objects.filter(board_id=q, due__gte=d)")
    assert message.startswith("Card.board+due is looked up"), message
