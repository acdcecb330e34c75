"""Views, URL patterns, template lookup and expression types on the tricky layout."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from helpers import make_repo

from djreview.config import Config
from djreview.engine.runner import load_project
from djreview.project.project_model import ProjectModel
from djreview.project.types import Scope

LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "project_layouts"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> ProjectModel:
    root = make_repo(tmp_path_factory.mktemp("views") / "tricky")
    shutil.copytree(LAYOUTS / "tricky", root, dirs_exist_ok=True)
    return load_project([root], Config()).analysis(ProjectModel)


def test_class_based_views_get_model_default_template_and_context(index):
    post_list = index.views["blog.views.PostList"]
    assert post_list.model.label == "blog.Post"
    assert post_list.templates == ("blog/post_list.html",)
    assert post_list.implicit_context() == {"object_list": "object_list", "posts": "object_list"}
    assert set(post_list.extra_context) == {"recent"}
    featured = index.views["blog.views.FeaturedPost"]
    # The model comes from `queryset = Post.objects.published()` (a custom QuerySet method).
    assert featured.model.label == "blog.Post"
    assert featured.templates == ("blog/featured.html",)


def test_render_calls_record_template_and_context_keys(index):
    detail = index.views["blog.views.post_detail"]
    [call] = detail.renders
    assert call.templates == ("blog/detail.html",)
    assert set(call.context) == {"post", "notes", "author"}
    [tag_call] = index.views["blog.views.tag"].renders
    assert tag_call.templates == ("blog/tag.html",)  # through a local variable


def test_url_patterns_follow_includes_with_prefix_namespace_and_params(index):
    routes = {(u.route, u.view, u.name, u.namespace, u.params) for u in index.urls}
    assert ("blog/<int:pk>/", "blog.views.post_detail", "detail", "blog", ("pk",)) in routes
    assert ("blog/", "blog.views.PostList", "list", "blog", ()) in routes
    assert (r"extra/^tag/(?P<slug>[-\w]+)/$", "blog.views.tag", "tag", "extra", ("slug",)) in routes
    assert ("api/posts", "blog.api.PostViewSet", "post", None, ()) in routes  # router, mounted
    assert "blog.views.post_detail" in index.routed_views
    assert "blog.views.summary" not in index.routed_views  # a view function no URL routes to
    about = next(u for u in index.urls if u.route == "about/")
    assert about.view == "blog.views.AboutView" and "template_name" in about.view_kwargs


def test_templates_resolve_in_loader_order(index):
    detail = index.template("blog/detail.html")
    assert detail.rel == "templates/blog/detail.html"  # DIRS before app folders
    assert detail.tree.extends == "base.html"
    assert detail.tree.includes == ["blog/_author.html"]
    assert index.template("blog/_author.html").rel == "blog/templates/blog/_author.html"
    assert index.template("missing.html") is None
    loops = [
        (variable.lookup, [tag.name for tag in parents])
        for variable, parents in detail.tree.variables()
    ]
    assert ("note.text", ["block", "for"]) in loops


def _function(index: ProjectModel, module: str, name: str) -> ast.FunctionDef:
    node = index.modules[module].defs[name]
    assert isinstance(node, ast.FunctionDef)
    return node


def _type(index: ProjectModel, scope: Scope, source: str):
    found = index.types.type_of(ast.parse(source, mode="eval").body, scope)
    return (found.model.label, found.kind) if found is not None else None


def test_types_in_a_function_view(index):
    scope = Scope("blog.views", _function(index, "blog.views", "post_detail"))
    assert _type(index, scope, "post") == ("blog.Post", "instance")
    assert _type(index, scope, "notes") == ("blog.Note", "queryset")
    assert _type(index, scope, "post.notes") == ("blog.Note", "related_manager")
    assert _type(index, scope, "author") == ("accounts.Member", "instance")
    assert _type(index, scope, "request.user") == ("accounts.Member", "instance")
    # Reassigned through its own chain: still a Post queryset.
    assert _type(index, scope, "posts") == ("blog.Post", "queryset")
    assert _type(index, scope, "posts[0]") == ("blog.Post", "instance")
    assert _type(index, scope, "Post.objects.get(pk=1).author.posts") == (
        "blog.Post",
        "related_manager",
    )
    assert _type(index, scope, "pk") is None
    assert _type(index, scope, "context") is None


def test_types_of_loop_targets_custom_methods_and_annotations(index):
    tag = Scope("blog.views", _function(index, "blog.views", "tag"))
    assert _type(index, tag, "post") == ("blog.Post", "instance")
    assert _type(index, tag, "Post.objects.recent()") == ("blog.Post", "queryset")
    summary = Scope("blog.views", _function(index, "blog.views", "summary"))
    assert _type(index, summary, "post") == ("blog.Post", "instance")
    assert _type(index, summary, "items") == ("store.Item", "queryset")
    assert _type(index, summary, "first") == ("store.Item", "instance")
    assert _type(index, summary, "names") == ("store.Item", "values")
    assert _type(index, summary, "count") is None


def test_types_through_a_function_local_import(index):
    scope = Scope("blog.views", _function(index, "blog.views", "late_import"))
    assert _type(index, scope, "Order.objects.filter(active=True)") == ("store.Order", "queryset")


def test_types_of_self_in_class_based_views(index):
    module = index.modules["blog.views"]
    view = module.defs["FeaturedPost"]
    method = next(item for item in view.body if isinstance(item, ast.FunctionDef))
    scope = Scope("blog.views", method, "blog.views.FeaturedPost")
    assert _type(index, scope, "self.get_queryset()") == ("blog.Post", "queryset")
    assert _type(index, scope, "self.get_queryset().first()") == ("blog.Post", "instance")
    assert _type(index, scope, "self.object") == ("blog.Post", "instance")
    assert _type(index, scope, "self.model") == ("blog.Post", "class")


def test_self_in_a_model_method_is_an_instance(index):
    post = index.model("blog.Post")
    scope = Scope("blog.models", post.properties["summary"][1], post.qualified_name)
    assert _type(index, scope, "self.author") == ("accounts.Member", "instance")
    assert _type(index, scope, "self.notes") == ("blog.Note", "related_manager")


def test_serializers_nested_method_related_and_source_fields(index):
    serializer = index.serializers["blog.api.PostSerializer"]
    assert serializer.model.label == "blog.Post"
    assert serializer.fields == ("id", "title", "notes", "owner_name", "followers", "score")
    declared = serializer.declared
    assert (declared["notes"].kind, declared["notes"].serializer, declared["notes"].many) == (
        "serializer",
        "blog.api.NoteSerializer",
        True,
    )
    assert declared["owner_name"].source == "owner.username"
    assert declared["followers"].kind == "related"
    assert declared["score"].kind == "method" and declared["score"].method[1].name == "get_score"
    assert index.serializers["blog.api.NoteSerializer"].fields == "__all__"


def test_api_viewsets_get_model_serializer_and_options(index):
    view = index.api_views["blog.api.PostViewSet"]
    assert view.model.label == "blog.Post"  # from get_queryset
    assert view.serializer_class == "blog.api.PostSerializer"
    assert view.options["permission_classes"] == ("rest_framework.permissions.IsAuthenticated",)
    assert view.options["search_fields"] == ("title",)
    assert view.get_queryset is not None


def test_admin_registrations_and_list_display(index):
    by_model = {entry.model.label: entry for entry in index.admin}
    assert set(by_model) == {"blog.Post", "blog.Item", "blog.Note"}
    post = by_model["blog.Post"]
    assert post.admin_class == "blog.admin.PostAdmin"
    kinds = {item.name: item.kind for item in post.list_display}
    assert kinds == {
        "title": "field",
        "owner__username": "path",
        "author_email": "admin_method",
        "summary": "model_method",
        "__str__": "field",
    }
    assert post.list_select_related == ("author",)
    assert post.get_queryset is not None
    assert [(name, model.label) for name, model in post.inlines] == [
        ("blog.admin.NoteInline", "blog.Note")
    ]
    assert by_model["blog.Item"].admin_class is None
