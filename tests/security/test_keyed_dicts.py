"""A dict a helper in another module returns is followed key by key.

`helper(request)["pagination"]` carries only what the helper stored under
that key; the request data stored under another key still reaches its sinks.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from helpers import make_repo, run_tree

HELPERS = """
import json


def public_feed(request):
    labels = request.GET.get("labels", "")
    pagination = {"page": int(request.GET.get("page", 1))}
    pagination["count"] = 3
    params = json.loads(request.GET.get("filter", "{}"))
    return {"pagination": pagination, "query": {"labels": labels}, "exclude": params}


def counted(params):
    return f"<h2>{params['count']}</h2>"
"""
VIEWS = """
from django.http import HttpResponse

from .helpers import counted, public_feed
from .models import Item


def feed(request):
    data = public_feed(request)
    merged = {**data.get("pagination"), **data.get("query")}
    html = f"<p>{data['pagination']['page']}</p>" + counted(merged)
    return HttpResponse(html)


def labels(request):
    data = public_feed(request)
    return HttpResponse(f"<p>{data['query']['labels']}</p>")  # DJR311


def excluded(request):
    data = public_feed(request)
    return Item.objects.exclude(**data["exclude"])  # DJR605
"""
MODELS = """
from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=10)
"""


def test_helper_dicts_are_read_by_key(tmp_path: Path) -> None:
    app = make_repo(tmp_path / "project") / "app"
    app.mkdir()
    files = {"__init__.py": "", "helpers.py": HELPERS, "views.py": VIEWS, "models.py": MODELS}
    for name, text in files.items():
        (app / name).write_text(textwrap.dedent(text).lstrip())
    found = run_tree(app.parent, select=("DJR311", "DJR605")).findings
    views = textwrap.dedent(VIEWS).lstrip().splitlines()
    expected = {(line.rsplit("# ", 1)[1], n) for n, line in enumerate(views, 1) if "# DJR" in line}
    assert {(f.rule_id, f.location.start_line) for f in found} == expected


BRANCHES = """
from django.http import HttpResponse


def built(request, data):
    if request.GET.get("fresh"):
        data = {"page": 1}
    return HttpResponse(f"<p>{data['page']}</p>")  # DJR311


def kept(request):
    data = {"page": request.GET.get("page"), "size": 2}
    if request.GET.get("fresh"):
        data = {"size": 3}
    return HttpResponse(f"<p>{data['page']}</p>")  # DJR311


def replaced(request):
    data = {"page": 1}
    for key, value in request.GET.items():
        data[key] = value
    return HttpResponse(f"<p>{data['page']}</p>")  # DJR311
"""


def test_a_dict_is_read_by_key_only_when_every_path_built_it(tmp_path: Path) -> None:
    app = make_repo(tmp_path / "project") / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "views.py").write_text(textwrap.dedent(BRANCHES).lstrip())
    (app / "urls.py").write_text(
        "from django.urls import path\n\nfrom . import views\n\n"
        "urlpatterns = [path('b/<path:data>/', views.built), path('k/', views.kept),"
        " path('r/', views.replaced)]\n"
    )
    found = run_tree(app.parent, select=("DJR311",)).findings
    lines = textwrap.dedent(BRANCHES).lstrip().splitlines()
    assert sorted(f.location.start_line for f in found) == [
        n for n, line in enumerate(lines, 1) if line.endswith("# DJR311")
    ]
