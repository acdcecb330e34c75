"""`djreview fix` on a fixture: one migration per app per run, and the models match them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from helpers import run_tree
from runtime import harness

from djreview.cli.main import main


def _migrations(tree: Path) -> set[Path]:
    return {p.relative_to(tree) for p in tree.glob("*/migrations/0*.py")}


def test_fix_writes_one_migration_per_app_and_makemigrations_is_clean(tmp_path) -> None:
    copy = harness.copy_fixture(harness.FIXTURES_DIR / "shop", tmp_path)
    before = _migrations(copy)
    fixed = CliRunner().invoke(main, ["fix", str(copy), "--select", "DJR201,DJR203"])
    assert fixed.exit_code == 0, fixed.output
    new = _migrations(copy) - before
    apps = [path.parts[0] for path in new]
    # catalog gets two fixes (db_index on sku, a composite) merged into one file.
    assert sorted(apps) == ["catalog", "orders"]
    catalog = next(copy / p for p in new if p.parts[0] == "catalog").read_text()
    assert "AlterField" in catalog and "AddIndex" in catalog
    # orders gets two Meta.indexes entries on Order, each its own fix, merged in one list.
    assert "skipped" not in fixed.output, fixed.output
    orders = next(copy / p for p in new if p.parts[0] == "orders").read_text()
    assert orders.count("migrations.AddIndex(") == 2
    assert (copy / "orders/models.py").read_text().count("indexes = [") == 1
    check = harness.manage(copy, "makemigrations", "--check", "--dry-run", in_place=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_each_fix_carries_only_its_own_migration() -> None:
    result = run_tree(harness.FIXTURES_DIR / "shop", select=("DJR201", "DJR203"))
    fixes = [f.fix for f in result.findings if f.fix is not None]
    assert len(fixes) >= 3
    for fix in fixes:
        created = [e for e in fix.edits if "/migrations/" in e.location.path]
        assert len(created) == 1, fix.description
        assert "earlier" not in fix.description
