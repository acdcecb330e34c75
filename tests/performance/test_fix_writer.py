"""N+1 fixes that must not break the code they edit (issue 15, wrong fixes of the triage)."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree

from djreview.fix.apply import apply_edits

MODELS = (
    "from django.db import models\n\n\n"
    "class Author(models.Model):\n"
    "    name = models.CharField(max_length=10)\n\n\n"
    "class Book(models.Model):\n"
    "    title = models.CharField(max_length=10)\n"
    "    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name='books')\n"
    "    editor = models.ForeignKey(Author, null=True, on_delete=models.SET_NULL,"
    " related_name='edited')\n"
)


def _fixed(tmp_path: Path, views: str, rule: str) -> tuple[list, str]:
    """The findings of `rule` on a one-app project, and views.py with every fix applied."""
    project = make_repo(tmp_path / "project")
    (project / "app").mkdir()
    (project / "app" / "__init__.py").write_text("")
    (project / "app" / "models.py").write_text(MODELS)
    (project / "app" / "views.py").write_text(views)
    findings = [f for f in run_tree(project, select=(rule,)).findings if f.rule_id == rule]
    edits = {edit for f in findings if f.fix is not None for edit in f.fix.edits}
    return findings, apply_edits(views, sorted(edits, key=lambda e: e.location.start_line))


def test_select_related_goes_before_iterator_not_onto_its_generator(tmp_path):
    views = (
        "from .models import Book\n\n\n"
        "def names():\n"
        "    for book in Book.objects.filter(title='x').iterator():\n"
        "        print(book.author.name)\n"
    )
    findings, text = _fixed(tmp_path, views, "DJR101")
    assert len(findings) == 1
    # Quoted as the file quotes.
    assert "Book.objects.filter(title='x').select_related('author').iterator()" in text


def test_prefetch_before_iterator_gains_a_chunk_size(tmp_path):
    views = (
        "from .models import Author\n\n\n"
        "def counts():\n"
        "    for author in Author.objects.iterator():\n"
        "        print(author.books.count())\n"
    )
    findings, text = _fixed(tmp_path, views, "DJR102")
    assert len(findings) == 1
    assert 'Author.objects.prefetch_related("books").iterator(chunk_size=2000)' in text


def test_iterator_with_a_chunk_size_keeps_it(tmp_path):
    views = (
        "from .models import Author\n\n\n"
        "def counts():\n"
        "    for author in Author.objects.iterator(chunk_size=50):\n"
        "        print(author.books.count())\n"
    )
    _, text = _fixed(tmp_path, views, "DJR102")
    assert 'Author.objects.prefetch_related("books").iterator(chunk_size=50)' in text


def test_no_select_related_narrowing_of_a_bare_select_related(tmp_path):
    views = (
        "from .models import Book\n\n\n"
        "def editors():\n"
        "    for book in Book.objects.select_related():\n"
        "        print(book.editor.name)\n"
    )
    findings, text = _fixed(tmp_path, views, "DJR101")
    assert len(findings) == 1
    assert findings[0].fix is None
    assert text == views


def test_a_shared_fix_that_leaves_out_a_findings_own_path_is_not_offered_for_it(tmp_path):
    # The bare select_related() keeps editor out of the fix; the fix still
    # prefetches books, which cures the count but not the editor read.
    views = (
        "from .models import Book\n\n\n"
        "def editors():\n"
        "    for book in Book.objects.select_related():\n"
        "        print(book.editor.name, book.author.books.count())\n"
    )
    project_findings, _ = _fixed(tmp_path, views, "DJR101")
    assert [f.fix for f in project_findings] == [None]


def test_no_prefetch_fix_for_a_loop_over_iterator_made_after_the_origin(tmp_path):
    # Django 5 raises ValueError for prefetch_related() with iterator() and no chunk_size.
    views = (
        "from .models import Author\n\n\n"
        "def counts():\n"
        "    authors = Author.objects.filter(name='x')\n"
        "    for author in authors.iterator():\n"
        "        print(author.books.count())\n"
    )
    findings, text = _fixed(tmp_path, views, "DJR102")
    assert len(findings) == 1
    assert findings[0].fix is None
    assert text == views
