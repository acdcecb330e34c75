"""The pieces of an index fix: libcst model edits, migration text, applying shared edits."""

from __future__ import annotations

import ast
from pathlib import Path

from djreview.fix.apply import apply_edits, plan_fixes
from djreview.indexes.migration_writer import alter_field_operation, index_name, migration_name
from djreview.indexes.model_defs import FieldDef, ModelDef
from djreview.indexes.model_edit import add_db_index, add_meta_indexes, edit_between
from djreview.model import Edit, Fix, Location

MODELS = """from django.db import models


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"

    title = models.CharField(max_length=200)
    slug = models.CharField(
        max_length=200,
        blank=True,
    )
    author = models.ForeignKey("auth.User", on_delete=models.CASCADE, db_index=False)

    def __str__(self):
        return self.title
"""


def test_db_index_is_appended_inline_and_after_a_trailing_comma() -> None:
    inline = add_db_index(MODELS, "Post", "title")
    assert "title = models.CharField(max_length=200, db_index=True)" in inline
    multiline = add_db_index(MODELS, "Post", "slug")
    assert "        blank=True,\n        db_index=True,\n    )" in multiline


def test_db_index_false_is_switched_on_not_duplicated() -> None:
    new = add_db_index(MODELS, "Post", "author")
    assert new.count("db_index") == 1 and "db_index=True" in new


def test_db_index_on_a_missing_field_is_no_fix() -> None:
    assert add_db_index(MODELS, "Post", "body") is None
    assert add_db_index(MODELS, "Comment", "title") is None


def test_meta_is_created_after_the_last_field_when_missing() -> None:
    new = add_meta_indexes(MODELS, "Post", ['models.Index(fields=["title", "slug"], name="x_idx")'])
    assert new is not None
    ast.parse(new)
    meta = new.index("class Meta:")
    assert new.index("author = models.ForeignKey") < meta < new.index("def __str__")
    assert 'indexes = [\n            models.Index(fields=["title", "slug"], name="x_idx"),\n' in new


def test_indexes_are_added_to_an_existing_meta_and_list() -> None:
    with_meta = MODELS.replace(
        "    def __str__", '    class Meta:\n        ordering = ["title"]\n\n    def __str__'
    )
    created = add_meta_indexes(with_meta, "Post", ["models.Index(fields=['slug'], name='a_idx')"])
    assert '        ordering = ["title"]\n        indexes = [\n' in created
    extended = add_meta_indexes(created, "Post", ["models.Index(fields=['title'], name='b_idx')"])
    assert extended.count("indexes = [") == 1
    assert extended.index("a_idx") < extended.index("b_idx")
    ast.parse(extended)


def test_edit_between_reproduces_the_new_text() -> None:
    new = add_db_index(MODELS, "Post", "slug")
    edit = edit_between("blog/models.py", MODELS, new)
    assert apply_edits(MODELS, [edit]) == new
    assert edit.location.start_line == edit.location.end_line - 1


def _model(table: str = "") -> ModelDef:
    tree = ast.parse("class Post: pass")
    node = tree.body[0]
    assert isinstance(node, ast.ClassDef)
    model = ModelDef("blog", "Post", None, node, db_table=table)  # type: ignore[arg-type]
    model.fields["title"] = FieldDef("title", "CharField")
    return model


def test_index_names_are_valid_for_django() -> None:
    name = index_name(_model(), ("title",))
    assert name.startswith("blog_post_title_") and name.endswith("_idx") and len(name) <= 30
    digit_table = index_name(_model("2fa_codes_with_a_long_name"), ("title",))
    assert digit_table[0] == "D" and len(digit_table) <= 30
    # A partial index on the same column gets its own stable name.
    partial = index_name(_model(), ("title",), "title__isnull=False")
    assert partial != name and len(partial) <= 30
    assert partial == index_name(_model(), ("title",), "title__isnull=False")


def test_migration_name_follows_makemigrations() -> None:
    assert migration_name(3, ["alter_post_slug"]) == "0003_alter_post_slug"
    long = ["post_blog_post_title_abcdef_idx", "post_blog_post_slug_abcdef_idx"]
    assert migration_name(12, long) == "0012_post_blog_post_title_abcdef_idx_and_more"


def _field(source: str) -> FieldDef:
    call = ast.parse(source, mode="eval").body
    assert isinstance(call, ast.Call)
    return FieldDef("title", "CharField", call=call)


def test_alter_field_copies_literal_definitions_sorted() -> None:
    operation = alter_field_operation(
        _model(), _field('models.CharField(_("Title"), max_length=20)')
    )
    assert operation is not None
    assert "field=models.CharField('Title', db_index=True, max_length=20)" in operation[0]
    assert operation[1] == "alter_post_title"


def test_alter_field_refuses_what_a_migration_cannot_copy() -> None:
    assert (
        alter_field_operation(_model(), _field("models.CharField(choices=Status.choices)")) is None
    )
    assert alter_field_operation(_model(), _field("MoneyField(max_digits=5)")) is None
    assert alter_field_operation(_model(), _field("fields.CharField(max_length=3)")) is None


def test_a_shared_edit_is_applied_once_and_two_creations_conflict(tmp_path: Path) -> None:
    migration = Edit(Location("app/migrations/0002_x.py", 1, 1), "# one\n")
    first = Fix("first", (migration,))
    second = Fix("second", (migration, Edit(Location("app/models.py", 1, 1), "# two\n")))
    plan = plan_fixes([first, second], tmp_path, {"app/models.py": "x = 1\n"})
    assert not plan.skipped
    created = next(c for c in plan.changes if c.rel.endswith("0002_x.py"))
    assert created.new == "# one\n" and created.created
    assert created.diff().startswith("--- /dev/null")
    other = Fix("other", (Edit(Location("app/migrations/0002_x.py", 1, 1), "# other\n"),))
    plan = plan_fixes([first, other], tmp_path, {})
    assert len(plan.skipped) == 1 and "two fixes create" in plan.skipped[0]


def _generated(number: str, fragment: str, operation: str) -> Edit:
    from djreview.indexes.migration_writer import migration_text

    text = migration_text("shop", "0001_initial", [f"        {operation},\n"])
    return Edit(Location(f"shop/migrations/{number}_{fragment}.py", 1, 1), text)


def test_new_migrations_of_one_app_become_one_file_named_for_both(tmp_path: Path) -> None:
    first = Fix("a", (_generated("0002", "alter_post_slug", "migrations.RunSQL('a')"),))
    second = Fix("b", (_generated("0002", "post_post_title_idx", "migrations.RunSQL('b')"),))
    plan = plan_fixes([first, second], tmp_path, {})
    assert not plan.skipped
    (change,) = plan.changes
    assert change.rel == "shop/migrations/0002_alter_post_slug_post_post_title_idx.py"
    assert "RunSQL('a')" in change.new and "RunSQL('b')" in change.new
    assert change.new.count("('shop', '0001_initial')") == 1
    ast.parse(change.new)
    alone = plan_fixes([first], tmp_path, {})
    assert [c.rel for c in alone.changes] == ["shop/migrations/0002_alter_post_slug.py"]
