"""A model's `Meta.ordering` asks for an index only when a list view or API list shows it:
an admin changelist is a staff page, which like every admin site never makes a need alone."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree, write_tree

MODELS = """from django.db import models


class PressLog(models.Model):
    sent = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent"]
"""
TASKS = """from .models import PressLog


def announce():
    return PressLog.objects.create()
"""
ADMIN = """from django.contrib import admin

from .models import PressLog


class PressLogAdmin(admin.ModelAdmin):
    list_filter = ["sent"]


admin.site.register(PressLog, PressLogAdmin)
"""
LIST_VIEW = """from django.views.generic import ListView

from .models import PressLog


class PressLogList(ListView):
    queryset = PressLog.objects.all()
"""


def _ordering_findings(tmp_path: Path, extra: dict[str, str]) -> list[str]:
    root = make_repo(tmp_path / "p")
    files = {
        "press/__init__.py": "",
        "press/models.py": MODELS,
        "press/tasks.py": TASKS,
        "press/admin.py": ADMIN,
        "press/migrations/__init__.py": "",
        **extra,
    }
    return [f.message for f in run_tree(write_tree(root, files), select=("DJR203",)).findings]


def test_an_admin_changelist_alone_asks_no_index_for_meta_ordering(tmp_path: Path) -> None:
    assert _ordering_findings(tmp_path, {}) == []


def test_a_list_view_asks_an_index_for_meta_ordering(tmp_path: Path) -> None:
    (message,) = _ordering_findings(tmp_path, {"press/views.py": LIST_VIEW})
    assert message.startswith("PressLog rows are sorted by sent")
