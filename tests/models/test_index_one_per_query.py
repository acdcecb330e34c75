"""One query that needs several indexes is one DJR201 finding, naming each."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree

MODELS = """from django.db import models


class Book(models.Model):
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
"""


def _project(tmp_path: Path, views: str) -> Path:
    root = make_repo(tmp_path / "project")
    files = {
        "library/__init__.py": "",
        "library/models.py": MODELS,
        "library/views.py": "from django.db.models import Q\n\nfrom .models import Book\n\n\n"
        + views
        + "\n\ndef add(request):\n    Book.objects.create(code='x', title='y')\n",
        "library/migrations/__init__.py": "",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_the_branches_of_one_or_query_are_one_finding(tmp_path: Path) -> None:
    views = "def find(request, v):\n    return Book.objects.filter(Q(code=v) | Q(title=v))\n"
    findings = run_tree(_project(tmp_path, views), select=("DJR201",)).findings
    assert len(findings) == 1
    (finding,) = findings
    # At the lead need's field; the query is the first related location.
    assert finding.location.path.endswith("library/models.py")
    first = finding.related[0].location
    assert (first.path.endswith("library/views.py"), first.start_line) == (True, 7)
    props = dict(finding.properties)
    assert {props["fields"], props["also"]} == {"code", "title"}
    assert "the same query also reads Book." in finding.message


def test_two_queries_on_two_lines_stay_two_findings(tmp_path: Path) -> None:
    views = (
        "def by_code(request, v):\n    return Book.objects.filter(code=v)\n\n\n"
        "def by_title(request, v):\n    return Book.objects.filter(title=v)\n"
    )
    findings = run_tree(_project(tmp_path, views), select=("DJR201",)).findings
    assert sorted(dict(f.properties)["fields"] for f in findings) == ["code", "title"]
    assert all("also" not in dict(f.properties) for f in findings)


def test_a_column_every_or_branch_ranges_over_leads_the_finding(tmp_path: Path) -> None:
    root = _project(tmp_path, "")
    (root / "library/models.py").write_text(
        MODELS + "    made = models.DateTimeField()\n    kind = models.CharField(max_length=20)\n"
    )
    (root / "library/tasks.py").write_text(
        "from django.db.models import Exists, OuterRef, Q\n\nfrom .models import Book\n\n\n"
        "def purge(t, v):\n"
        "    newer = Book.objects.filter(kind=OuterRef('kind'))\n"
        "    return Book.objects.filter(Q(Exists(newer)) | Q(code=v), made__lt=t).delete()\n"
    )
    findings = run_tree(root, select=("DJR201",)).findings
    (finding,) = [f for f in findings if f.related[0].location.start_line == 8]
    props = dict(finding.properties)
    # An index on `made` serves both branches; (code, made) only the second.
    assert (props["fields"], props["also"]) == ("made", "code,made")
