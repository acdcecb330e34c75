"""DJR312: values a model field's type confines are no markup in a pre-formatted template.

A stored file's URL written inside a double-quoted attribute (storage URLs are
quoted by `filepath_to_uri()`, which leaves `'` but never `"`, `<` or `>`) and
a django-colorfield `ColorField` (a hex or rgb colour) are not reported; free
text, and the URL inside a single-quoted attribute, are.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from helpers import make_repo, run_tree

MODELS = """
from colorfield.fields import ColorField
from django.db import models


class Theme(models.Model):
    logo = models.ImageField(upload_to="logos/")
    header = ColorField(default="#3498db")
    title = models.CharField(max_length=100)
"""
ADMIN = """
from django.contrib import admin
from django.utils.html import format_html

from .models import Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    def preview(self, obj):
        logo_url = "/media/{}".format(obj.logo.url)
        return format_html(f'<img src="{logo_url}" style="background: {obj.header};">')

    def caption(self, obj):
        return format_html(f'<img src="{obj.logo.url}" alt="{obj.title}">')  # reported

    def single_quoted(self, obj):
        return format_html(f"<img src='{obj.logo.url}'>")  # reported

    def in_text(self, obj):
        return format_html(f"<p>{obj.logo.url}</p>")  # reported
"""


def test_file_urls_and_colours_are_no_markup(tmp_path: Path) -> None:
    app = make_repo(tmp_path / "project") / "app"
    app.mkdir()
    for name, text in {"__init__.py": "", "models.py": MODELS, "admin.py": ADMIN}.items():
        (app / name).write_text(textwrap.dedent(text).lstrip())
    found = run_tree(app.parent, select=("DJR312",)).findings
    admin_lines = textwrap.dedent(ADMIN).lstrip().splitlines()
    assert [f.location.start_line for f in found] == [
        n for n, line in enumerate(admin_lines, 1) if line.endswith("# reported")
    ]
    assert {f.location.path for f in found} == {"app/admin.py"}
