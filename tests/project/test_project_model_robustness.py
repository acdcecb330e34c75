"""The index never crashes a run, whatever valid Python a project holds."""

from __future__ import annotations

from pathlib import Path

import hypothesmith
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile


def _index_of(source: str, rel: str) -> ProjectModel:
    file = SourceFile(path=Path("/nonexistent") / rel, rel=rel, kind="python", text=source)
    init = SourceFile(
        path=Path("/nonexistent/app/__init__.py"), rel="app/__init__.py", kind="python", text=""
    )
    return ProjectModel([init, file])


def _touch_everything(index: ProjectModel) -> None:
    index.settings.get("DEBUG")
    _ = (index.migration_indexes, index.views, index.urls, index.serializers)
    _ = (index.api_views, index.admin, index.user_model)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    hypothesmith.from_grammar(),
    st.sampled_from(["app/models.py", "app/settings.py", "app/urls.py", "app/views.py"]),
)
def test_any_module_as_models_settings_urls_or_views(source, rel):
    _touch_everything(_index_of(source, rel))


def test_hostile_but_valid_model_code():
    source = """
from django.db import models
import django.db.models as dm
class A(A): pass
class B(models.Model, metaclass=type):
    x = models.ForeignKey(*args, **kwargs)
    y = dm.ManyToManyField(to=lambda: "B", related_name=f"{1}")
    z = models.CharField(choices=[*range(3)], max_length="10")
    class Meta:
        abstract = True
        ordering = sorted(["a"])
        indexes = [models.Index(*fields)]
        unique_together = ("a",)
class C(B):
    x = None
    objects = models.Manager.from_queryset(1)()
"""
    index = _index_of(source, "app/models.py")
    _touch_everything(index)
    assert index.model("app.C").fields.get("x") is None  # removed by `x = None`
    assert index.model("app.B").fields["x"].target is None  # unknown stays unknown
    assert index.model("app.B").meta.dynamic == ("ordering",)
