"""`--diff REF`: findings on changed lines only, the whole project still indexed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import make_repo
from integrations.gitrepo import git

from djreview.cli.main import main
from djreview.engine.changed_lines import ChangedLines, parse_diff
from djreview.model import Finding, Location, RelatedLocation, Severity

MODELS = """\
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)


class Post(models.Model):
    title = models.CharField(max_length=100)
    published = models.BooleanField(default=False)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
"""
REPORTS = """\
from blog.models import Post


def authors():
    posts = Post.objects.filter(published=True)
    names = []
    for post in posts:
        names.append(post.author.name)
    return names


def unrelated():
    return 1
"""
SAFE = "from django.utils.safestring import mark_safe\n\n\ndef banner(request):\n    return 1\n"


def djreview(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", ".", "--select", "DJR101,DJR311", *args])


def reported(*args: str) -> list[tuple[str, str, int]]:
    out = djreview("--format", "json", *args)
    assert out.exit_code in (0, 1), out.output
    return [
        (f["rule_id"], f["location"]["path"], f["location"]["start_line"])
        for f in json.loads(out.stdout)["findings"]
    ]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = make_repo(tmp_path / "repo")
    (repo / "blog").mkdir()
    (repo / "blog" / "__init__.py").write_text("")
    (repo / "blog" / "models.py").write_text(MODELS)
    (repo / "blog" / "reports.py").write_text(REPORTS)
    (repo / "blog" / "views.py").write_text(SAFE)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    monkeypatch.chdir(repo)
    return repo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_without_changes_nothing_is_reported(repo: Path) -> None:
    assert reported() == [("DJR101", "blog/reports.py", 8)]
    out = djreview("--diff", "HEAD")
    assert out.exit_code == 0, out.output
    assert "Found 0 findings" in out.stdout


def test_new_finding_on_a_changed_line_is_reported(repo: Path) -> None:
    edit(repo / "blog" / "views.py", "return 1", "return mark_safe(request.GET['b'])")
    assert reported("--diff", "HEAD") == [("DJR311", "blog/views.py", 5)]
    assert djreview("--diff", "HEAD").exit_code == 1


def test_the_whole_project_is_still_indexed(repo: Path) -> None:
    # The N+1 needs the model from models.py, which the change does not touch.
    edit(
        repo / "blog" / "reports.py",
        "names.append(post.author.name)",
        "names.append(post.author.name + '!')",
    )
    assert reported("--diff", "HEAD") == [("DJR101", "blog/reports.py", 8)]
    summary = json.loads(djreview("--format", "json", "--diff", "HEAD").stdout)["summary"]
    assert summary["files_scanned"] == 4


def test_changed_queryset_reports_the_unchanged_loop(repo: Path) -> None:
    # The chain case: only the queryset line changed; the finding sits on the
    # loop body and names the queryset as a related location, so it is kept.
    edit(repo / "blog" / "reports.py", "published=True", "published=False")
    assert reported("--diff", "HEAD") == [("DJR101", "blog/reports.py", 8)]


def test_change_outside_the_chain_reports_nothing(repo: Path) -> None:
    edit(repo / "blog" / "reports.py", "return 1", "return 2")
    assert reported("--diff", "HEAD") == []


def test_untracked_files_count_as_changed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    (repo / "blog" / "extra.py").write_text(
        SAFE.replace("return 1", "return mark_safe(request.GET['x'])")
    )
    assert reported("--diff", "HEAD") == [("DJR311", "blog/extra.py", 5)]
    # In a pre-commit hook an untracked file is not part of the commit.
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert reported("--diff", "HEAD") == []


def test_diff_against_an_earlier_commit_includes_committed_changes(repo: Path) -> None:
    edit(repo / "blog" / "views.py", "return 1", "return mark_safe(request.GET['b'])")
    git(repo, "commit", "-q", "-am", "more")
    assert reported("--diff", "HEAD") == []
    assert reported("--diff", "HEAD~1") == [("DJR311", "blog/views.py", 5)]


@pytest.mark.parametrize("ref", ["no-such-ref", "--output=x"])
def test_a_bad_ref_is_a_usage_error(repo: Path, ref: str) -> None:
    out = djreview(f"--diff={ref}")
    assert out.exit_code == 2
    assert "--diff" in out.stderr


def test_parse_diff_reads_hunks_deletions_and_quoted_paths() -> None:
    text = (
        "diff --git a.py a.py\n--- a.py\n+++ a.py\n"
        "@@ -3 +3 @@\n-x\n+y\n"
        "@@ -10,0 +11,2 @@\n+a\n+b\n"
        "@@ -20,2 +21,0 @@\n-c\n-d\n"
        "diff --git gone.py gone.py\n--- gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\n"
        '+++ "sp\\303\\251cial\\tname.py"\n@@ -0,0 +1 @@\n+q\n'
    )
    assert parse_diff(text) == {
        "a.py": [range(3, 4), range(11, 13), range(21, 23)],
        "spécial\tname.py": [range(1, 2)],
    }


def finding(line: int, *related: int) -> Finding:
    return Finding(
        "DJR101",
        "related-access-in-loop",
        "m",
        Severity.WARNING,
        Location("v.py", line),
        related=tuple(RelatedLocation(Location("v.py", r, 1, r + 2, 1), "r") for r in related),
    )


def test_a_related_location_range_on_a_changed_line_keeps_the_finding() -> None:
    changed = ChangedLines({"v.py": (range(6, 7),)})
    assert changed.keeps(finding(6))
    assert changed.keeps(finding(20, 4))  # related spans lines 4-6
    assert not changed.keeps(finding(20, 1))
    assert not ChangedLines({"other.py": (range(1, 100),)}).keeps(finding(6))


def test_head_before_the_first_commit_means_everything_is_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "fresh")
    monkeypatch.chdir(repo)
    (repo / "views.py").write_text(SAFE.replace("return 1", "return mark_safe(request.GET['b'])"))
    git(repo, "add", "views.py")
    assert reported("--diff", "HEAD") == [("DJR311", "views.py", 5)]
