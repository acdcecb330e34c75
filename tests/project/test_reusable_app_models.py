"""Reusable apps: models built on bases from packages that are not there, named through swapper."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_repo, run_tree, write_tree

from djreview.config import Config
from djreview.engine.runner import load_project
from djreview.project.project_model import ProjectModel

BASE = """\
from django import forms
from django.db import models
from outside_utils.base import FormMixin, Schema, TimeStampedEditable


class BaseModel(TimeStampedEditable):
    name = models.CharField(max_length=64)

    class Meta:
        abstract = True


class Payload(Schema):
    # pydantic-style: annotations, no Django field: not a model.
    name: str


class SearchForm(FormMixin, forms.Form):
    # forms fields on an outside base make no model either.
    q = forms.CharField()
"""

MODELS = """\
import swapper
from django.db import models

from net.base import BaseModel


class Group(BaseModel):
    pass


class Device(BaseModel):
    group = models.ForeignKey(swapper.get_model_name("net", "Group"), on_delete=models.CASCADE)
"""

TASKS = """\
from swapper import load_model

Device = load_model("net", "Device")


def group_names():
    return [device.group.name for device in Device.objects.all()]


def group_names_joined():
    return [device.group.name for device in Device.objects.select_related("group")]
"""


@pytest.fixture
def net(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "net")
    return write_tree(
        root,
        {
            "net/__init__.py": "",
            "net/base.py": BASE,
            "net/models.py": MODELS,
            "net/tasks.py": TASKS,
        },
    )


def test_a_class_declaring_django_fields_on_an_outside_base_is_a_model(net: Path) -> None:
    index = load_project([net], Config()).analysis(ProjectModel)
    device = index.model("net.Device")
    assert device is not None and not device.abstract
    assert {"name", "group"} <= set(device.fields)
    base = index.model_for_class("net.base.BaseModel")
    assert base is not None and base.abstract


def test_outside_bases_without_django_fields_make_no_model(net: Path) -> None:
    index = load_project([net], Config()).analysis(ProjectModel)
    assert index.model_for_class("net.base.Payload") is None
    assert index.model_for_class("net.base.SearchForm") is None


def test_swapper_get_model_name_names_the_relation_target(net: Path) -> None:
    index = load_project([net], Config()).analysis(ProjectModel)
    device = index.model("net.Device")
    assert device is not None
    assert device.fields["group"].target == "net.Group"


def test_load_model_alias_is_the_model_in_a_loop(net: Path) -> None:
    result = run_tree(net, select=("DJR101",))
    found = {(f.rule_id, f.location.path, f.location.start_line) for f in result.findings}
    # The plain loop reads the group per device; the select_related twin does not.
    assert found == {("DJR101", "net/tasks.py", 7)}
