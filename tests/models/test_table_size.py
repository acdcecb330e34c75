"""Index advice needs evidence that the table grows; the finding says which."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree

MODELS = """from django.db import models


class Book(models.Model):
    code = models.CharField(max_length=20)
"""
VIEWS = """from .models import Book


def book_by_code(request, code):
    return Book.objects.get(code=code)
"""


def _project(tmp_path: Path, extra: dict[str, str]) -> Path:
    root = make_repo(tmp_path / "project")
    files = {
        "library/__init__.py": "",
        "library/models.py": MODELS,
        "library/views.py": VIEWS,
        "library/migrations/__init__.py": "",
        **extra,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _lookups(root: Path) -> list[str]:
    return [f.message for f in run_tree(root, select=("DJR201",)).findings]


def test_a_table_only_migrations_fill_gets_no_advice(tmp_path) -> None:
    seeded = "from library.models import Book\n\n\ndef seed():\n    Book.objects.create(code='x')\n"
    assert _lookups(_project(tmp_path, {"library/migrations/0002_seed.py": seeded})) == []


def test_rows_created_by_a_task_make_the_table_large_and_the_message_says_so(tmp_path) -> None:
    task = (
        "from library.models import Book\n\n\ndef load(rows):\n    Book.objects.bulk_create(rows)\n"
    )
    (message,) = _lookups(_project(tmp_path, {"library/tasks.py": task}))
    assert "rows created by bulk_create() in library/tasks.py" in message


def test_a_module_python_3_cannot_parse_still_counts_as_evidence(tmp_path) -> None:
    legacy = "from library.models import Book\nprint 'loading'\nBook.objects.bulk_create(rows)\n"
    (message,) = _lookups(_project(tmp_path, {"library/legacy.py": legacy}))
    assert "bulk_create() in library/legacy.py" in message


REFERENCE = """from django.db import models


class Format(models.Model):
    name = models.CharField(max_length=40)


class Book(models.Model):
    code = models.CharField(max_length=20)
    format = models.ForeignKey(Format, on_delete=models.CASCADE)
"""
FORMAT_VIEW = """from .models import Format


def by_name(request, n):
    return Format.objects.get(name=n)
"""


def _formats(tmp_path: Path, creation: str) -> list[str]:
    loader = f"from library.models import Format\n\n\ndef load(n):\n    Format.objects.{creation}\n"
    root = _project(
        tmp_path,
        {"library/models.py": REFERENCE, "library/views.py": FORMAT_VIEW, "library/etl.py": loader},
    )
    return _lookups(root)


def test_a_reference_table_made_one_row_per_value_gets_no_advice(tmp_path: Path) -> None:
    assert _formats(tmp_path, "get_or_create(name=n)") == []


def test_a_reference_shaped_table_created_in_bulk_still_counts(tmp_path: Path) -> None:
    (message,) = _formats(tmp_path, "bulk_create([Format(name=n)])")
    assert "Format.name" in message and "bulk_create() in library/etl.py" in message


def test_a_numbered_one_off_job_is_no_evidence_and_no_site(tmp_path: Path) -> None:
    job = "from library.models import Book\n\n\ndef run(c):\n    Book.objects.create(code=c)\n"
    job += "    return Book.objects.filter(code=c)\n"
    assert _lookups(_project(tmp_path, {"library/jobs/0009_backfill.py": job})) == []
    # The same module without the migration-like name is a recurring helper.
    assert len(_lookups(_project(tmp_path / "b", {"library/jobs/backfill.py": job}))) == 1


def test_a_factory_module_is_no_evidence_and_no_site(tmp_path: Path) -> None:
    factory = "from library.models import Book\n\n\ndef make(c):\n    Book.objects.create(code=c)\n"
    factory += "    return Book.objects.filter(code=c)\n"
    assert _lookups(_project(tmp_path, {"library/factory.py": factory})) == []


def test_a_reference_shaped_table_with_a_timestamp_still_counts(tmp_path: Path) -> None:
    stamped = REFERENCE.replace(
        "    name = models.CharField(max_length=40)\n",
        "    name = models.CharField(max_length=40)\n    created = models.DateTimeField()\n",
    )
    loader = "from library.models import Format\n\n\ndef load(n):\n"
    loader += "    Format.objects.get_or_create(name=n)\n"
    root = _project(
        tmp_path,
        {"library/models.py": stamped, "library/views.py": FORMAT_VIEW, "library/etl.py": loader},
    )
    (message,) = _lookups(root)
    assert "Format.name" in message


def test_rows_made_only_by_get_or_create_with_constant_keys_get_no_advice(tmp_path: Path) -> None:
    fixed = (
        "from library.models import Book\n\n\ndef ensure():\n"
        "    Book.objects.get_or_create(code='main', defaults={})\n"
    )
    assert _lookups(_project(tmp_path / "fixed", {"library/setup.py": fixed})) == []
    keyed = fixed.replace("code='main'", "code=row['code']").replace("ensure()", "ensure(row)")
    assert len(_lookups(_project(tmp_path / "keyed", {"library/setup.py": keyed}))) == 1


EVENTS = """from django.db import models


class BookEvent(models.Model):
    code = models.CharField(max_length=20)
    at = models.DateTimeField({at})
"""
EVENT_VIEWS = VIEWS.replace("Book", "BookEvent")


def test_an_event_named_table_counts_only_when_its_rows_stamp_themselves(tmp_path: Path) -> None:
    typed = {"library/models.py": EVENTS.format(at=""), "library/views.py": EVENT_VIEWS}
    assert _lookups(_project(tmp_path / "typed", typed)) == []
    for n, stamp in enumerate(("auto_now_add=True", "default=timezone.now")):
        stamped = {"library/models.py": EVENTS.format(at=stamp), "library/views.py": EVENT_VIEWS}
        (message,) = _lookups(_project(tmp_path / f"stamped{n}", stamped))
        assert "timestamped event rows" in message


ADMIN_ACTION = """from django.contrib import admin

from library.models import Book


class BookAdmin(admin.ModelAdmin):
    def import_action(self, request, rows):
        Book.objects.bulk_create(rows)
"""


def test_rows_an_admin_class_creates_are_no_evidence_in_any_module(tmp_path: Path) -> None:
    assert _lookups(_project(tmp_path / "admin", {"library/loaders.py": ADMIN_ACTION})) == []
    plain = ADMIN_ACTION.replace("class BookAdmin(admin.ModelAdmin):", "class BookLoader:")
    assert len(_lookups(_project(tmp_path / "plain", {"library/loaders.py": plain}))) == 1


AUDITED = MODELS + (
    "    creator = models.ForeignKey('auth.User', null=True, on_delete=models.SET_NULL)\n"
    # A key to a growing table beside the user key: user-owned rows that grow.
    "    author = models.ForeignKey('Author', on_delete=models.CASCADE)\n"
    "\n\nclass Author(models.Model):\n    name = models.CharField(max_length=20)\n"
)
AUTHORS = "from library.models import Author\n\n\ndef add(n):\n    Author.objects.create(name=n)\n"
REGISTERED = (
    "from django.contrib import admin\n\nfrom library.models import Book\n\n"
    "admin.site.register(Book)\n"
)


def test_a_nullable_user_column_on_an_admin_only_model_is_no_owner(tmp_path: Path) -> None:
    audited = {"library/models.py": AUDITED, "library/admin.py": REGISTERED}
    audited["library/authors.py"] = AUTHORS
    assert _lookups(_project(tmp_path / "audited", audited)) == []
    # Not in the admin, or a required user column: rows of users, which grow.
    unregistered = {"library/models.py": AUDITED, "library/authors.py": AUTHORS}
    assert len(_lookups(_project(tmp_path / "unregistered", unregistered))) == 1
    owned = {
        "library/models.py": AUDITED.replace("null=True, ", ""),
        "library/admin.py": REGISTERED,
        "library/authors.py": AUTHORS,
    }
    (message,) = _lookups(_project(tmp_path / "owned", owned))
    assert "rows owned by a user (creator) per Author (author), a table that grows" in message


def test_a_user_key_alone_is_no_evidence_the_table_grows(tmp_path: Path) -> None:
    alone = MODELS + "    owner = models.ForeignKey('auth.User', on_delete=models.CASCADE)\n"
    assert _lookups(_project(tmp_path / "alone", {"library/models.py": alone})) == []
    # Beside a key to a table without growth evidence it is still alone.
    beside = alone + "    author = models.ForeignKey('Author', on_delete=models.CASCADE)\n"
    beside += "\n\nclass Author(models.Model):\n    name = models.CharField(max_length=20)\n"
    assert _lookups(_project(tmp_path / "small", {"library/models.py": beside})) == []
    # Once authors grow, a user's rows per author do too.
    grown = {"library/models.py": beside, "library/authors.py": AUTHORS}
    (message,) = _lookups(_project(tmp_path / "grown", grown))
    assert "rows owned by a user (owner) per Author (author)" in message


ENDPOINT = """from rest_framework import permissions, viewsets

from library.models import Book


class BookViewSet(viewsets.ModelViewSet):
    queryset = Book.objects.all()
    permission_classes = (permissions.{permission},)
"""


def test_a_create_endpoint_only_staff_can_write_is_no_evidence(tmp_path: Path) -> None:
    staff = {"library/api.py": ENDPOINT.format(permission="IsAdminUser")}
    assert _lookups(_project(tmp_path / "staff", staff)) == []
    users = {"library/api.py": ENDPOINT.format(permission="IsAuthenticated")}
    (message,) = _lookups(_project(tmp_path / "users", users))
    assert "rows created through BookViewSet" in message


MAKER = """from library.models import Book


def handle(rows):
    for row in rows:
        Book.objects.create(code=row)
"""


def test_a_development_data_generator_is_no_evidence(tmp_path: Path) -> None:
    for n, rel in enumerate(
        (
            "library/management/commands/create_test_books.py",
            "library/management/commands/createfakebooks.py",
            "library/tasks/dummy_data_task.py",
            "library/tasks/workspace_seed_task.py",
            "library/management/commands/cypress_testserver.py",
            "library/demo/books.py",
        )
    ):
        assert _lookups(_project(tmp_path / f"dev{n}", {rel: MAKER})) == [], rel
    # An importer that runs in production fills the table: that still counts.
    imported = {"library/management/commands/import_books.py": MAKER}
    (message,) = _lookups(_project(tmp_path / "import", imported))
    assert "rows created by create() in a management command" in message


SAVED = """from django.db import models


class Shelf(models.Model):
    code = models.CharField(max_length=10)


class Book(models.Model):
    code = models.CharField(max_length=20)
"""
RECEIVER = """from django.db.models.signals import {signal}
from django.dispatch import receiver

from library.models import Book, Shelf


@receiver({signal}, sender=Shelf)
def on_shelf(sender, instance, **kwargs):
    Book.objects.create(code=instance.code)
"""
CONNECTED = """from django.db.models.signals import post_save

from library.models import Book, Shelf


def on_shelf(sender, instance, **kwargs):
    Book.objects.create(code=instance.code)


post_save.connect(on_shelf, sender=Shelf)
"""
GROWING_SHELVES = (
    "from library.models import Shelf\n\n\ndef add(c):\n    Shelf.objects.create(code=c)\n"
)


def test_rows_written_per_saved_row_grow_only_as_that_table_does(tmp_path: Path) -> None:
    base = {"library/models.py": SAVED}
    for n, receivers in enumerate(
        (RECEIVER.format(signal="pre_save"), RECEIVER.format(signal="post_save"), CONNECTED)
    ):
        # Shelves have no growth evidence: a book per saved shelf is a handful.
        small = {**base, "library/signals.py": receivers}
        assert _lookups(_project(tmp_path / f"small{n}", small)) == []
        # Once shelves grow (a helper creates them), so do the books written per shelf.
        grown = {**small, "library/shelving.py": GROWING_SHELVES}
        (message,) = _lookups(_project(tmp_path / f"grown{n}", grown))
        assert "in library/signals.py for each saved Shelf, a table that grows" in message


def test_rows_a_post_migrate_receiver_seeds_are_no_evidence(tmp_path: Path) -> None:
    seeded = RECEIVER.format(signal="post_migrate").replace(", sender=Shelf", "")
    assert _lookups(_project(tmp_path, {"library/signals.py": seeded})) == []
    plain = seeded.replace("@receiver(post_migrate)\n", "")
    assert len(_lookups(_project(tmp_path / "plain", {"library/signals.py": plain}))) == 1


def test_rows_a_models_save_writes_grow_only_as_that_model_does(tmp_path: Path) -> None:
    saving = SAVED.replace(
        "    code = models.CharField(max_length=10)\n",
        "    code = models.CharField(max_length=10)\n\n"
        "    def save(self, *args, **kwargs):\n"
        "        super().save(*args, **kwargs)\n"
        "        Book.objects.create(code=self.code)\n",
        1,
    )
    assert _lookups(_project(tmp_path / "small", {"library/models.py": saving})) == []
    grown = {"library/models.py": saving, "library/shelving.py": GROWING_SHELVES}
    (message,) = _lookups(_project(tmp_path / "grown", grown))
    assert "for each saved Shelf" in message


def test_admin_actions_and_admin_named_modules_are_admin_code(tmp_path: Path) -> None:
    action = "from library.models import Book\n\n\ndef stock(modeladmin, request, queryset):\n"
    action += "    Book.objects.create(code='x')\n"
    assert _lookups(_project(tmp_path / "action", {"library/actions.py": action})) == []
    helper = action.replace("modeladmin, request, queryset", "visitor, request, rows")
    assert len(_lookups(_project(tmp_path / "helper", {"library/actions.py": helper}))) == 1
    for n, rel in enumerate(("library/admin_actions.py", "library/site/bookadmin.py")):
        assert _lookups(_project(tmp_path / f"module{n}", {rel: helper})) == [], rel


def test_the_message_names_request_or_task_code_over_a_command(tmp_path: Path) -> None:
    task = "from library.models import Book\n\n\ndef load(c):\n    Book.objects.create(code=c)\n"
    files = {"library/management/commands/import_books.py": MAKER, "library/tasks.py": task}
    (message,) = _lookups(_project(tmp_path, files))
    assert "rows created by create() in library/tasks.py" in message
