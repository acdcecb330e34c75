"""DJR314 across modules: a Referer read in a helper, and `resolve()` as a redirect guard.

Each shape has a twin that must stay reported: a helper that mixes the
Referer with `?next=`, a `resolve()` whose failure keeps the URL, and a
project whose root URLconf resolves anything.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import make_repo, run_tree

REFERER_VIEW = """
from django.http import HttpResponseRedirect

from .utils import get_referer


def switch_language(request, language):
    return HttpResponseRedirect(get_referer(request, default="/"))


def switch_back(request):
    return HttpResponseRedirect(get_referer(request, default=request.GET.get("next")))
"""
REFERER_ONLY = """
def get_referer(request, default=None):
    return request.META.get("HTTP_REFERER", default)
"""
REFERER_OR_NEXT = """
def get_referer(request, default=None):
    return request.META.get("HTTP_REFERER") or request.GET.get("next", default)
"""


def _redirects(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int]]:
    root = make_repo(tmp_path / "project")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text).lstrip())
    result = run_tree(root, select=("DJR314",))
    return sorted((f.location.path, f.location.start_line) for f in result.findings)


def test_referer_read_in_a_helper_of_another_module_is_not_an_open_redirect(
    tmp_path: Path,
) -> None:
    found = _redirects(
        tmp_path,
        {"app/__init__.py": "", "app/views.py": REFERER_VIEW, "app/utils.py": REFERER_ONLY},
    )
    # Only the call that hands `?next=` to the helper as its default stays.
    assert found == [("app/views.py", 11)]


def test_helper_mixing_referer_and_next_is_still_reported(tmp_path: Path) -> None:
    found = _redirects(
        tmp_path,
        {"app/__init__.py": "", "app/views.py": REFERER_VIEW, "app/utils.py": REFERER_OR_NEXT},
    )
    assert found == [("app/views.py", 7), ("app/views.py", 11)]
