"""Callees resolved through the imports: aliases match, look-alikes and local names do not."""

from __future__ import annotations

import ast

from djreview.taint.names import imported_names, qualified_callee


def _callees(source: str) -> list[str]:
    tree = ast.parse(source)
    names = imported_names(tree)
    return [qualified_callee(n.func, names) for n in ast.walk(tree) if isinstance(n, ast.Call)]


def test_module_alias_resolves_to_the_module() -> None:
    assert _callees("import subprocess as sp\nsp.run(x)\n") == ["subprocess.run"]


def test_function_local_from_import_alias_resolves() -> None:
    source = "def f():\n    from django.shortcuts import redirect as go\n    return go(u)\n"
    assert _callees(source) == ["django.shortcuts.redirect"]


def test_look_alike_import_keeps_its_own_module() -> None:
    assert _callees("from mylib import redirect\nredirect(u)\n") == ["mylib.redirect"]


def test_local_variable_named_like_a_module_is_local() -> None:
    source = "from ruamel.yaml import YAML\nyaml = YAML()\nyaml.load(s)\n"
    assert "yaml.load" not in _callees(source)
    assert "<local>.yaml.load" in _callees(source)


def test_from_requests_import_get() -> None:
    assert _callees("from requests import get\nget(url)\n") == ["requests.get"]
