"""The harness re-measures a fixed copy of a fixture, as fix-verification tests will."""

from __future__ import annotations

from . import harness


def _replace_once(path, old, new):
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} not found exactly once in {path}"
    path.write_text(text.replace(old, new))


def test_select_related_in_a_fixed_copy_makes_author_report_constant(tmp_path):
    copy = harness.copy_fixture(harness.FIXTURES_DIR / "blog", tmp_path)
    _replace_once(
        copy / "blog" / "reports.py",
        "def author_report(request: HttpRequest) -> JsonResponse:\n"
        "    posts = Post.objects.filter(status=Post.Status.PUBLISHED)\n",
        "def author_report(request: HttpRequest) -> JsonResponse:\n"
        '    posts = Post.objects.filter(status=Post.Status.PUBLISHED).select_related("author")\n',
    )

    small, large = harness.measure(copy, "author_loop")

    assert small == large


def test_db_index_and_migration_in_a_fixed_copy_turn_the_sku_scan_into_a_search(tmp_path):
    copy = harness.copy_fixture(harness.FIXTURES_DIR / "shop", tmp_path)
    _replace_once(
        copy / "catalog" / "models.py",
        "sku = models.CharField(max_length=32)\n",
        "sku = models.CharField(max_length=32, db_index=True)\n",
    )
    made = harness.manage(copy, "makemigrations", "catalog", in_place=True)
    assert made.returncode == 0, made.stderr

    plan = harness.explain(copy, "sku_lookup")

    assert harness.plan_uses_index(plan), plan
    assert not harness.plan_scans(plan), plan
