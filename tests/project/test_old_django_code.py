"""Code written for Python 2 and Django 1.x: its models, views and templates still count."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import make_repo, run_tree, write_tree

from djreview.source.python2 import parse_python2

MODELS = """\
from django.db import models


class Queue(models.Model):
    title = models.CharField(max_length=100)
    permissions = models.IntegerField(default=0644)

    def __unicode__(self):
        return u"%s" % self.title


class Ticket(models.Model):
    title = models.CharField(max_length=100)
    queue = models.ForeignKey(Queue)

    def moved(self, other):
        if self.queue <> other:
            print "moved", self.pk
        return True
"""

VIEWS = """\
from django.contrib.auth.decorators import login_required
from django.shortcuts import render_to_response
from django.template import RequestContext

from desk.models import Ticket


def dashboard(request):
    tickets = Ticket.objects.filter(title__startswith="a")
    try:
        pass
    except ValueError, exc:
        raise RuntimeError, "no"
    return render_to_response(
        "desk/dashboard.html", RequestContext(request, {"tickets": tickets})
    )
dashboard = login_required(dashboard)
"""

TEMPLATE = """\
{% for ticket in tickets %}
  <p>{{ ticket.title }} in {{ ticket.queue }}</p>
{% endfor %}
"""


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "desk")
    return write_tree(
        root,
        {
            "desk/__init__.py": "",
            "desk/models.py": MODELS,
            "desk/views.py": VIEWS,
            "desk/templates/desk/dashboard.html": TEMPLATE,
        },
    )


def test_python2_view_and_model_give_the_template_finding(desk: Path) -> None:
    result = run_tree(desk, select=("DJR110",))
    found = {(f.rule_id, f.location.path, f.location.start_line) for f in result.findings}
    assert found == {("DJR110", "desk/templates/desk/dashboard.html", 2)}
    [finding] = result.findings
    # The cure names the queryset in the Python 2 view.
    assert "views.py:9" in finding.message


def test_each_python2_file_is_reported_with_its_rewritten_lines(desk: Path) -> None:
    notes = {n.path: n.message for n in run_tree(desk, select=("DJR110",)).notifications}
    assert notes["desk/models.py"] == "read as Python 2 (3 lines rewritten)"
    assert notes["desk/views.py"] == "read as Python 2 (2 lines rewritten)"


def test_rewrites_keep_every_line_number() -> None:
    source = "x = 1\nif x <> 2:\n    print 'a', x,\n\nlater = 0755\n"
    parsed = parse_python2(source, "old.py")
    assert parsed is not None
    tree, rewritten = parsed
    assert rewritten == 3
    later = next(n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "later")
    assert later.lineno == 5
    value = next(n for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value == 0o755)
    assert value.lineno == 5


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("print x, y,", "print(x, y, end=' ')"),
        ("print", None),  # already Python 3
        ("print >>sys.stderr, 'x'", None),  # Python 3 reads a tuple: no rewrite needed
        ("exec code in ns", "exec(code, ns)"),
        ("n = 10L", "n = 10"),
        ("s = `n`", "s = repr(n)"),
    ],
)
def test_statement_forms(line: str, expected: str | None) -> None:
    parsed = parse_python2(f"import sys\n{line}\n", "old.py")
    if expected is None:
        assert parsed is not None and parsed[1] == 0
        return
    assert parsed is not None
    tree, _ = parsed
    assert ast.unparse(tree.body[1]) == ast.unparse(ast.parse(expected).body[0])


def test_code_no_rewrite_mends_is_left_to_the_syntax_error_note() -> None:
    assert parse_python2("def broken(:\n    pass\n", "bad.py") is None
