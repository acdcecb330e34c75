"""Project helpers that keep a path inside a folder, in another module: DJR316 trusts what
they checked, and only that (their twins normalise without testing, or drop the verdict)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from helpers import make_repo, run_tree

SECURITY = """
import os

from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join


def path_traversal_check(unsafe_path, known_safe_path):
    known_safe_path = os.path.abspath(known_safe_path)
    unsafe_path = os.path.abspath(unsafe_path)
    if os.path.commonprefix([known_safe_path, unsafe_path]) != known_safe_path:
        raise SuspiciousFileOperation(unsafe_path)
    return unsafe_path


def normalised(unsafe_path, known_safe_path):
    return os.path.abspath(unsafe_path)


def is_valid_path(root, path):
    try:
        safe_join(root, path)
        return True
    except SuspiciousFileOperation:
        return False


def listing(root, pwd):
    return os.listdir(os.path.join(root, pwd))
"""
VIEWS = """
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.http import Http404

from .security import is_valid_path, listing, normalised, path_traversal_check

ROOT = settings.MEDIA_ROOT


def remove(request):
    wanted = os.path.join(ROOT, request.GET["file"])
    try:
        wanted = path_traversal_check(wanted, ROOT)
    except SuspiciousFileOperation:
        raise Http404
    os.remove(wanted)


def remove_normalised(request):
    os.remove(normalised(os.path.join(ROOT, request.GET["file"]), ROOT))  # reported


def browse(request):
    folder = request.GET["dir"]
    if not is_valid_path(ROOT, folder):
        raise PermissionDenied
    return listing(ROOT, folder)


def browse_unchecked(request):
    folder = request.GET["dir"]
    is_valid_path(ROOT, folder)
    return listing(ROOT, folder)


def delete(request):
    folder, chosen = request.GET["dir"], request.GET["file"]
    if not is_valid_path(ROOT, folder) or not is_valid_path(ROOT, os.path.join(folder, chosen)):
        raise PermissionDenied
    os.remove(os.path.join(ROOT, folder, chosen))
"""


def _findings(tmp_path: Path) -> list[tuple[str, int]]:
    root = make_repo(tmp_path / "project")
    app = root / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "security.py").write_text(textwrap.dedent(SECURITY).lstrip())
    (app / "views.py").write_text(textwrap.dedent(VIEWS).lstrip())
    result = run_tree(root, select=("DJR316",))
    return sorted(
        (f.location.path, f.location.start_line) for f in result.findings if f.rule_id == "DJR316"
    )


def test_only_paths_a_helper_kept_inside_the_folder_are_trusted(tmp_path: Path) -> None:
    views = textwrap.dedent(VIEWS).lstrip().splitlines()
    reported = next(n for n, line in enumerate(views, 1) if line.endswith("# reported"))
    helpers = textwrap.dedent(SECURITY).lstrip().splitlines()
    listed = next(n for n, line in enumerate(helpers, 1) if "os.listdir(" in line)
    # The raising check's result, and the verdict's parts in both of its callers' uses, are
    # safe; the normalised-only path is not; the dropped verdict leaves `listing()` reached.
    assert _findings(tmp_path) == [("app/security.py", listed), ("app/views.py", reported)]
