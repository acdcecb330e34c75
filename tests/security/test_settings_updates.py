"""Settings updated in place (`+=`, `X = X + e`, `.append`) keep what made the old value
conditional: DJR408 and DJR404 judge the value a deployment runs with by default."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_repo, run_tree, write_tree

BASE = """\
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = os.environ.get("DEBUG") == "1"
INSTALLED_APPS = ["django.contrib.auth"]
if DEBUG:
    INSTALLED_APPS += ["debug_toolbar"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
]
"""


MANAGE = 'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.heroku")\n'


def _findings(tmp_path: Path, leaf: str, rule: str) -> list[tuple[str, int]]:
    files = {
        "manage.py": MANAGE,
        "conf/__init__.py": "",
        "conf/base.py": BASE,
        "conf/heroku.py": "from .base import *\n\n" + leaf,
    }
    result = run_tree(write_tree(make_repo(tmp_path), files), select=(rule,))
    return [(f.location.path, f.location.start_line) for f in result.findings if f.rule_id == rule]


@pytest.mark.parametrize(
    "update",
    [
        'INSTALLED_APPS += ["whitenoise"]\n',
        'INSTALLED_APPS = INSTALLED_APPS + ["whitenoise"]\n',
        'INSTALLED_APPS = ["whitenoise"] + INSTALLED_APPS\n',
        'INSTALLED_APPS.append("whitenoise")\n',
        'INSTALLED_APPS.extend(["whitenoise"])\n',
    ],
)
def test_update_after_a_debug_only_toolbar_keeps_it_debug_only(tmp_path: Path, update) -> None:
    assert _findings(tmp_path, update, "DJR408") == []


def test_toolbar_added_by_the_unconditional_update_is_reported(tmp_path: Path) -> None:
    leaf = 'INSTALLED_APPS.append("debug_toolbar")\n'
    assert _findings(tmp_path, leaf, "DJR408") == [("conf/heroku.py", 3)]


def test_missing_middleware_reported_at_the_list_not_at_the_update(tmp_path: Path) -> None:
    leaf = 'MIDDLEWARE.append("whitenoise.middleware.WhiteNoiseMiddleware")\n'
    assert _findings(tmp_path, leaf, "DJR404") == [("conf/base.py", 8)]


def test_removal_is_reported_where_it_removes(tmp_path: Path) -> None:
    leaf = (
        'MIDDLEWARE = MIDDLEWARE + ["django.middleware.csrf.CsrfViewMiddleware"]\n'
        'MIDDLEWARE.remove("django.middleware.csrf.CsrfViewMiddleware")\n'
    )
    found = _findings(tmp_path, leaf, "DJR404")
    assert found == [("conf/heroku.py", 4)]
