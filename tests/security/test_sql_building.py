"""DJR303: SQL built in a variable or by substitution is found; constant identifiers are not."""

from __future__ import annotations

import textwrap
from pathlib import Path

from helpers import make_repo, run_tree

SOURCE = """
from django.db import connection

TABLE = "blog_post"


def by_variable(pk):
    sql = f"SELECT * FROM blog_post WHERE id = {pk}"
    with connection.cursor() as cursor:
        cursor.execute(sql)  # built


def by_replace(slug):
    query = "SELECT * FROM blog_post WHERE slug = 'S'".replace("S", slug)
    with connection.cursor() as cursor:
        cursor.execute(query)  # built


def by_constants(model):
    sql = "DELETE FROM %s" % TABLE
    with connection.cursor() as cursor:
        cursor.execute(sql)
        cursor.execute(f"VACUUM {model._meta.db_table}")
        cursor.execute(f"SELECT * FROM {TABLE} WHERE id = %s", [1])


def placeholders(ids):
    marks = ", ".join(["%s"] * len(ids))
    sql = f"SELECT * FROM blog_post WHERE id IN ({marks})"
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)


def shadowed(TABLE):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {TABLE}")  # built
"""


def test_built_sql_is_found_and_constant_identifiers_are_not(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "project")
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    source = textwrap.dedent(SOURCE).lstrip()
    (root / "app" / "db.py").write_text(source)
    result = run_tree(root, select=("DJR303",))
    lines = sorted(f.location.start_line for f in result.findings if f.rule_id == "DJR303")
    expected = [n for n, line in enumerate(source.splitlines(), 1) if line.endswith("# built")]
    assert len(expected) == 3
    assert lines == expected
