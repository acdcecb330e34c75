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


def _project(tmp_path, tail: str):
    """A deployed `site.settings` made of the helpers above and `tail`."""
    root = make_repo(tmp_path)
    return write_tree(
        root,
        {
            "site/__init__.py": "",
            "site/settings.py": _HELPERS + tail,
            "site/wsgi.py": "import os\n\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
        },
    )


def _rules(tmp_path, tail: str) -> list[str]:
    return sorted(
        {f.rule_id for f in run_tree(_project(tmp_path, tail), select=("DJR406",)).active}
    )


def test_a_helper_handing_globals_to_a_setter_binds_the_setting(tmp_path) -> None:
    assert _rules(tmp_path, "set_option('SECURE_HSTS_SECONDS', 31536000)\n") == []


def test_a_helper_call_without_a_value_binds_nothing(tmp_path) -> None:
    assert _rules(tmp_path, "set_from_env('SECURE_HSTS_SECONDS')\n") == ["DJR406"]


def test_a_function_that_binds_no_global_sets_nothing(tmp_path) -> None:
    tail = (
        "\n\ndef note(name, value):\n    print(name, value)\n\n\nnote('SECURE_HSTS_SECONDS', 1)\n"
    )
    assert _rules(tmp_path, tail) == ["DJR406"]


def _debug_messages(tmp_path, tail: str) -> list[str]:
    return [f.message for f in run_tree(_project(tmp_path, tail), select=("DJR401",)).active]


def test_a_setter_that_reads_no_environment_binds_a_plain_value(tmp_path) -> None:
    # A plain `globals()[name] = value` setter: DEBUG is True, not "True when DEBUG is unset".
    plain = "\n\ndef put(name, value):\n    globals()[name] = value\n\n\nput('DEBUG', True)\n"
    (message,) = _debug_messages(tmp_path / "plain", plain)
    assert message.startswith("DEBUG is True in ")
    (env_message,) = _debug_messages(tmp_path / "env", "set_option('DEBUG', True)\n")
    assert env_message.startswith("DEBUG is True when DEBUG is unset")
