"""Index findings point at the field declaration where the index goes; the hottest query
site is their first related location."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree, write_tree

BASE = """from django.db import models


class Stamped(models.Model):
    ref = models.CharField(max_length=20)

    class Meta:
        abstract = True
"""
MODELS = """from django.db import models

from core.base import Stamped


class Ticket(Stamped):
    title = models.CharField(max_length=20)
"""
VIEWS = """from .models import Ticket


def by_ref(request, ref):
    return Ticket.objects.get(ref=ref)


def by_title(request, title):
    return Ticket.objects.filter(title=title)
"""
TASKS = """from .models import Ticket


def load(rows):
    Ticket.objects.bulk_create(rows)
    return Ticket.objects.filter(title="x").count()
"""


def test_findings_point_at_the_field_in_the_abstract_base_with_the_hottest_site_next(
    tmp_path: Path,
) -> None:
    root = make_repo(tmp_path / "p")
    files = {
        "core/__init__.py": "",
        "core/base.py": BASE,
        "desk/__init__.py": "",
        "desk/models.py": MODELS,
        "desk/views.py": VIEWS,
        "desk/tasks.py": TASKS,
        "desk/migrations/__init__.py": "",
    }
    write_tree(root, files)
    found = {f.message.split(" ")[0]: f for f in run_tree(root, select=("DJR201",)).findings}
    ref, title = found["Ticket.ref"], found["Ticket.title"]
    assert (ref.location.path, ref.location.start_line) == ("core/base.py", 5)
    assert (title.location.path, title.location.start_line) == ("desk/models.py", 7)
    hottest = title.related[0]
    # The view outranks the task that runs the same lookup.
    assert hottest.message.startswith("hottest query site")
    assert (hottest.location.path, hottest.location.start_line) == ("desk/views.py", 9)
    assert ("desk/tasks.py", 6) in {(r.location.path, r.location.start_line) for r in title.related}


def test_a_field_django_declares_points_at_the_hottest_query_site(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "p")
    models = (
        "from django.contrib.auth.models import AbstractUser\n\n\n"
        "class User(AbstractUser):\n    pass\n"
    )
    views = (
        "from .models import User\n\n\n"
        "def by_email(request, e):\n    return User.objects.get(email=e)\n"
    )
    files = {
        "accounts/__init__.py": "",
        "accounts/models.py": models,
        "accounts/views.py": views,
        "accounts/migrations/__init__.py": "",
        "settings.py": 'AUTH_USER_MODEL = "accounts.User"\n',
    }
    write_tree(root, files)
    (finding,) = run_tree(root, select=("DJR201",)).findings
    assert finding.message.startswith("User.email")
    assert (finding.location.path, finding.location.start_line) == ("accounts/views.py", 5)
    assert not finding.related[0].message.startswith("hottest query site")
