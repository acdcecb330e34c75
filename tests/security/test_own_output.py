"""Values a module makes or keeps for itself: a script's output, its own pickles, ids."""

from __future__ import annotations

from helpers import make_repo, run_tree, write_tree

_SCRIPT = (
    "import sys\n\n\n"
    "def main(token):\n"
    "    print('Access Token: %s' % token)\n\n\n"
    "if __name__ == '__main__':\n"
    "    main(sys.argv[1])\n"
)


def _findings(root, files, select=("security",)):
    write_tree(make_repo(root), files)
    return sorted(
        (f.rule_id, f.location.path, f.location.start_line)
        for f in run_tree(root, select=select).active
    )


def test_print_in_a_script_nothing_imports_is_its_output(tmp_path) -> None:
    files = {"mail/__init__.py": "", "mail/oauth.py": _SCRIPT}
    tested = {**files, "tests/test_oauth.py": "from mail.oauth import main\n"}
    assert _findings(tmp_path / "alone", files) == []
    assert _findings(tmp_path / "tested", tested) == []


def test_print_in_a_script_the_project_imports_is_reported(tmp_path) -> None:
    found = [("DJR608", "mail/oauth.py", 5)]
    for name, importer in [
        ("relative", "from . import oauth\n"),
        ("absolute", "import mail.oauth\n"),
        ("in_function", "def f():\n    from mail.oauth import main\n"),
        ("dotted_string", "TASK = 'mail.oauth.main'\n"),
    ]:
        files = {"mail/__init__.py": "", "mail/oauth.py": _SCRIPT, "mail/views.py": importer}
        assert _findings(tmp_path / name, files) == found, name


def test_print_in_a_module_without_a_main_block_is_reported(tmp_path) -> None:
    library = _SCRIPT.rpartition("if __name__")[0]
    files = {"mail/__init__.py": "", "mail/oauth.py": library}
    assert _findings(tmp_path, files) == [("DJR608", "mail/oauth.py", 5)]
