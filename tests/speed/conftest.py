"""Shared trees for the cache, parallelism and shard tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import LIBRARY_MODELS as MODELS
from helpers import make_repo

ROOT = Path(__file__).resolve().parents[2]


VIEWS = """from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from .models import Book


def detail(request, isbn):
    book = get_object_or_404(Book, isbn=isbn)
    return render(request, "library/detail.html", {"book": book})


def add(request):
    # Rows created from requests: the table grows, so its lookups are worth an index.
    Book.objects.create(isbn=request.POST["isbn"], author_id=request.POST["author"])
    return render(request, "library/detail.html", {})


def listing(request):
    names = [book.author.name for book in Book.objects.all()]
    return render(request, "library/list.html", {"names": mark_safe(request.GET["n"])})
"""


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A two-file app whose view findings depend on its models."""
    repo = make_repo(tmp_path / "library_project")
    app = repo / "library"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(MODELS)
    (app / "views.py").write_text(VIEWS)
    return repo


@pytest.fixture(params=["blog", "shop"])
def fixture_project(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A copy of a fixtures/ project in its own git repository."""
    repo = make_repo(tmp_path / request.param)
    shutil.copytree(ROOT / "fixtures" / request.param, repo, dirs_exist_ok=True)
    return repo
