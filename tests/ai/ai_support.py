"""Helpers and fixtures shared by the AI tests: the local endpoint, a small shop, an AI run."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_endpoint import FakeEndpoint
from helpers import make_repo, run_tree

from djreview.ai.run import AIOutcome, review_run
from djreview.ai.settings import AISettings
from djreview.engine.runner import RunResult

MODELS = """\
from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=100)
    api_token = models.CharField(max_length=64)


class Product(models.Model):
    name = models.CharField(max_length=100)
    description = models.TextField()
"""

VIEWS = """\
from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from shop.models import Customer, Product

SECRET_KEY = "django-insecure-q8#v2!xk9@l0p3z7w5m1n4b6c"
DATABASE_URL = "postgres://shop:hunter2pass@db.internal:5432/shop"
STRIPE_KEY = "sk-live4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"


def product_badge(request, pk):
    product = Product.objects.get(pk=pk)
    html = mark_safe(f"<b>{product.name}</b>")
    return HttpResponse(html)


def customer_report(request):
    lines = []
    for customer in Customer.objects.all():
        lines.append(customer.name)
    return HttpResponse("\\n".join(lines))
"""

GOOD_PATCH = {
    "verdict": "true_positive",
    "confidence": 0.9,
    "reason": "product.name is user-editable data marked safe",
    "explanation": "`mark_safe` turns off escaping; `format_html` escapes `product.name`.",
    "fix": {
        "description": "Build the markup with format_html()",
        "edits": [
            {
                "path": "shop/views.py",
                "snippet": '    html = mark_safe(f"<b>{product.name}</b>")',
                "replacement": '    html = format_html("<b>{}</b>", product.name)',
            }
        ],
    },
}


def reply(**changes: object) -> dict[str, object]:
    """GOOD_PATCH with some keys changed."""
    return {**GOOD_PATCH, **changes}


def patch(*edits: tuple[str, str, str], description: str = "patch") -> dict[str, object]:
    """A reply whose fix is the given (path, snippet, replacement) edits."""
    return reply(
        fix={
            "description": description,
            "edits": [{"path": p, "snippet": s, "replacement": r} for p, s, r in edits],
        }
    )


@pytest.fixture
def endpoint() -> Iterator[FakeEndpoint]:
    server = FakeEndpoint().start()
    yield server
    server.stop()


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative path -> text) under a new git repository `root`."""
    make_repo(root)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A two-file shop project with one DJR301 finding in product_badge."""
    return write_tree(
        tmp_path / "shop_project",
        {"shop/__init__.py": "", "shop/models.py": MODELS, "shop/views.py": VIEWS},
    )


@pytest.fixture
def settings(endpoint: FakeEndpoint, tmp_path: Path) -> AISettings:
    """Settings pointing at the local endpoint, fast timeouts, a fresh cache."""
    return AISettings(
        enabled=True,
        model="test-model",
        base_url=endpoint.url,
        api_key="test-key",
        timeout=2.0,
        max_retries=1,
        cache_dir=tmp_path / "cache",
        prices={"test-model": (1.0, 2.0)},
    )


# mark_safe on data (DJR301, audit-level; DJR311 when the data is the request's), and
# format_html on a pre-formatted string (a wrong fix for the first).
RULES = ("DJR301", "DJR311", "DJR312")


def analyse_and_review(path: Path, settings: AISettings) -> tuple[RunResult, AIOutcome]:
    """Analyse `path`, then run the AI step on every finding."""
    result = run_tree(path, select=RULES)
    return result, review_run(result, settings, result.findings)
