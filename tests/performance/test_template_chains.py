"""DJR110 reaches templates through the chains older real projects use (issue 15)."""

from __future__ import annotations

from pathlib import Path

from helpers import copy_sample, run_tree

from djreview.engine.registry import rules_dir

SAMPLE = rules_dir() / "performance" / "template-related-access-in-loop"
PROPERTY = """

class Shelf(models.Model):
    name = models.CharField(max_length=100)

    @property
    def shelved(self):
        return self.books.order_by("title")


class Book(models.Model):
    title = models.CharField(max_length=100)
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, related_name="books")
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
"""
PAGES = """\
from django.shortcuts import get_object_or_404, render

from .models import Book, Post, Shelf


def by_default(request, template_name="app/rows.html"):
    posts = Post.objects.all()
    for option in ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"):
        if request.GET.get(option):
            posts = posts.order_by(option)
    posts = posts.filter(title__isnull=False)
    return render(request, template_name, {"posts": posts})


def joined_by_default(request, template_name="app/rows_joined.html"):
    return render(request, template_name, {"posts": Post.objects.select_related("author")})


def shelf(request, pk):
    shelf = get_object_or_404(Shelf, pk=pk)
    return render(request, "app/shelf.html", {"books": shelf.shelved})


def shelf_joined(request, pk):
    shelf = get_object_or_404(Shelf, pk=pk)
    return render(request, "app/shelf_joined.html", {"books": shelf.books.select_related("author")})


def shelf_prefetched(request, pk):
    shelf = get_object_or_404(Shelf.objects.prefetch_related("books__author"), pk=pk)
    return render(request, "app/shelf_prefetched.html", {"books": shelf.books.all()})
"""
ROWS = "{% for post in posts %}{{ post.author.name }}{% endfor %}\n"
BOOKS = "{% for book in books %}{{ book.author.name }}{% endfor %}\n"


def _findings(tmp_path: Path) -> dict[str, list[str]]:
    tree = copy_sample(SAMPLE, tmp_path / "project")
    models = tree / "app" / "models.py"
    models.write_text(models.read_text() + PROPERTY)
    (tree / "app" / "pages.py").write_text(PAGES)
    templates = tree / "app" / "templates" / "app"
    for name, text in {
        "rows.html": ROWS,
        "rows_joined.html": ROWS,
        "shelf.html": BOOKS,
        "shelf_joined.html": BOOKS,
        "shelf_prefetched.html": BOOKS,
    }.items():
        (templates / name).write_text(text)
    found: dict[str, list[str]] = {}
    for finding in run_tree(tree, select=("DJR110",)).findings:
        found.setdefault(finding.location.path.rsplit("/", 1)[-1], []).append(finding.message)
    return found


def test_template_names_from_parameter_defaults_and_rows_from_model_properties(tmp_path: Path):
    found = _findings(tmp_path)
    # A default `template_name=` parameter names the template; a queryset
    # restated ten times down the view is still followed.
    [rows] = found["rows.html"]
    assert rows.startswith("post.author is loaded once per row")
    assert rows.endswith("at pages.py:7")
    # `shelf.shelved`: a property over the object's reverse manager; the fix goes in the property.
    [shelved] = found["shelf.html"]
    assert shelved.startswith("book.author is loaded once per row")
    assert shelved.endswith("at models.py:27")
    for twin in ("rows_joined.html", "shelf_joined.html", "shelf_prefetched.html"):
        assert twin not in found, found[twin]


TAGS = """\
from django import template

from ..models import Post

register = template.Library()


@register.simple_tag
def latest(limit=5):
    return Post.objects.order_by("-id")[:limit]


@register.simple_tag
def every():
    return Post.objects.order_by("-id")
"""
SIDEBAR = """\
{% load sidebar %}
{% latest as few %}{% for post in few %}{{ post.author.name }}{% endfor %}
{% latest limit=50 as many %}{% for post in many %}{{ post.author.name }}{% endfor %}
{% every as all %}{% for post in all %}{{ post.author.name }}{% endfor %}
"""


def test_a_simple_tag_slicing_to_its_limit_argument_gives_a_handful_of_rows(tmp_path: Path):
    tree = copy_sample(SAMPLE, tmp_path / "project")
    (tree / "app" / "templatetags").mkdir()
    (tree / "app" / "templatetags" / "__init__.py").write_text("")
    (tree / "app" / "templatetags" / "sidebar.py").write_text(TAGS)
    (tree / "app" / "templates" / "app" / "sidebar.html").write_text(SIDEBAR)
    lines = sorted(
        f.location.start_line
        for f in run_tree(tree, select=("DJR110",)).findings
        if f.location.path.endswith("sidebar.html")
    )
    # `[:limit]` with the default 5 is a handful; limit=50 and no slice are not.
    assert lines == [3, 4]


CHOSEN = """\
from django.views.generic import ListView

from .models import Post


class Chosen(ListView):
    model = Post

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["app/chosen_rows.html"]
        return ["app/chosen_page.html"]
"""


def test_get_template_names_replaces_the_default_template(tmp_path: Path):
    tree = copy_sample(SAMPLE, tmp_path / "project")
    (tree / "app" / "chosen.py").write_text(CHOSEN)
    templates = tree / "app" / "templates" / "app"
    for name in ("chosen_rows.html", "chosen_page.html"):
        (templates / name).write_text(
            "{% for post in object_list %}{{ post.author.name }}{% endfor %}\n"
        )
    found = {
        f.location.path.rsplit("/", 1)[-1]
        for f in run_tree(tree, select=("DJR110",)).findings
        if "the view's queryset" in [r.message for r in f.related]
        and any(r.location.path.endswith("chosen.py") for r in f.related)
    }
    # Both names it returns are read; Django's default app/post_list.html is never rendered.
    assert found == {"chosen_rows.html", "chosen_page.html"}


CHUNKS = """\
from django.core.paginator import Paginator

from .models import Post


def export(request):
    names = []
    paginator = Paginator(Post.objects.order_by("id"), 1000)
    for number in paginator.page_range:
        for post in paginator.page(number):
            names.append(post.title)
    return names
"""


def test_a_loop_over_paginator_pages_is_chunking_not_a_query_per_row(tmp_path: Path):
    tree = copy_sample(SAMPLE, tmp_path / "project")
    (tree / "app" / "chunks.py").write_text(CHUNKS)
    findings = run_tree(tree, select=("DJR1",)).findings
    assert [f for f in findings if f.location.path.endswith("chunks.py")] == []
