"""Index advice reached through relations and options: generic relations, a parent's rows
through its related manager (also of an untyped owner), reverse spans, FilterSets, and the
management package as offline code."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree, write_tree

MODELS = """from django.db import models


class Stamped(models.Model):
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created"]


class Book(models.Model):
    title = models.CharField(max_length=100)


class ScanLog(Stamped):
    book = models.ForeignKey(Book, related_name="scan_logs", on_delete=models.CASCADE)


class Chapter(models.Model):
    book = models.ForeignKey(Book, related_name="chapters", on_delete=models.CASCADE)
    number = models.IntegerField(default=1)

    class Meta:
        ordering = ["number"]


class Mention(models.Model):
    target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    target_id = models.PositiveIntegerField()


class Borrowing(models.Model):
    reader = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    borrowed_at = models.DateTimeField()


class Copy(models.Model):
    book = models.ForeignKey(Book, related_name="copies", on_delete=models.CASCADE)
    tag = models.CharField(max_length=20)
    state = models.IntegerField(default=0)


class Checkout(models.Model):
    reader = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    desk = models.CharField(max_length=10)
    due = models.DateTimeField()
"""
LOAD = """from .models import Book, Borrowing, Chapter, Checkout, Copy, Mention, ScanLog


def load(rows):
    Book.objects.bulk_create(rows)
    Borrowing.objects.bulk_create(rows)
    Chapter.objects.bulk_create(rows)
    Checkout.objects.bulk_create(rows)
    Copy.objects.bulk_create(rows)
    Mention.objects.bulk_create(rows)
    ScanLog.objects.bulk_create(rows)
"""


def _tree(tmp_path: Path, views: str, extra: dict[str, str] | None = None) -> Path:
    """A desk project with `views` as its views module (and `extra` files)."""
    root = make_repo(tmp_path / "p")
    files = {
        "desk/__init__.py": "",
        "desk/models.py": MODELS,
        "desk/tasks.py": LOAD,
        "desk/views.py": "from django.shortcuts import get_object_or_404\n\n" + views,
        "desk/migrations/__init__.py": "",
        "desk/migrations/0001_initial.py": "",
        **(extra or {}),
    }
    return write_tree(root, files)


def _run(tmp_path: Path, views: str, extra: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(severity, message) of the DJR201 findings with `views` as the desk's views module."""
    findings = run_tree(_tree(tmp_path, views, extra), select=("DJR201",)).findings
    return [(f.severity.value, f.message) for f in findings]


def _messages(tmp_path: Path, views: str, extra: dict[str, str] | None = None) -> list[str]:
    return [message for _, message in _run(tmp_path, views, extra)]


SCAN_LOG = (
    "from .models import Book\n\n\ndef page(request, pk):\n"
    "    book = get_object_or_404(Book, pk=pk)\n"
    "    return list(book.scan_logs.all())\n"
)


def test_a_generic_relation_pair_leads_with_its_content_type(tmp_path: Path) -> None:
    views = (
        "from .models import Mention\n\n\ndef page(request, ct, pk):\n"
        "    return Mention.objects.filter(target_type_id=ct, target_id=pk)\n"
    )
    (message,) = _messages(tmp_path, views)
    assert message.startswith("Mention.target_type+target_id is looked up")


def test_a_parents_event_log_in_its_inherited_order_needs_the_key_then_the_order(
    tmp_path: Path,
) -> None:
    views = SCAN_LOG
    (message,) = _messages(tmp_path, views)
    assert message.startswith("ScanLog.book+created is looked up")


def test_a_parents_few_children_in_their_order_need_nothing(tmp_path: Path) -> None:
    views = (
        "from .models import Book\n\n\ndef page(request, pk):\n"
        "    book = get_object_or_404(Book, pk=pk)\n"
        "    return list(book.chapters.all())\n"
    )
    assert _messages(tmp_path, views) == []


def test_a_reverse_accessor_of_an_untyped_owner_names_its_key(tmp_path: Path) -> None:
    views = (
        "class Limit:\n    def __init__(self, reader):\n        self.reader = reader\n\n"
        "    def reached(self, request, since):\n"
        "        return self.reader.borrowing_set.filter(borrowed_at__gte=since).count() > 3\n"
    )
    (message,) = _messages(tmp_path, views)
    assert message.startswith("Borrowing.reader+borrowed_at is looked up")


def test_a_reverse_span_on_an_identifier_needs_the_related_column(tmp_path: Path) -> None:
    views = (
        "from .models import Book\n\n\ndef page(request, tag, **more):\n"
        "    return Book.objects.filter(copies__tag=tag, **more).first()\n"
    )
    (message,) = _messages(tmp_path, views)
    assert message.startswith("Copy.tag is looked up")


def test_a_reverse_span_on_a_number_is_driven_from_the_key(tmp_path: Path) -> None:
    views = (
        "from .models import Book\n\n\ndef page(request, state):\n"
        "    return Book.objects.filter(copies__state=state)\n"
    )
    assert _messages(tmp_path, views) == []


FILTERS = """import django_filters

from desk.models import Checkout


class CheckoutFilter(django_filters.FilterSet):
    desk = django_filters.CharFilter(field_name="desk")

    class Meta:
        model = Checkout
        fields = {"due": ["gt", "lt", "gte"]}
"""


def test_a_filtersets_time_window_is_a_note_and_its_equality_filter_nothing(
    tmp_path: Path,
) -> None:
    found = _run(tmp_path, "", {"desk/api/__init__.py": "", "desk/api/filters.py": FILTERS})
    assert found == [("note", found[0][1])]
    assert found[0][1].startswith("Checkout.due is looked up")


def test_a_helper_of_the_management_package_is_offline(tmp_path: Path) -> None:
    helper = (
        "from desk.models import Checkout\n\n\ndef overdue(now):\n"
        "    return list(Checkout.objects.filter(due__lt=now))\n"
    )
    extra = {"desk/management/__init__.py": "", "desk/management/stock.py": helper}
    assert _messages(tmp_path, "", extra) == []
    # The same query in a task module is advice.
    assert _messages(tmp_path / "q", "", {"desk/reminders.py": helper})


def test_no_meta_fix_drops_the_options_an_abstract_base_passes_on(tmp_path: Path) -> None:
    (finding,) = run_tree(_tree(tmp_path, SCAN_LOG), select=("DJR201",)).findings
    # `class Meta:` on ScanLog would drop the ordering it inherits from Stamped.
    assert finding.fix is None


LOGS = """from django.db import models


class Desk(models.Model):
    name = models.CharField(max_length=40)


class Reader(models.Model):
    name = models.CharField(max_length=40)


class WireLog(models.Model):
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE)
    received = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received"]


class ReadLog(models.Model):
    reader = models.ForeignKey(Reader, on_delete=models.CASCADE)
    opened = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened"]
"""
LOG_VIEWS = """from django.views.generic import ListView

from .models import Reader, ReadLog, WireLog


class WireLogList(ListView):
    model = WireLog


class ReadLogList(ListView):
    model = ReadLog


def reader(request, pk):
    return Reader.objects.get(pk=pk)


def record(request, desk, reader):
    Reader.objects.create(name=request.name)
    WireLog.objects.create(desk=desk)
    ReadLog.objects.create(reader=reader)
"""


def test_an_event_logs_default_order_is_advised_only_when_read_across_parents(
    tmp_path: Path,
) -> None:
    root = make_repo(tmp_path / "p")
    files = {
        "news/__init__.py": "",
        "news/models.py": LOGS,
        "news/views.py": LOG_VIEWS,
        "news/migrations/__init__.py": "",
        "news/migrations/0001_initial.py": "",
    }
    found = run_tree(write_tree(root, files), select=("DJR203",)).findings
    # WireLog's key points at a few desks; ReadLog's at readers, a growing table.
    assert [f.message.split(" rows ")[0] for f in found] == ["WireLog"]
