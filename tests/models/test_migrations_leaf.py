"""The leaf migration a new index migration depends on, found as makemigrations would."""

from __future__ import annotations

from pathlib import Path

from djreview.config import Config
from djreview.engine.runner import load_project
from djreview.indexes.migration_leaf import read_migrations

MIGRATION = """from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [{deps}]
    operations = []
"""


def _app(tmp_path: Path, migrations: dict[str, list[tuple[str, str]]]) -> Path:
    folder = tmp_path / "shop" / "migrations"
    folder.mkdir(parents=True)
    (tmp_path / "shop" / "__init__.py").write_text("")
    (folder / "__init__.py").write_text("")
    for name, deps in migrations.items():
        listed = ", ".join(f"({app!r}, {dep!r})" for app, dep in deps)
        (folder / f"{name}.py").write_text(MIGRATION.format(deps=listed))
    return tmp_path


def test_the_leaf_is_the_migration_nothing_depends_on(tmp_path: Path) -> None:
    root = _app(
        tmp_path,
        {
            "0001_initial": [],
            "0002_price": [("shop", "0001_initial")],
            # A later number that another app's migration, not this app's, depends on.
            "0003_stock": [("shop", "0002_price"), ("auth", "0012_alter_user")],
            "0004_merge": [("shop", "0003_stock")],
        },
    )
    project = load_project([root], Config())
    found = read_migrations(project, "shop", "shop")
    assert (found.folder, found.leaf, found.next_number) == ("shop/migrations", "0004_merge", 5)


def test_two_leaves_pick_the_highest_and_no_migrations_start_at_one(tmp_path: Path) -> None:
    root = _app(
        tmp_path,
        {
            "0001_initial": [],
            "0002_a": [("shop", "0001_initial")],
            "0002_b": [("shop", "0001_initial")],
        },
    )
    project = load_project([root], Config())
    assert read_migrations(project, "shop", "shop").leaf == "0002_b"
    assert read_migrations(project, "blog", "blog").next_number == 1
