"""The models part of the project model, on purpose-written tricky layouts."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from helpers import make_repo

from djreview.config import Config
from djreview.engine.runner import load_project
from djreview.project.project_model import ProjectModel

LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "project_layouts"


def index_of(tmp_path: Path, layout: str) -> ProjectModel:
    root = make_repo(tmp_path / layout)
    shutil.copytree(LAYOUTS / layout, root, dirs_exist_ok=True)
    return load_project([root], Config()).analysis(ProjectModel)


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> ProjectModel:
    return index_of(tmp_path_factory.mktemp("layouts"), "tricky")


def test_abstract_base_in_another_app_gives_its_fields_to_the_child(tricky):
    post = tricky.model("blog.Post")
    assert post is not None and not post.abstract
    assert {"created_at", "owner", "parent", "title"} <= set(post.fields)
    assert post.fields["owner"].model == "blog.Post"
    assert tricky.model("core.TimeStamped").abstract


def test_self_in_an_abstract_base_means_the_concrete_child(tricky):
    assert tricky.model("blog.Post").fields["parent"].target == "blog.Post"


def test_class_template_in_related_name_is_expanded_per_child(tricky):
    member = tricky.model("accounts.Member")
    assert "blog_post_owned" in member.reverse
    assert "followed_posts" in member.reverse
    assert member.reverse["blog_post_owned"].model == "blog.Post"


def test_plus_related_name_adds_no_reverse_accessor(tricky):
    post = tricky.model("blog.Post")
    assert not any(r.field == "parent" for r in post.reverse.values())
    item = tricky.model("store.Item")
    assert tricky.model("store.Order").reverse.get("item_set") is None
    assert item.fields["last_order"].target == "store.Order"


def test_symmetrical_m2m_to_self_has_no_reverse(tricky):
    post = tricky.model("blog.Post")
    assert post.fields["related"].target == "blog.Post"
    assert not any(r.field == "related" for r in post.reverse.values())


def test_swapped_user_model_is_followed_by_settings_references(tricky):
    assert tricky.user_model_label == "accounts.Member"
    assert tricky.model("blog.Post").fields["author"].target == "accounts.Member"
    member = tricky.user_model
    assert member is not None and "posts" in member.reverse
    assert {"username", "groups", "nickname"} <= set(member.fields)
    # auth.User is swapped out: it gets no reverse accessors and Group points at Member.
    assert tricky.model("auth.Group").reverse["user_set"].model == "accounts.Member"


def test_same_model_name_in_two_apps_stays_apart(tricky):
    assert tricky.model("blog.Item").fields["post"].relation == "o2o"
    assert "name" in tricky.model("store.Item").fields
    assert tricky.model("Item") is None  # ambiguous: never a guess
    assert tricky.model("Item", from_app="store").label == "store.Item"


def test_app_config_label_wins_over_the_package_name(tricky):
    assert tricky.model("store.Order").module == "shop.models.orders"
    assert tricky.model("shop.Order") is None


def test_circular_imports_between_model_modules_resolve(tricky):
    order = tricky.model("store.Order")
    assert order.fields["item"].target == "store.Item"
    assert order.fields["item"].target_raw == "cat.Item"
    assert order.fields["post"].target == "blog.Post"
    assert tricky.model("store.Item").reverse["orders"].model == "store.Order"


def test_model_re_exported_from_a_package_init(tricky):
    assert tricky.resolve_name("blog.reports", "ShopItem") == "shop.models.catalog.Item"
    assert tricky.resolve_name("blog.reports", "shop_models.Order") == "shop.models.orders.Order"
    assert tricky.resolve_name("blog.reports", "Item") == "blog.models.Item"
    assert tricky.model_for_class("shop.models.Item").label == "store.Item"


def test_model_of_expr_follows_aliases_and_get_user_model(tricky):
    def expr(text: str) -> ast.expr:
        return ast.parse(text, mode="eval").body

    assert tricky.model_of_expr("blog.reports", expr("ShopItem")).label == "store.Item"
    assert tricky.model_of_expr("blog.reports", expr("shop_models.Order")).label == "store.Order"
    assert tricky.model_of_expr("blog.reports", expr("User")).label == "accounts.Member"
    assert tricky.model_of_expr("blog.reports", expr("get_user_model()")).label == "accounts.Member"
    assert tricky.model_of_expr("blog.reports", expr("count_items")) is None


def test_from_queryset_manager_has_manager_and_queryset_methods(tricky):
    manager = tricky.model("blog.Post").managers["objects"]
    assert manager.queryset_class == "blog.models.PostQuerySet"
    assert {"recent", "published"} <= set(manager.methods)


def test_as_manager_is_inherited_by_a_multi_table_child(tricky):
    child = tricky.model("store.SpecialOrder")
    assert child.managers["objects"].queryset_class == "shop.models.orders.ActiveQuerySet"
    assert child.pk.name == "order_ptr" and child.fields["order_ptr"].target == "store.Order"
    assert tricky.model("store.Order").reverse["specialorder"].multiple is False


def test_proxy_shares_fields_and_reverse_relations_with_its_concrete_model(tricky):
    proxy = tricky.model("store.ItemProxy")
    assert proxy.proxy and proxy.concrete_label == "store.Item"
    assert set(proxy.fields) == set(tricky.model("store.Item").fields)
    assert "orders" in proxy.reverse


def test_meta_inherited_from_abstract_parent_and_own_indexes(tricky):
    post = tricky.model("blog.Post")
    assert post.meta.ordering == ("-created_at",)
    assert [(i.fields, i.name) for i in post.meta.indexes] == [
        (("status", "-created_at"), "post_status_idx")
    ]
    item = tricky.model("store.Item")
    assert item.meta.unique_together == (("name", "id"),)
    assert item.meta.constraints[0].condition is True


def test_fields_keep_their_options(tricky):
    post = tricky.model("blog.Post")
    assert post.fields["title"].db_index is True and post.fields["title"].max_length == 200
    assert post.fields["status"].choices_count == 2
    assert post.fields["id"].field_type == "BigAutoField" and post.fields["id"].implicit
    assert post.fields["author"].column == "author_id" and post.fields["author"].indexed
    assert tricky.model("blog.Item").attribute("post_id").name == "post"


def test_methods_and_properties_come_through_plain_mixins(tricky):
    post = tricky.model("blog.Post")
    assert "display" in post.methods
    assert "summary" in post.properties


def test_migrations_are_read_as_index_evidence(tricky):
    found = {(m.operation, m.model, m.fields) for m in tricky.migration_indexes}
    assert ("AddIndex", "blog.Post", ("title",)) in found
    assert ("RunSQL", "blog.Post", ("status", "created_at")) in found
    assert ("AlterField", "blog.Item", ("post",)) in found


def test_taggable_manager_is_a_many_to_many_to_the_through_models_tag(tmp_path):
    index = index_of(tmp_path, "tagged")
    labels = index.model("notes.Note").fields["labels"]
    assert (labels.relation, labels.target, labels.through) == (
        "m2m",
        "notes.Label",
        "notes.LabelledItem",
    )
    assert labels.target_raw is None  # "Labels" is the verbose name
    # Third-party bases: known to be models, their own fields unknown.
    label = index.model("notes.Label")
    assert label.external_bases == ("taggit.models.TagBase",) and not label.fields_complete
    assert not any(r.field == "labels" for r in label.reverse.values())


def test_two_projects_in_one_tree_report_shadowed_modules(tmp_path):
    root = make_repo(tmp_path / "two")
    for name in ("first", "second"):
        shutil.copytree(LAYOUTS / "tagged", root / name)
    index = load_project([root], Config()).analysis(ProjectModel)
    assert index.shadowed_modules["notes.models"] == ["second/notes/models.py"]
    assert index.model("notes.Note").file == "first/notes/models.py"
