"""An untyped queryset parameter takes its model from the callers in its module.

A method's callers are `self.<method>(...)` calls, a function's calls by its
name; each caller's argument is resolved in the caller's scope, through a
project function that hands its queryset parameter back filtered
(`visible(user, qs)`) and a related manager of an untyped owner. Every caller
must pass the same model.
"""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree, write_tree

MODELS = """from django.db import models


class Thread(models.Model):
    title = models.CharField(max_length=20)


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE)
    posted_on = models.DateTimeField()
    hidden = models.BooleanField(default=False)


class Memo(models.Model):
    written = models.DateTimeField()
"""
HELPERS = """def visible(user, queryset):
    if user.is_staff:
        return queryset
    queryset = queryset.exclude(hidden=True)
    return queryset
"""
WRITES = """from .models import Memo, Post, Thread


def write(request):
    thread = Thread.objects.create(title=request.title)
    Post.objects.create(thread=thread, posted_on=request.now)
    Memo.objects.create(written=request.now)
"""


def _messages(tmp_path: Path, views: str) -> list[str]:
    root = make_repo(tmp_path / "p")
    files = {
        "forum/__init__.py": "",
        "forum/models.py": MODELS,
        "forum/permissions.py": HELPERS,
        "forum/writes.py": WRITES,
        "forum/views.py": views,
        "forum/migrations/__init__.py": "",
    }
    return [f.message for f in run_tree(write_tree(root, files), select=("DJR201",)).findings]


GOTO = """from django.views import View

from .permissions import visible


class Goto(View):
    def get(self, request, pk):
        thread = self.get_thread(pk)
        posts = visible(request.user, thread.post_set)
        return self.target(thread, posts.order_by("id"))


class GotoNew(Goto):
    def target(self, thread, posts):
        return posts.filter(posted_on__gt=thread.read_on).order_by("id").first()
"""


def test_a_subclass_method_parameter_takes_the_base_callers_related_manager(
    tmp_path: Path,
) -> None:
    (message,) = _messages(tmp_path, GOTO)
    assert message.startswith("Post.thread+posted_on is looked up")


def test_callers_passing_different_models_leave_the_parameter_unknown(tmp_path: Path) -> None:
    views = """from .models import Memo, Post


def latest(rows, since):
    return rows.filter(written__gte=since).first()


def page(request):
    latest(Memo.objects.all(), request.since)
    return latest(Post.objects.all(), request.since)
"""
    assert _messages(tmp_path, views) == []


def test_one_caller_passing_a_model_types_the_parameter(tmp_path: Path) -> None:
    views = """from .models import Memo


def latest(rows, since):
    return rows.filter(written__gte=since).first()


def page(request):
    return latest(Memo.objects.all(), request.since)
"""
    (message,) = _messages(tmp_path, views)
    assert message.startswith("Memo.written is looked up")
