"""Generate a synthetic Django project of a given size, for benchmarks and scale tests.

Written for djreview (no third-party code): apps with models related by
foreign keys and many-to-many fields, function and class-based views (some
with N+1 loops, some with select_related), DRF serializers, admin classes,
URLconfs, migrations and templates. The same arguments always produce the
same bytes.

    python bench/synthetic.py OUT --apps 40 --models 6
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

FIELD_KINDS = [
    ("models.CharField(max_length=120{extra})", "name"),
    ("models.SlugField(max_length=80{extra})", "slug"),
    ("models.IntegerField(default=0{extra})", "rank"),
    ("models.DateTimeField(auto_now_add=True{extra})", "created"),
    ("models.BooleanField(default=False{extra})", "active"),
    ("models.DecimalField(max_digits=10, decimal_places=2{extra})", "price"),
    ("models.TextField(blank=True{extra})", "notes"),
    ("models.EmailField(blank=True{extra})", "email"),
]


def _model(app: int, index: int, rng: random.Random) -> tuple[str, str, list[str]]:
    name = f"Item{app}x{index}"
    lines = [f"class {name}(models.Model):", f'    """Synthetic model {index} of app {app}."""', ""]
    fields = []
    for kind, base in rng.sample(FIELD_KINDS, k=rng.randint(3, 6)):
        extra = ", db_index=True" if rng.random() < 0.25 else ""
        field = f"{base}_{index}"
        fields.append(field)
        lines.append(f"    {field} = {kind.format(extra=extra)}")
    if index > 0:
        lines.append(
            f"    parent = models.ForeignKey(Item{app}x{index - 1}, on_delete=models.CASCADE, "
            f'related_name="children_{index}")'
        )
        lines.append(
            "    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, "
            f'null=True, related_name="items_{app}_{index}")'
        )
    if index > 1 and rng.random() < 0.5:
        lines.append(
            f'    tags = models.ManyToManyField(Item{app}x0, related_name="tagged_{index}")'
        )
    lines += [
        "",
        "    class Meta:",
        f'        ordering = ["-{fields[0]}"]',
        "",
        "    def __str__(self):",
        f"        return str(self.{fields[0]})",
        "",
        "    def get_absolute_url(self):",
        f'        return f"/{app}/{index}/{{self.pk}}/"',
        "",
        "",
    ]
    return name, "\n".join(lines), fields


def _views(app: int, models: list[tuple[str, list[str]]], rng: random.Random) -> str:
    names = ", ".join(name for name, _ in models)
    out = [
        "from django.db import connection",
        "from django.http import HttpResponse, JsonResponse",
        "from django.shortcuts import get_object_or_404, render",
        "from django.views.generic import DetailView, ListView",
        "",
        f"from .models import {names}",
        "",
        "",
    ]
    for index, (name, fields) in enumerate(models):
        lower = name.lower()
        if index > 0:
            related = 'select_related("parent")' if rng.random() < 0.5 else "all()"
            out += [
                f"def {lower}_report(request):",
                "    rows = []",
                f"    for item in {name}.objects.{related}:",
                f"        rows.append((item.{fields[0]}, item.parent.pk, item.owner))",
                '    return JsonResponse({"rows": len(rows)})',
                "",
                "",
            ]
        out += [
            f"def {lower}_search(request):",
            '    term = request.GET.get("q", "")',
            f'    found = {name}.objects.filter({fields[0]}=term).order_by("{fields[-1]}")',
            f'    return render(request, "app{app}/{lower}_list.html", {{"items": found}})',
            "",
            "",
        ]
        if rng.random() < 0.15:
            out += [
                f"def {lower}_raw(request):",
                "    with connection.cursor() as cursor:",
                f"        sql = f\"SELECT * FROM app{app}_{lower} WHERE id = {{request.GET['id']}}\"",  # noqa: E501
                "        cursor.execute(sql)",
                "        return HttpResponse(str(cursor.fetchall()))",
                "",
                "",
            ]
        out += [
            f"class {name}List(ListView):",
            f"    model = {name}",
            "    paginate_by = 50",
            "",
            "",
            f"class {name}Detail(DetailView):",
            f"    model = {name}",
            "",
            "    def get_object(self):",
            f'        return get_object_or_404({name}, pk=self.kwargs["pk"])',
            "",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def _serializers(models: list[tuple[str, list[str]]]) -> str:
    names = ", ".join(name for name, _ in models)
    out = ["from rest_framework import serializers", "", f"from .models import {names}", "", ""]
    for name, fields in models:
        out += [
            f"class {name}Serializer(serializers.ModelSerializer):",
            "    class Meta:",
            f"        model = {name}",
            f"        fields = {['id', *fields]!r}",
            "",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def _admin(models: list[tuple[str, list[str]]]) -> str:
    names = ", ".join(name for name, _ in models)
    out = ["from django.contrib import admin", "", f"from .models import {names}", "", ""]
    for index, (name, fields) in enumerate(models):
        display = [fields[0], "parent"] if index > 0 else [fields[0]]
        out += [
            f"@admin.register({name})",
            f"class {name}Admin(admin.ModelAdmin):",
            f"    list_display = {display!r}",
            f"    search_fields = [{fields[0]!r}]",
            f"    list_filter = [{fields[-1]!r}]",
            "",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def _urls(models: list[tuple[str, list[str]]]) -> str:
    out = ["from django.urls import path", "", "from . import views", "", "urlpatterns = ["]
    for index, (name, _) in enumerate(models):
        lower = name.lower()
        out.append(f'    path("{lower}/", views.{name}List.as_view(), name="{lower}-list"),')
        out.append(f'    path("{lower}/<int:pk>/", views.{name}Detail.as_view()),')
        out.append(f'    path("{lower}/search/", views.{lower}_search),')
        if index > 0:
            out.append(f'    path("{lower}/report/", views.{lower}_report),')
    out.append("]")
    return "\n".join(out) + "\n"


def _template(name: str, fields: list[str], related: bool) -> str:
    inner = "{{ item.parent }} {{ item.owner.email }}" if related else "{{ item.pk }}"
    return (
        '{% extends "base.html" %}\n{% block content %}\n<ul>\n'
        "{% for item in items %}\n"
        f"  <li>{{{{ item.{fields[0]} }}}} {inner}</li>\n"
        "{% empty %}\n  <li>None.</li>\n{% endfor %}\n</ul>\n{% endblock %}\n"
    )


def _migration(app: int, models: list[tuple[str, list[str]]]) -> str:
    out = [
        "from django.db import migrations, models",
        "",
        "",
        "class Migration(migrations.Migration):",
        "    initial = True",
        "    dependencies = []",
        "    operations = [",
    ]
    for name, fields in models:
        out.append("        migrations.CreateModel(")
        out.append(f"            name={name!r},")
        out.append("            fields=[")
        out.append(
            '                ("id", models.BigAutoField(primary_key=True, serialize=False)),'
        )
        for field in fields:
            out.append(f'                ("{field}", models.CharField(max_length=120)),')
        out.append("            ],")
        out.append("        ),")
    out.append("    ]")
    return "\n".join(out) + "\n"


def generate(root: Path, apps: int = 10, models: int = 5, seed: int = 7) -> int:
    """Write the project under `root`; return the number of files written."""
    rng = random.Random(seed)
    written = 0

    def write(rel: str, text: str) -> None:
        nonlocal written
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1

    labels = [f"app{app}" for app in range(apps)]
    write(
        "manage.py",
        '#!/usr/bin/env python\nimport os\nimport sys\n\nif __name__ == "__main__":\n'
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n'
        "    from django.core.management import execute_from_command_line\n\n"
        "    execute_from_command_line(sys.argv)\n",
    )
    write("config/__init__.py", "")
    installed = ",\n".join(f'    "{label}"' for label in labels)
    write(
        "config/settings.py",
        'SECRET_KEY = "synthetic"\nDEBUG = False\nALLOWED_HOSTS = ["*"]\n'
        'INSTALLED_APPS = [\n    "django.contrib.admin",\n    "django.contrib.auth",\n'
        '    "django.contrib.contenttypes",\n    "rest_framework",\n' + installed + ",\n]\n"
        'ROOT_URLCONF = "config.urls"\nDATABASES = {"default": {"ENGINE": '
        '"django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n',
    )
    includes = "\n".join(f'    path("{label}/", include("{label}.urls")),' for label in labels)
    write(
        "config/urls.py",
        "from django.urls import include, path\n\nurlpatterns = [\n" + includes + "\n]\n",
    )
    write("templates/base.html", "<html><body>{% block content %}{% endblock %}</body></html>\n")
    for app in range(apps):
        label = labels[app]
        made = [_model(app, index, rng) for index in range(models)]
        pairs = [(name, fields) for name, _, fields in made]
        body = "\n".join(text for _, text, _ in made)
        write(f"{label}/__init__.py", "")
        write(
            f"{label}/apps.py",
            "from django.apps import AppConfig\n\n\n"
            f'class App{app}Config(AppConfig):\n    name = "{label}"\n'
            '    default_auto_field = "django.db.models.BigAutoField"\n',
        )
        write(
            f"{label}/models.py",
            "from django.conf import settings\nfrom django.db import models\n\n\n"
            + body.rstrip()
            + "\n",
        )
        write(f"{label}/views.py", _views(app, pairs, rng))
        write(f"{label}/serializers.py", _serializers(pairs))
        write(f"{label}/admin.py", _admin(pairs))
        write(f"{label}/urls.py", _urls(pairs))
        write(f"{label}/migrations/__init__.py", "")
        write(f"{label}/migrations/0001_initial.py", _migration(app, pairs))
        for index, (name, fields) in enumerate(pairs):
            write(
                f"{label}/templates/{label}/{name.lower()}_list.html",
                _template(name, fields, index > 0),
            )
    return written


def main() -> None:
    """Command line: python bench/synthetic.py OUT --apps N --models M."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--apps", type=int, default=10)
    parser.add_argument("--models", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    count = generate(args.out, args.apps, args.models, args.seed)
    print(f"wrote {count} files under {args.out}")


if __name__ == "__main__":
    main()
