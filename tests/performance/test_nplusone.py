"""N+1 findings: messages, related locations, fixes, and cases the samples cannot express."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import copy_sample, run_tree

from djreview.engine.registry import rules_dir

SAMPLES = rules_dir() / "performance"


def _findings(tmp_path: Path, sample: str, rule: str):
    tree = copy_sample(SAMPLES / sample, tmp_path / "project")
    return tree, [f for f in run_tree(tree, select=(rule,)).findings if f.rule_id == rule]


def test_message_names_the_relation_the_cure_and_the_origin(tmp_path):
    _, findings = _findings(tmp_path, "related-access-in-loop", "DJR101")
    messages = {f.message for f in findings}
    assert (
        'book.author is loaded once per row; add select_related("author") '
        "to the queryset at views.py:11"
    ) in messages
    nested = next(f for f in findings if "profile" in f.message)
    assert 'select_related("author__profile")' in nested.message


def test_related_locations_are_the_loop_and_the_queryset_origin(tmp_path):
    _, findings = _findings(tmp_path, "related-access-in-loop", "DJR101")
    finding = next(f for f in findings if f.location.start_line == 14)
    kinds = {r.message: r.location.start_line for r in finding.related}
    assert kinds["the loop that runs it once per row"] == 12
    assert kinds["the queryset it iterates"] == 11


def test_a_property_names_the_line_that_queries(tmp_path):
    _, findings = _findings(tmp_path, "related-access-in-loop", "DJR101")
    finding = next(f for f in findings if "byline" in f.message)
    assert "Book.byline reads self.author at models.py:" in finding.message
    assert any(r.message == "the line that queries" for r in finding.related)


def test_dynamic_get_queryset_in_a_base_viewset_stays_silent(tmp_path):
    _, findings = _findings(tmp_path, "serializer-related-access", "DJR120")
    assert findings
    assert all("PostFeed" not in f.message for f in findings)
    assert all("PostDetail" not in f.message for f in findings)


def test_fixes_are_safe_insertions_at_the_origin(tmp_path):
    _, findings = _findings(tmp_path, "related-access-in-loop", "DJR101")
    fix = next(f for f in findings if f.location.start_line == 14).fix
    assert fix is not None and fix.applicability == "safe"
    (edit,) = fix.edits
    assert edit.replacement == '.select_related("author")'
    assert edit.location.start_line == 11


def test_djreview_fix_rewrites_the_origin_and_the_rule_falls_silent(tmp_path):
    tree = copy_sample(SAMPLES / "related-manager-in-loop", tmp_path / "project")
    before = [f for f in run_tree(tree, select=("DJR102",)).findings if f.fix is not None]
    assert before
    done = subprocess.run(
        [sys.executable, "-m", "djreview", "fix", str(tree), "--select", "DJR102"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = (tree / "app" / "views.py").read_text()
    assert 'Post.objects.all().prefetch_related("comments")' in text
    after = [f for f in run_tree(tree, select=("DJR102",)).findings if f.fix is not None]
    assert not after


def test_admin_fix_adds_list_select_related(tmp_path):
    _, findings = _findings(tmp_path, "admin-list-display-related-access", "DJR130")
    fix = next(f for f in findings if f.location.start_line == 13).fix
    assert fix is not None
    assert fix.edits[0].replacement == '\n    list_select_related = ["author"]'


def test_no_fix_when_select_related_would_conflict_with_only(tmp_path):
    project = tmp_path / "project"
    (project / "app").mkdir(parents=True)
    (project / "app" / "__init__.py").write_text("")
    (project / "app" / "models.py").write_text(
        "from django.db import models\n\n\n"
        "class Author(models.Model):\n    name = models.CharField(max_length=10)\n\n\n"
        "class Book(models.Model):\n"
        "    title = models.CharField(max_length=10)\n"
        "    author = models.ForeignKey(Author, on_delete=models.CASCADE)\n"
    )
    (project / "app" / "views.py").write_text(
        "from .models import Book\n\n\n"
        "def titles():\n"
        '    return [book.author.name for book in Book.objects.only("title")]\n'
    )
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    findings = list(run_tree(project, select=("DJR101",)).findings)
    assert len(findings) == 1
    assert findings[0].fix is None


_BRANCHES = """from .models import Book


def shelf(request, who):
    books = Book.objects.order_by("title")
    if who:
        books = books.select_related("author").filter(author__name=who)
    return [book.author.name for book in books]


def picked(request, fields):
    books = Book.objects.order_by("title")
    if "author" in fields:
        books = books.select_related("author")
    return [book.author.name for book in books]


def both(request, who):
    books = Book.objects.order_by("title").select_related("author")
    if who:
        books = books.select_related("author").filter(author__name=who)
    return [book.author.name for book in books]
"""


def test_a_select_added_only_with_a_branchs_filter_leaves_the_other_path_bare(tmp_path):
    tree = copy_sample(SAMPLES / "related-access-in-loop", tmp_path / "project")
    (tree / "app" / "branches.py").write_text(_BRANCHES)
    found = [
        f.location.start_line
        for f in run_tree(tree, select=("DJR101",)).findings
        if f.location.path == "app/branches.py"
    ]
    # shelf(): without `who` the rows come without the author.
    assert found == [8], found
    # picked() guards the select and the read by the same request (the read is
    # usually under the same condition): kept quiet; both() selects on every path.
