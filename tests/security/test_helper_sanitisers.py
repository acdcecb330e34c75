"""Project helpers recognised as sanitisers by what they return, in another module too.

A helper is a sanitiser when every `return` of it is escaped, validated or
built by the code: `format_html(...)`, `escape(...)`, a `reverse()` URL. Its
twin returns the raw value on one path and must still be reported.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import make_repo, run_tree

VIEWS_MARKUP = """
from django.utils.safestring import mark_safe

from .html import device_link


def cell(device):
    return mark_safe(device_link(device) + "<br>")
"""
HTML_SAFE = """
from django.utils.html import escape, format_html


def device_link(device):
    if device.pk is None:
        return escape(device.name)
    return format_html('<a href="/d/{}/">{}</a>', device.pk, device.name)
"""
HTML_RAW = """
from django.utils.html import format_html


def device_link(device):
    if device.pk is None:
        return device.name
    return format_html('<a href="/d/{}/">{}</a>', device.pk, device.name)
"""
VIEWS_REDIRECT = """
from django.shortcuts import redirect
from django.views import View

from .urls_helpers import next_url


class Delete(View):
    def post(self, request, pk):
        return redirect(next_url(request))
"""
NEXT_SAFE = """
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request):
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")
"""
NEXT_RAW = """
from django.urls import reverse


def next_url(request):
    if request.GET.get("next"):
        return request.GET["next"]
    return reverse("home")
"""
# case -> (rule, views.py, helper module name, safe helper, raw helper)
CASES = {
    "markup-helper-in-another-module": ("DJR301", VIEWS_MARKUP, "html", HTML_SAFE, HTML_RAW),
    "redirect-helper-in-another-module": (
        "DJR314",
        VIEWS_REDIRECT,
        "urls_helpers",
        NEXT_SAFE,
        NEXT_RAW,
    ),
}


def _run(tmp_path: Path, rule: str, views: str, module: str, helper: str) -> list[int]:
    root = make_repo(tmp_path / "project")
    app = root / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "views.py").write_text(textwrap.dedent(views).lstrip())
    (app / f"{module}.py").write_text(textwrap.dedent(helper).lstrip())
    result = run_tree(root, select=(rule,))
    return [f.location.start_line for f in result.findings if f.rule_id == rule]


@pytest.mark.parametrize("case", sorted(CASES))
def test_helper_that_sanitises_on_every_path_is_a_sanitiser(case: str, tmp_path: Path) -> None:
    rule, views, module, safe, _ = CASES[case]
    assert _run(tmp_path, rule, views, module, safe) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_helper_with_a_raw_path_is_not(case: str, tmp_path: Path) -> None:
    rule, views, module, _, raw = CASES[case]
    lines = _run(tmp_path, rule, views, module, raw)
    source = textwrap.dedent(views).lstrip().splitlines()
    assert len(lines) == 1, lines
    assert "redirect(" in source[lines[0] - 1] or "mark_safe(" in source[lines[0] - 1]


MODELS = """
from django.db import models


class Transfer(models.Model):
    status = models.CharField(max_length=20, choices=[("done", "Done"), ("failed", "Failed")])
    size = models.PositiveIntegerField()
    note = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=[("in", "In"), ("out", "Out")])

    def get_kind_display(self):
        return self.note
"""
ADMIN = """
from django.contrib import admin
from django.utils.safestring import mark_safe

from .models import Transfer


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    def summary(self, obj):
        html = "<ol>"
        html += f"<li>{obj.status}: <i>{obj.size}</i></li>"
        html = html + "</ol>"
        return mark_safe(html)

    def details(self, obj):
        return mark_safe(f"<li>{obj.status}: <i>{obj.note}</i></li>")  # free text

    def label(self, obj):
        return mark_safe(f"<b>{obj.get_status_display()}</b>")

    def size_label(self, obj):
        return mark_safe(f"<b>{obj.get_size_display()}</b>")  # free text

    def kind_label(self, obj):
        return mark_safe(f"<b>{obj.get_kind_display()}</b>")  # free text


def any_label(entry):
    return mark_safe(f"<b>{entry.get_status_display()}</b>")


def any_kind_label(entry):
    return mark_safe(f"<b>{entry.get_kind_display()}</b>")  # free text


def any_note_label(entry):
    return mark_safe(f"<b>{entry.get_note_display()}</b>")  # free text
"""


def test_model_fields_that_cannot_hold_markup_are_safe(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "project")
    app = root / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(textwrap.dedent(MODELS).lstrip())
    source = textwrap.dedent(ADMIN).lstrip()
    (app / "admin.py").write_text(source)
    result = run_tree(root, select=("DJR301",))
    lines = [f.location.start_line for f in result.findings if f.rule_id == "DJR301"]
    expected = [n for n, line in enumerate(source.splitlines(), 1) if line.endswith("# free text")]
    assert lines == expected


FILTERS = """
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def default_if_empty(value, default=""):
    return value if value else mark_safe(default)  # reported when a use is not a literal
"""


@pytest.mark.parametrize(
    ("use", "reported"),
    [
        ('{{ text|default_if_empty:"<i>empty</i>" }} {{ other|default_if_empty }}', False),
        ('{{ text|default_if_empty:"<i>empty</i>" }} {{ other|default_if_empty:user.bio }}', True),
    ],
)
def test_filter_argument_written_as_a_literal_in_every_template(
    use: str, reported: bool, tmp_path: Path
) -> None:
    root = make_repo(tmp_path / "project")
    tags = root / "app" / "templatetags"
    tags.mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (tags / "__init__.py").write_text("")
    (tags / "extras.py").write_text(textwrap.dedent(FILTERS).lstrip())
    (root / "app" / "templates").mkdir()
    (root / "app" / "templates" / "page.html").write_text("{% load extras %}" + use + "\n")
    result = run_tree(root, select=("DJR301",))
    assert bool([f for f in result.findings if f.rule_id == "DJR301"]) is reported
