"""Settings bound through the settings module's own helpers (`set_option("NAME", value)`)."""

from __future__ import annotations

from helpers import make_repo, run_tree, write_tree

_HELPERS = (
    "import os\n\n\n"
    "def set_option(name, value):\n"
    "    return _set_option(name, value, globals())\n\n\n"
    "def _set_option(name, value, context):\n"
    "    if name in os.environ:\n"
    "        context[name] = os.environ[name]\n"
    "    elif name not in context:\n"
    "        context[name] = value\n\n\n"
    "def set_from_env(name, default=None):\n"
    "    return _set_from_env(name, globals(), default)\n\n\n"
    "def _set_from_env(name, context, default):\n"
    "    if default is None and name not in os.environ:\n"
    "        return\n"
    "    context[name] = os.environ.get(name, default)\n\n\n"
    "SECRET_KEY = os.environ['SECRET_KEY']\n"
    "SECURE_SSL_REDIRECT = False\n"
)


def _rules(tmp_path, tail: str) -> list[str]:
    root = make_repo(tmp_path)
    write_tree(
        root,
        {
            "site/__init__.py": "",
            "site/settings.py": _HELPERS + tail,
            "site/wsgi.py": "import os\n\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
        },
    )
    return sorted({f.rule_id for f in run_tree(root, select=("DJR406",)).active})


def test_a_helper_handing_globals_to_a_setter_binds_the_setting(tmp_path) -> None:
    assert _rules(tmp_path, "set_option('SECURE_HSTS_SECONDS', 31536000)\n") == []


def test_a_helper_call_without_a_value_binds_nothing(tmp_path) -> None:
    assert _rules(tmp_path, "set_from_env('SECURE_HSTS_SECONDS')\n") == ["DJR406"]


def test_a_function_that_binds_no_global_sets_nothing(tmp_path) -> None:
    tail = (
        "\n\ndef note(name, value):\n    print(name, value)\n\n\nnote('SECURE_HSTS_SECONDS', 1)\n"
    )
    assert _rules(tmp_path, tail) == ["DJR406"]
