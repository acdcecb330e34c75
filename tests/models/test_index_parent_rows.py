"""A key to a table without growth evidence leads a composite only when the query reads a
time window or a sort of that parent's rows: those accumulate; an equality on another
column says nothing of how many rows one parent holds."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree, write_tree

MODELS = """from django.db import models


class Round(models.Model):
    name = models.CharField(max_length=20)


class Panel(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE)
    rank = models.IntegerField(default=0)
    formed = models.DateTimeField()
"""
TASKS = """from .models import Panel


def form(round, rank, now):
    return Panel.objects.create(round=round, rank=rank, formed=now)
"""


def _messages(tmp_path: Path, query: str) -> list[str]:
    root = make_repo(tmp_path / "p")
    views = f"from .models import Panel\n\n\ndef page(request, r, value):\n    return {query}\n"
    files = {
        "debate/__init__.py": "",
        "debate/models.py": MODELS,
        "debate/tasks.py": TASKS,
        "debate/views.py": views,
        "debate/migrations/__init__.py": "",
    }
    return [f.message for f in run_tree(write_tree(root, files), select=("DJR201",)).findings]


def test_an_equality_within_a_small_parent_asks_for_no_composite(tmp_path: Path) -> None:
    assert _messages(tmp_path, "Panel.objects.filter(round=r, rank=value).first()") == []


def test_a_time_window_within_a_small_parent_asks_for_the_key_led_composite(
    tmp_path: Path,
) -> None:
    (message,) = _messages(tmp_path, "list(Panel.objects.filter(round=r, formed__gte=value))")
    assert message.startswith("Panel.round+formed is looked up")
