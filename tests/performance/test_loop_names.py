"""Loops whose model is named the way real code names it: imported inside the function,
on a third-party model base, behind a module-level alias of the user model."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree, write_tree

MODELS = """
from django.contrib.auth import get_user_model
from django.db import models
from ordered_model.models import OrderedModel
from parler.models import TranslatableModel

User = get_user_model()


class Author(models.Model):
    name = models.CharField(max_length=100)


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)


class Package(OrderedModel):
    name = models.CharField(max_length=50)


class Sponsorship(models.Model):
    package = models.ForeignKey(Package, null=True, on_delete=models.SET_NULL)


class Product(TranslatableModel):
    sku = models.CharField(max_length=20)


class ShopProduct(TranslatableModel):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)


class Record(models.Model):
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL)
"""


def _flagged(tmp_path: Path, code: str, extra: dict[str, str] | None = None) -> list[int]:
    files = {"app/__init__.py": "", "app/models.py": MODELS, "app/jobs.py": code, **(extra or {})}
    root = write_tree(make_repo(tmp_path / "project"), files)
    findings = run_tree(root, select=("DJR101",)).findings
    return sorted(f.location.start_line for f in findings if f.location.path.endswith("jobs.py"))


def test_a_model_imported_inside_the_function_is_followed(tmp_path):
    code = """
def report():
    from .models import Book

    for book in Book.objects.all():
        print(book.author.name)
"""
    assert _flagged(tmp_path, code) == [6]


def test_a_models_module_imported_inside_the_function_is_followed(tmp_path):
    code = """
def report():
    from app import models as app_models

    for book in app_models.Book.objects.all():
        print(book.author.name)
"""
    assert _flagged(tmp_path, code) == [6]


def test_a_queryset_helper_imported_inside_the_function_is_followed(tmp_path):
    helpers = """
from .models import Book


def every_book():
    return Book.objects.order_by("title")
"""
    code = """
def report():
    from .queries import every_book

    for book in every_book():
        print(book.author.name)
"""
    assert _flagged(tmp_path, code, {"app/queries.py": helpers}) == [6]


def test_a_local_import_shadows_the_module_level_model(tmp_path):
    fakes = """
class Book:
    objects = []
"""
    code = """
from .models import Book


def report():
    from .fakes import Book

    for book in Book.objects.all():
        print(book.author.name)
"""
    assert _flagged(tmp_path, code, {"app/fakes.py": fakes}) == []


def test_an_import_in_a_nested_function_does_not_bind_in_the_outer_one(tmp_path):
    fakes = """
class Book:
    objects = []
"""
    code = """
from .models import Book


def report():
    def fake():
        from .fakes import Book

        return Book

    for book in Book.objects.all():
        print(book.author.name)
"""
    assert _flagged(tmp_path, code, {"app/fakes.py": fakes}) == [12]


def test_a_foreign_key_to_an_ordered_model_is_loaded_per_row(tmp_path):
    code = """
from .models import Sponsorship


def report():
    for sponsorship in Sponsorship.objects.all():
        print(sponsorship.package.name)
"""
    assert _flagged(tmp_path, code) == [7]


def test_rows_of_a_translatable_model_load_their_foreign_key_per_row(tmp_path):
    code = """
from .models import ShopProduct


def report():
    for shop_product in ShopProduct.objects.filter(product__sku="x"):
        print(shop_product.product.sku)
"""
    assert _flagged(tmp_path, code) == [7]


def test_a_foreign_key_to_the_aliased_user_model_is_loaded_per_row(tmp_path):
    code = """
from .models import Record


def report():
    for record in Record.objects.iterator():
        print(record.user.email)
    for record in Record.objects.select_related("user"):
        print(record.user.email)
"""
    assert _flagged(tmp_path, code) == [7]
