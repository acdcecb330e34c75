"""Needs only options make (FilterSet filters, DRF `ordering_fields`): one note per model and
rule, every option column in it, and no fix, while a query the code runs keeps its fix."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree, write_tree

MODELS = """from django.db import models


class Checkout(models.Model):
    reader = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    due = models.DateTimeField()
    returned = models.DateTimeField()
    renewed = models.DateTimeField()
"""
TASKS = """from .models import Checkout


def load(rows):
    Checkout.objects.bulk_create(rows)


def overdue(now):
    return list(Checkout.objects.filter(renewed__lt=now))
"""
FILTERS = """import django_filters

from desk.models import Checkout


class CheckoutFilter(django_filters.FilterSet):
    class Meta:
        model = Checkout
        fields = {"due": ["gt", "lt"], "returned": ["gte"]}
"""
API = """from rest_framework import viewsets

from desk.models import Checkout


class CheckoutViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Checkout.objects.all()
    ordering_fields = ["due", "returned"]
"""


def _findings(
    tmp_path: Path, rule: str, module: str, text: str, extra: dict[str, str] | None = None
):
    """The `rule` findings of a desk project whose `desk/api/<module>` holds `text`."""
    root = make_repo(tmp_path / "p")
    files = {
        "desk/__init__.py": "",
        "desk/models.py": MODELS,
        "desk/tasks.py": TASKS,
        "desk/api/__init__.py": "",
        f"desk/api/{module}": text,
        "desk/migrations/__init__.py": "",
        "desk/migrations/0001_initial.py": "",
        **(extra or {}),
    }
    return run_tree(write_tree(root, files), select=(rule,)).findings


def test_a_filtersets_windows_are_one_note_without_a_fix(tmp_path: Path) -> None:
    by_first = {
        f.message.split(" ")[0]: f for f in _findings(tmp_path, "DJR201", "filters.py", FILTERS)
    }
    options = by_first["Checkout.due,"]
    assert options.message.startswith("Checkout.due, returned is looked up")
    assert "2 places: 2 FilterSet filter" in options.message
    assert "no query in the code runs them" in options.message
    assert options.fix is None
    assert options.severity.value == "note"
    # A range the task runs is a query, not an option: its own finding, with a fix.
    assert by_first["Checkout.renewed"].fix is not None
    assert len(by_first) == 2


def test_ordering_options_are_one_note_without_a_fix(tmp_path: Path) -> None:
    (finding,) = _findings(tmp_path, "DJR203", "views.py", API)
    assert finding.message.startswith("Checkout rows are sorted by due, returned")
    assert "ordering_fields option" in finding.message
    assert finding.fix is None


ADMIN = """from django.contrib import admin

from .models import Checkout


@admin.register(Checkout)
class CheckoutAdmin(admin.ModelAdmin):
    list_filter = ["due"]
"""


def test_an_admin_filter_beside_the_options_leaves_them_an_option_note(tmp_path: Path) -> None:
    extra = {"desk/admin.py": ADMIN}
    found = _findings(tmp_path, "DJR201", "filters.py", FILTERS, extra)
    options = next(f for f in found if f.message.startswith("Checkout.due,"))
    # The admin changelist's filter joins the note; it does not make it a warning.
    assert options.severity.value == "note"
    assert "2 FilterSet filter, 1 admin" in options.message


SEARCH_API = """from rest_framework import viewsets

from desk.models import Checkout


class CheckoutViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Checkout.objects.all()
    search_fields = ["due", "returned"]
"""


def test_search_options_on_several_columns_keep_the_text_search_advice(tmp_path: Path) -> None:
    # A B-tree cannot serve `icontains`: the note must not advise one index per column.
    (finding,) = _findings(tmp_path, "DJR202", "views.py", SEARCH_API)
    assert "no query in the code runs them" in finding.message
    assert "each on its own" not in finding.message
    assert "trigram" in finding.message or "GIN" in finding.message
    assert finding.fix is None
