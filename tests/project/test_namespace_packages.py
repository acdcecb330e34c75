"""Module names of files in folders without `__init__.py` (PEP 420 namespace packages)."""

from __future__ import annotations

from helpers import make_repo, write_tree

from djreview.config import Config
from djreview.engine.runner import load_project
from djreview.project.project_model import ProjectModel


def _modules(tmp_path):
    root = make_repo(tmp_path / "project")
    write_tree(
        root,
        {
            "app/__init__.py": "",
            "app/models.py": "class Profile:\n    pass\n",
            "app/views/__init__.py": "BASE = 1\n",
            # No __init__.py in app/views/user/: a namespace package inside a package.
            "app/views/user/profile.py": (
                "from ...models import Profile\nfrom .. import BASE\n\nclass ProfileView:\n"
                "    pass\n"
            ),
            "app/views/user/deep/page.py": "from ..profile import ProfileView\n",
            # A top-level folder without __init__.py is not a package.
            "scripts/tool.py": "X = 1\n",
        },
    )
    return load_project([root], Config()).analysis(ProjectModel)


def test_a_folder_without_init_inside_a_package_is_a_namespace_package(tmp_path):
    model = _modules(tmp_path)
    assert "app.views.user.profile" in model.modules
    assert "app.views.user.deep.page" in model.modules
    assert "profile" not in model.modules and "page" not in model.modules


def test_relative_imports_from_a_namespace_package_resolve(tmp_path):
    model = _modules(tmp_path)
    module = "app.views.user.profile"
    assert model.resolve_name(module, "Profile") == "app.models.Profile"
    assert model.resolve_name(module, "BASE") == "app.views.BASE"
    assert model.resolve_name("app.views.user.deep.page", "ProfileView") == (
        "app.views.user.profile.ProfileView"
    )


def test_a_top_level_folder_without_init_is_not_a_package(tmp_path):
    model = _modules(tmp_path)
    assert "tool" in model.modules
    assert "scripts.tool" not in model.modules
