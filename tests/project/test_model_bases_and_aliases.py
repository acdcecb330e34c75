"""Models on third-party bases, and relation targets named through module-level aliases."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, write_tree

from djreview.config import Config
from djreview.engine.runner import load_project
from djreview.project.project_model import ProjectModel

INIT = {"app/__init__.py": "", "accounts/__init__.py": ""}


def _index(tmp_path: Path, files: dict[str, str]) -> ProjectModel:
    root = write_tree(make_repo(tmp_path / "project"), {**INIT, **files})
    return load_project([root], Config()).analysis(ProjectModel)


def test_a_django_ordered_model_subclass_is_a_model_and_a_target(tmp_path):
    index = _index(
        tmp_path,
        {
            "app/models.py": """
from django.db import models
from ordered_model.models import OrderedModel, OrderedModelBase


class Package(OrderedModel):
    name = models.CharField(max_length=50)


class Step(OrderedModelBase):
    position = models.PositiveIntegerField()


class Sponsorship(models.Model):
    package = models.ForeignKey(Package, null=True, on_delete=models.SET_NULL)
""",
        },
    )
    assert index.model("app.Package") is not None
    assert index.model("app.Step") is not None
    assert index.model("app.Sponsorship").fields["package"].target == "app.Package"
    assert "sponsorship_set" in index.model("app.Package").reverse


def test_a_django_parler_translatable_model_is_a_model_and_its_mixin_is_not(tmp_path):
    index = _index(
        tmp_path,
        {
            "app/models.py": """
from django.db import models
from parler.models import TranslatableModel, TranslatableModelMixin, TranslatedFieldsModel


class Product(TranslatableModel):
    sku = models.CharField(max_length=20)


class ProductTranslation(TranslatedFieldsModel):
    master = models.ForeignKey(Product, related_name="texts", on_delete=models.CASCADE)


class Labels(TranslatableModelMixin):
    pass


class ShopProduct(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
""",
        },
    )
    assert index.model("app.ShopProduct").fields["product"].target == "app.Product"
    assert index.model("app.ProductTranslation").fields["master"].target == "app.Product"
    assert index.model("app.Labels") is None


def test_a_foreign_key_to_an_imported_user_alias_targets_the_user_model(tmp_path):
    index = _index(
        tmp_path,
        {
            "accounts/shortcuts.py": (
                "from django.contrib.auth import get_user_model\n\nUser = get_user_model()\n"
            ),
            "app/models.py": """
from django.contrib.auth import get_user_model
from django.db import models

from accounts.shortcuts import User

Owner = User


class Record(models.Model):
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL)
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="owned")
    reviewer = models.ForeignKey(get_user_model(), on_delete=models.CASCADE, related_name="+")
""",
        },
    )
    fields = index.model("app.Record").fields
    assert fields["user"].target == "auth.User"
    assert fields["owner"].target == "auth.User"
    assert fields["reviewer"].target == "auth.User"
    assert "record_set" in index.model("auth.User").reverse


def test_a_module_level_alias_of_a_project_model_is_followed_and_a_loop_is_not(tmp_path):
    index = _index(
        tmp_path,
        {
            "app/models.py": """
from django.db import models


class Profile(models.Model):
    name = models.CharField(max_length=50)


Person = Profile
Loop = Loop


class Card(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    other = models.ForeignKey(Loop, on_delete=models.CASCADE, related_name="+")
""",
        },
    )
    fields = index.model("app.Card").fields
    assert fields["person"].target == "app.Profile"
    assert fields["other"].target is None
