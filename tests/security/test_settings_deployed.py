"""Which settings modules the settings rules judge: demo projects and dev-based setups are not."""

from __future__ import annotations

import pytest
from helpers import make_repo, run_tree, write_tree

SETTINGS = 'INSTALLED_APPS = []\nSECRET_KEY = "x" * 60\nDEBUG = True\n'
MANAGE = 'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "{module}")\n'


def _debug_paths(tmp_path, files) -> list[str]:
    root = make_repo(tmp_path)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    found = run_tree(root, select=("DJR401",)).active
    return sorted(f.location.path for f in found)


def _leaf_reported(tmp_path, leaf: str) -> bool:
    """Whether `site_conf/settings/<leaf>.py`, named by manage.py, is judged as deployed."""
    files = {
        "manage.py": MANAGE.format(module=f"site_conf.settings.{leaf}"),
        "site_conf/__init__.py": "",
        "site_conf/settings/__init__.py": "",
        f"site_conf/settings/{leaf}.py": SETTINGS,
    }
    return _debug_paths(tmp_path, files) == [f"site_conf/settings/{leaf}.py"]


@pytest.mark.parametrize(
    ("package", "reported"),
    [
        ("demodesk", False),  # the repository's demo project, run by manage.py
        ("example_site", False),
        ("sandbox", False),
        ("shop_workbench", False),  # the app's development workbench
        ("helpdesk_site", True),  # a plain project package: deployed
    ],
)
def test_demo_project_settings_are_not_deployed(tmp_path, package, reported) -> None:
    files = {
        "manage.py": MANAGE.format(module=f"{package}.config.settings"),
        f"{package}/__init__.py": "",
        f"{package}/config/__init__.py": "",
        f"{package}/config/settings.py": SETTINGS,
    }
    expected = [f"{package}/config/settings.py"] if reported else []
    assert _debug_paths(tmp_path, files) == expected


def _layout(leaf: str) -> dict[str, str]:
    return {
        "manage.py": MANAGE.format(module="site_conf.settings.leaf"),
        "site_conf/__init__.py": "",
        "site_conf/settings/__init__.py": "",
        "site_conf/settings/common.py": 'INSTALLED_APPS = []\nSECRET_KEY = "x" * 60\n',
        "site_conf/settings/dev.py": "from .common import *\n\nDEBUG = True\n",
        "site_conf/settings/local.py": 'INTERNAL_IPS = ["127.0.0.1"]\n',
        "site_conf/settings/leaf.py": leaf,
    }


def test_a_module_built_on_a_development_module_is_development(tmp_path) -> None:
    # docker.py-style: the entry point names it, but it star-imports dev.py first.
    assert _debug_paths(tmp_path, _layout("from .dev import *\n\nALLOWED_HOSTS = ['web']\n")) == []


def test_an_optional_local_override_does_not_make_production_development(tmp_path) -> None:
    leaf = (
        "from .common import *\n\nDEBUG = True\n\n"
        "try:\n    from .local import *\nexcept ImportError:\n    pass\n"
    )
    assert _debug_paths(tmp_path, _layout(leaf)) == ["site_conf/settings/leaf.py"]


@pytest.mark.parametrize(
    ("leaf_name", "reported"),
    [
        ("unittests", False),  # DefectDojo's `dojo/settings/unittests.py`
        ("pytest", False),
        ("latest", True),  # not a test module: "ends with test" would be wrong
    ],
)
def test_a_test_runner_settings_module_named_as_one_word_is_not_deployed(
    tmp_path, leaf_name, reported
) -> None:
    assert _leaf_reported(tmp_path, leaf_name) == reported


STACK_SETTINGS = (
    "INSTALLED_APPS = []\nSECRET_KEY = 'x'\n"
    "BASE_MIDDLEWARE = ['django.middleware.csrf.CsrfViewMiddleware']\n"
    "REMOVED_MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n"
    "MIDDLEWARE = []\n"
)


@pytest.mark.parametrize(
    ("start_up", "missing"),
    [
        # manage.py builds the stack Django runs from BASE_MIDDLEWARE: its CSRF middleware counts.
        (
            "stack = list(settings_dict['BASE_MIDDLEWARE'])\n"
            "stack.extend(settings_dict['MIDDLEWARE'])\n"
            "settings_dict['MIDDLEWARE'] = stack\n",
            "SecurityMiddleware, XFrameOptionsMiddleware",
        ),
        # A list only tested for membership is not merged: nothing is added.
        (
            "settings_dict['MIDDLEWARE'] = [\n"
            "    m for m in settings_dict['MIDDLEWARE']\n"
            "    if m not in settings_dict['REMOVED_MIDDLEWARE']\n"
            "]\n",
            "SecurityMiddleware, CsrfViewMiddleware, XFrameOptionsMiddleware",
        ),
    ],
)
def test_middleware_merged_at_start_up_counts(tmp_path, start_up, missing) -> None:
    root = make_repo(tmp_path)
    files = {
        "manage.py": MANAGE.format(module="site_config.settings")
        + "settings_dict = {}\n"
        + start_up,
        "site_config/__init__.py": "",
        "site_config/settings.py": STACK_SETTINGS,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    found = run_tree(root, select=("DJR404",)).active
    assert [f.message for f in found] == [f"MIDDLEWARE in site_config.settings lacks {missing}"]


def _aliased(choice: str) -> dict[str, str]:
    return {
        "manage.py": MANAGE.format(module="site_conf.settings"),
        "site_conf/__init__.py": "",
        "site_conf/settings/__init__.py": choice,
        "site_conf/settings/dev.py": SETTINGS,
        "site_conf/settings/prod.py": SETTINGS,
    }


def test_a_package_choosing_dev_or_prod_is_judged_by_its_branches(tmp_path) -> None:
    # The alias evaluates to its `try` branch (dev); what runs where dev is absent is prod.
    alias = "# dev where present\ntry:\n    from .dev import *\nexcept ImportError:\n"
    alias += "    from .prod import *\n"
    assert _debug_paths(tmp_path / "alias", _aliased(alias)) == ["site_conf/settings/prod.py"]
    # A module that also sets values of its own is judged as itself.
    own = f"{alias}\nDEBUG = True\nINSTALLED_APPS = []\n"
    assert _debug_paths(tmp_path / "own", _aliased(own)) == [
        "site_conf/settings/__init__.py",
        "site_conf/settings/prod.py",
    ]


@pytest.mark.parametrize(
    ("leaf", "reported"),
    [("build", False), ("collectstatic_settings", False), ("builder", True)],
)
def test_settings_named_for_a_build_step_are_not_deployed(tmp_path, leaf, reported) -> None:
    assert _leaf_reported(tmp_path, leaf) == reported


_DEV_URLS = (
    "from django.http import HttpResponseRedirect\n"
    "from django.urls import path\n\n\n"
    "def to_storage(request):\n"
    "    return HttpResponseRedirect(request.GET['next'])\n\n\n"
    "urlpatterns = [path('storage/', to_storage)]\n"
)


def _redirects(tmp_path, files) -> list[str]:
    root = make_repo(tmp_path)
    write_tree(root, files)
    return sorted(f.location.path for f in run_tree(root, select=("DJR314",)).active)


def test_a_urlconf_only_development_settings_name_is_development_code(tmp_path) -> None:
    files = {
        "manage.py": MANAGE.format(module="site_conf.settings"),
        "site_conf/__init__.py": "",
        "site_conf/settings.py": f"{SETTINGS}ROOT_URLCONF = 'site_conf.urls'\n",
        "site_conf/dev_settings.py": "from .settings import *\n\n"
        "ROOT_URLCONF = 'site_conf.dev_urls'\n",
        "site_conf/urls.py": "urlpatterns = []\n",
        "site_conf/dev_urls.py": _DEV_URLS,
    }
    assert _redirects(tmp_path / "dev", files) == []
    included = {
        **files,
        "site_conf/urls.py": "from django.urls import include, path\n\n"
        "urlpatterns = [path('', include('site_conf.dev_urls'))]\n",
    }
    assert _redirects(tmp_path / "included", included) == ["site_conf/dev_urls.py"]
    deployed = {
        **files,
        "site_conf/settings.py": f"{SETTINGS}ROOT_URLCONF = 'site_conf.dev_urls'\n",
    }
    assert _redirects(tmp_path / "deployed", deployed) == ["site_conf/dev_urls.py"]
