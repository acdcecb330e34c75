"""Settings modules found and evaluated statically (split settings, env defaults)."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from helpers import make_repo

from djreview.config import Config
from djreview.engine.runner import load_project
from djreview.project.project_model import ProjectModel
from djreview.project.settings_eval import REQUIRED, UNKNOWN, EnvDefault, Evaluator, ProjectPath

LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "project_layouts"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory):
    root = make_repo(tmp_path_factory.mktemp("settings") / "tricky")
    shutil.copytree(LAYOUTS / "tricky", root, dirs_exist_ok=True)
    return load_project([root], Config()).analysis(ProjectModel).settings


def test_entry_modules_come_from_manage_and_wsgi(settings):
    assert settings.entry_modules == ["site_conf.settings.dev", "site_conf.settings.prod"]
    assert settings.modules["site_conf.settings.prod"].entry_points == ["site_conf/wsgi.py"]


def test_star_imported_base_is_a_settings_module_and_is_inherited(settings):
    assert "site_conf.settings.base" in settings.modules
    assert settings.modules["site_conf.settings.dev"].star_imports == ["site_conf.settings.base"]
    value = settings.value("site_conf.settings.prod", "AUTH_USER_MODEL")
    assert value.value == "accounts.Member"
    assert value.location.path == "site_conf/settings/base.py"


def test_later_assignment_and_in_place_updates_win(settings):
    assert settings.value("site_conf.settings.dev", "DEBUG").value is True
    dev_middleware = settings.value("site_conf.settings.dev", "MIDDLEWARE").value
    assert dev_middleware[-1] == "debug_toolbar.middleware.DebugToolbarMiddleware"
    assert len(settings.value("site_conf.settings.prod", "MIDDLEWARE").value) == 1
    assert settings.value("site_conf.settings.dev", "DATABASES").value["default"]["NAME"] == (
        "dev.sqlite3"
    )
    # The base module's own dict is not changed by dev's item assignment.
    assert settings.value("site_conf.settings.base", "DATABASES").value["default"]["NAME"] == (
        "db.sqlite3"
    )


def test_env_reads_keep_their_defaults(settings):
    secret = settings.value("site_conf.settings.dev", "SECRET_KEY")
    assert secret.value == "insecure-default"
    assert secret.env == (EnvDefault("SECRET_KEY", "insecure-default"),)
    hosts = settings.value("site_conf.settings.dev", "ALLOWED_HOSTS")
    assert hosts.value == ["localhost", "127.0.0.1"] and hosts.from_env
    debug = settings.value("site_conf.settings.prod", "DEBUG")
    assert debug.value is False and debug.env == (EnvDefault("DJANGO_DEBUG", False, "bool"),)
    required = settings.value("site_conf.settings.prod", "SECRET_KEY")
    assert required.value is REQUIRED and not required.known
    cookie = settings.value("site_conf.settings.prod", "SESSION_COOKIE_SECURE")
    assert cookie.value is True and cookie.env[0].cast == "bool"


def test_dynamic_code_is_noted_not_run(settings):
    prod = settings.modules["site_conf.settings.prod"]
    assert prod.dynamic == ["line 5: globals().update(...) not evaluated"]
    assert "LATE" not in prod.values


def test_production_and_development_are_guessed_from_names(settings):
    assert settings.is_production("site_conf.settings.prod")
    assert settings.is_development("site_conf.settings.dev")
    assert not settings.is_production("site_conf.settings.base")
    assert settings.is_production("conf.settings_live") and settings.is_development("a.local")


def _evaluate(source: str, file_rel: str = "proj/conf/settings.py"):
    evaluator = Evaluator({}, {}, file_rel)
    return evaluator.evaluate(ast.parse(source, mode="eval").body), evaluator.env


def test_paths_from_file_are_project_relative():
    value, _ = _evaluate('Path(__file__).resolve().parent.parent / "templates"')
    assert value == ProjectPath("proj/templates")
    value, _ = _evaluate('os.path.join(os.path.dirname(__file__), "..", "static")')
    assert value == ProjectPath("proj/static")


def test_env_comparisons_evaluate_with_the_default():
    value, env = _evaluate('os.environ.get("DEBUG", "0") == "1"')
    assert value is False and env == [EnvDefault("DEBUG", "0")]
    value, env = _evaluate('env.list("HOSTS", default=["a"])')
    assert value == ["a"] and env[0].cast == "list"


def test_unknown_calls_stay_unknown():
    assert _evaluate("compute()")[0] is UNKNOWN
    assert _evaluate('"x" + compute()')[0] is UNKNOWN


def test_list_and_dict_env_defaults(settings):
    admins = settings.value("site_conf.settings.prod", "ADMINS")
    assert admins.value == ["ops@example.com"]
    assert admins.env == (EnvDefault("ADMINS", ["ops@example.com"], "list"),)
    caches = settings.value("site_conf.settings.prod", "CACHES")
    assert caches.value == {"default": {"BACKEND": "locmem"}} and caches.env[0].cast == "dict"


def test_branches_on_env_are_both_kept_and_marked_conditional(settings):
    storage = settings.value("site_conf.settings.prod", "STORAGE")
    assert storage.value == "local" and storage.conditional
    # DEBUG depends on DJANGO_DEBUG: the branch may run, so its assignment is kept, marked.
    internal = settings.value("site_conf.settings.prod", "INTERNAL_IPS")
    assert internal.value == ["127.0.0.1"] and internal.conditional
    assert settings.value("site_conf.settings.dev", "INTERNAL_IPS") is None
