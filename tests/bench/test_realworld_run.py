"""bench/realworld/run.py on a real git history: a planted N+1, its fix, and skipped cases."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

RUN = Path(__file__).resolve().parents[2] / "bench" / "realworld" / "run.py"

MODELS = """\
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
"""

VIEW = """\
from django.http import HttpResponse

from app.models import Book


def titles(request):
    books = Book.objects.{queryset}
    names = []
    for book in books:
        names.append(book.author.name)
    return HttpResponse(", ".join(names))
"""


def _git(repo: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def _commit(repo: Path, queryset: str) -> str:
    (repo / "src" / "app" / "views.py").write_text(VIEW.format(queryset=queryset))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", queryset)
    return _git(repo, "rev-parse", "HEAD")


def _history(repo: Path) -> tuple[str, str]:
    """A project under src/ whose second commit adds the missing select_related."""
    app = repo / "src" / "app"
    app.mkdir(parents=True)
    (repo / "src" / "site").mkdir()
    (repo / "src" / "site" / "__init__.py").write_text("")
    (repo / "src" / "site" / "settings.py").write_text('INSTALLED_APPS = ["app"]\n')
    (repo / "src" / "manage.py").write_text("import os\n")
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(MODELS)
    (repo / "README").write_text("outside root\n")
    (repo / "src" / "clip.mp4").write_bytes(b"media the mirror does not hold")
    _git(repo, "init", "-q")
    commits = _commit(repo, "all()"), _commit(repo, 'select_related("author")')
    # Like the fetched mirrors: the largest blobs are absent, so `git archive` fails.
    blob = _git(repo, "rev-parse", "HEAD:src/clip.mp4")
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    return commits


def _case(case_id: str, repo: str, parent: str, fix: str) -> str:
    view = "src/app/views.py"
    sites = [
        {"path": view, "line": 7, "role": "queryset"},
        {"path": view, "line": 9, "role": "loop"},
        {"path": view, "line": 10, "role": "access"},
    ]
    return json.dumps(
        {
            "id": case_id,
            "repo": repo,
            "family": "nplusone",
            "kind": "loop",
            "fix": fix,
            "parent": parent,
            "root": "src",
            "description": "titles view reads each book's author",
            "parent_sites": sites,
            "fix_sites": sites,
            "model": "",
            "fields": [],
        }
    )


def test_hit_on_parent_clean_on_fix_and_skips_reported(tmp_path: Path) -> None:
    repo = tmp_path / "project"
    repo.mkdir()
    parent, fix = _history(repo)
    cases = tmp_path / "cases"
    (cases / "nplusone").mkdir(parents=True)
    lines = [
        _case("t-001", "acme/shop", parent, fix),
        _case("t-002", "acme/gone", parent, fix),  # no git dir given
        _case("t-003", "acme/shop", parent, "0" * 40),  # fix commit not in the history
    ]
    (cases / "nplusone" / "acme__shop.jsonl").write_text("\n".join(lines) + "\n")
    out = tmp_path / "results.json"
    work = tmp_path / "work"
    command = [sys.executable, str(RUN), "--cases", str(cases), "--work", str(work)]
    command += ["--git-dir", f"acme/shop={repo / '.git'}", "--json", str(out)]
    run = subprocess.run(command, capture_output=True, text=True, check=True)

    results = {r["id"]: r for r in json.loads(out.read_text())}
    assert results["t-001"]["status"] == "ok"
    assert results["t-001"]["hit_parent"] is True
    assert results["t-001"]["parent_rules"] == ["DJR101"]
    assert results["t-001"]["reported_on_fix"] is False
    assert results["t-002"]["status"] == "skipped"
    assert "no git dir for acme/gone" in run.stderr
    assert results["t-003"]["status"] == "skipped"
    assert "not in" in results["t-003"]["reason"]
    # Skipped cases are not misses: recall counts the one evaluated case.
    assert "1 cases evaluated, 2 skipped" in run.stdout
    assert "recall            1/1 = 1.00" in run.stdout
    # Only `root` is exported, once per commit.
    assert sorted(p.name for p in work.iterdir()) == sorted([f"{parent}-src", f"{fix}-src"])
    assert not (work / f"{parent}-src" / "README").exists()
    # The missing blob made the export fall back to the files djreview reads.
    assert "exporting source files only" in run.stderr
    assert (work / f"{parent}-src" / "src" / "app" / "views.py").is_file()
    assert not (work / f"{parent}-src" / "src" / "clip.mp4").exists()


def test_a_finding_judged_another_defect_is_not_a_false_positive_on_the_fix(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "project"
    repo.mkdir()
    parent, _ = _history(repo)
    # The "fix" still holds the defect: reported there, unless judged another one.
    judged = json.loads(_case("t-judged", "acme/shop", parent, parent))
    judged["fix_other"] = [
        {"rule": "DJR101", "path": "src/app/views.py", "line": 10, "why": "another defect"}
    ]
    elsewhere = dict(judged, id="t-elsewhere")
    elsewhere["fix_other"] = [{"rule": "DJR101", "path": "src/app/views.py", "line": 9, "why": ""}]
    plain = json.loads(_case("t-plain", "acme/shop", parent, parent))
    cases = tmp_path / "cases"
    (cases / "nplusone").mkdir(parents=True)
    lines = [json.dumps(c) for c in (judged, elsewhere, plain)]
    (cases / "nplusone" / "acme__shop.jsonl").write_text("\n".join(lines) + "\n")
    out = tmp_path / "results.json"
    command = [sys.executable, str(RUN), "--cases", str(cases), "--work", str(tmp_path / "w")]
    command += ["--git-dir", f"acme/shop={repo / '.git'}", "--json", str(out)]
    run = subprocess.run(command, capture_output=True, text=True, check=True)

    results = {r["id"]: r for r in json.loads(out.read_text())}
    assert results["t-judged"]["reported_on_fix"] is False
    assert results["t-judged"]["fix_other_only"] is True
    # Judged by its exact primary line: a listed line elsewhere excuses nothing.
    assert results["t-elsewhere"]["reported_on_fix"] is True
    assert results["t-plain"]["reported_on_fix"] is True
    assert "FP on fixed code  2/3 = 0.67" in run.stdout
    assert "another, still-present defect: 3/3 = 1.00" in run.stdout


def _run_module():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("realworld_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["realworld_run"] = module
    spec.loader.exec_module(module)
    return module


def _one_site_case(
    run: Any, site: Any, family: str, kind: str, model: str = "", fields: tuple[str, ...] = ()
) -> Any:
    """A case whose parent and fix sites are `site`."""
    return run.Case(
        "t-9",
        "acme/shop",
        family,
        kind,
        "f" * 40,
        "p" * 40,
        "",
        "",
        (site,),
        (site,),
        model,
        fields,
    )


def test_a_related_location_matches_but_not_in_the_strict_reading() -> None:
    run = _run_module()
    case = _one_site_case(run, run.Site("types.py", 21, "access"), "nplusone", "graphql")
    # Another resolver's finding (line 40) whose related resolver location is at line 23.
    neighbour = run.Found("DJR150", (run.Loc("types.py", 40), run.Loc("types.py", 23)), "", ())
    assert run.matches(case, case.fix_sites, neighbour)
    assert not run.matches(case, case.fix_sites, neighbour, primary_only=True)
    own = run.Found("DJR150", (run.Loc("types.py", 22),), "", ())
    assert run.matches(case, case.fix_sites, own, primary_only=True)


def test_an_index_finding_matches_only_the_fixed_index() -> None:
    run = _run_module()
    site = run.Site("forum/models.py", 80, "model_field")
    case = _one_site_case(run, site, "index", "composite", "Post", ("thread", "id"))

    def found(*fields: str) -> Any:
        return run.Found("DJR201", (run.Loc("forum/models.py", 19),), "forum.Post", fields)

    assert run.matches(case, case.parent_sites, found("thread", "id"))
    assert run.matches(case, case.parent_sites, found("thread"))
    # Another query's index led by the same key is not the fixed one.
    assert not run.matches(case, case.parent_sites, found("thread", "posted_on"))
    assert not run.matches(case, case.parent_sites, found("id"))
    one = dataclasses.replace(case, fields=("created",))
    assert run.matches(one, one.parent_sites, found("obj_type", "created"))
    assert not run.matches(one, one.parent_sites, found("obj_type"))
