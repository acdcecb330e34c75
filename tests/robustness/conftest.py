"""Trees shared by the robustness tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import LIBRARY_MODELS as MODELS
from helpers import make_repo

VIEWS = """from django.shortcuts import get_object_or_404, render

from .models import Book


def detail(request, isbn):
    book = get_object_or_404(Book, isbn=isbn)
    return render(request, "library/detail.html", {"book": book})


def listing(request):
    names = [book.author.name for book in Book.objects.all()]
    return render(request, "library/list.html", {"names": names})
"""


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A small app with fixable findings (a missing select_related, a missing index)."""
    repo = make_repo(tmp_path / "library_project")
    app = repo / "library"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(MODELS)
    (app / "views.py").write_text(VIEWS)
    return repo
