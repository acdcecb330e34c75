"""A request value that has just matched a stored slug, UUID or number holds no markup (DJR311).

`get_object_or_404(Survey, slug__exact=slug)` raises unless a row holds that
slug, so the response that echoes `slug` afterwards echoes a stored slug. Each
twin changes one thing: the field, the order, a rebinding, a branch.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import make_repo, run_tree, write_tree

MODELS = """
from django.db import models


class Survey(models.Model):
    slug = models.SlugField(unique=True)
    key = models.UUIDField()
    title = models.CharField(max_length=100)
"""
VIEW = """
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404

from .models import Survey


def missing(request, value):
{body}
"""
URLS = """
from django.urls import path

from . import views

urlpatterns = [path("s/<value>/", views.missing, name="missing")]
"""
ECHO = '    return HttpResponseNotFound("<p>No file for %s</p>" % value)'


def _reported(tmp_path: Path, body: str) -> bool:
    root = make_repo(tmp_path / "project")
    files = {
        "app/__init__.py": "",
        "app/models.py": MODELS,
        "app/urls.py": URLS,
        "app/views.py": VIEW.format(body=textwrap.indent(textwrap.dedent(body).strip(), "    ")),
    }
    write_tree(root, {rel: textwrap.dedent(text).lstrip() for rel, text in files.items()})
    result = run_tree(root, select=("DJR311",))
    return any(f.location.path == "app/views.py" for f in result.findings)


@pytest.mark.parametrize(
    "lookup",
    [
        "get_object_or_404(Survey, slug__exact=value)",
        "survey = get_object_or_404(Survey.objects.all(), slug=value)",
        "Survey.objects.get(key=value)",
        "Survey.objects.filter(title='x').get(pk=value)",
    ],
)
def test_value_matched_on_a_markup_free_field_is_not_reported(lookup: str, tmp_path: Path) -> None:
    assert not _reported(tmp_path, f"{lookup}\n{ECHO.strip()}")


@pytest.mark.parametrize(
    "body",
    [
        # A free-text field holds markup.
        f"get_object_or_404(Survey, title__exact=value)\n{ECHO.strip()}",
        # A lookup that need not match exactly.
        f"get_object_or_404(Survey, slug__icontains=value)\n{ECHO.strip()}",
        # The echo comes before the lookup.
        f"response = {ECHO.strip()[7:]}\nSurvey.objects.get(slug=value)\nreturn response",
        # The name is bound again after the lookup.
        f"Survey.objects.get(slug=value)\nvalue = request.GET['v']\n{ECHO.strip()}",
        # The lookup runs on one branch only.
        f"if request.user.is_staff:\n    Survey.objects.get(slug=value)\n{ECHO.strip()}",
        # filter() matches nothing without failing.
        f"Survey.objects.filter(slug=value)\n{ECHO.strip()}",
    ],
)
def test_value_not_proved_to_match_is_reported(body: str, tmp_path: Path) -> None:
    assert _reported(tmp_path, body)
