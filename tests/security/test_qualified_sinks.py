"""Taint sinks keyed by qualified name: aliases are sinks, look-alikes are not.

Each case is a view module run through the real rule; the aliased form must
give one finding at the sink line, its look-alike twin (the same spelling
bound to another library, or defined in the module) none.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import make_repo, run_tree

# case -> (rule, the aliased module, its look-alike twin)
CASES: dict[str, tuple[str, str, str]] = {
    "from-requests-import-get": (
        "DJR315",
        """
        from requests import get

        def preview(request):
            return get(request.GET["url"], timeout=5)
        """,
        """
        from mylib.http import get

        def preview(request):
            return get(request.GET["url"], timeout=5)
        """,
    ),
    "import-subprocess-as-sp": (
        "DJR305",
        """
        import subprocess as sp

        def convert(request):
            sp.run(f"convert {request.GET['f']} out.png", shell=True)
        """,
        """
        import myjobs as sp

        def convert(request):
            sp.run(f"convert {request.GET['f']} out.png", shell=True)
        """,
    ),
    "from-os-import-system": (
        "DJR305",
        """
        from os import system

        def convert(request):
            system("convert " + request.GET["f"])
        """,
        """
        def system(command):
            return command.split()

        def convert(request):
            system("convert " + request.GET["f"])
        """,
    ),
    "redirect-as-go": (
        "DJR314",
        """
        from django.shortcuts import redirect as go

        def after_login(request):
            return go(request.GET["next"])
        """,
        """
        from mylib import redirect

        def after_login(request):
            return redirect(request.GET["next"])
        """,
    ),
    "function-local-redirect-import": (
        "DJR314",
        """
        def after_login(request):
            from django.http import HttpResponseRedirect as Go
            return Go(request.GET["next"])
        """,
        """
        def redirect(target):
            return target

        def after_login(request):
            return redirect(request.GET["next"])
        """,
    ),
    "mark-safe-as-ms": (
        "DJR311",
        """
        from django.utils.safestring import mark_safe as ms

        def greet(request):
            return ms("<b>%s</b>" % request.GET["name"])
        """,
        """
        from markdown_it.common.utils import mark_safe as ms

        def greet(request):
            return ms("<b>%s</b>" % request.GET["name"])
        """,
    ),
    "yaml-load-alias-and-ruamel-look-alike": (
        "DJR304",
        """
        from yaml import load as yload

        def restore(request):
            return yload(request.body)
        """,
        """
        from ruamel.yaml import YAML

        yaml = YAML(typ="safe")

        def restore(request):
            return yaml.load(request.body)
        """,
    ),
    "pickle-alias": (
        "DJR309",
        """
        from pickle import loads as unpickle

        def restore(request):
            return unpickle(request.body)
        """,
        """
        from json import loads as unpickle

        def restore(request):
            return unpickle(request.body)
        """,
    ),
}


def _findings(tmp_path: Path, body: str, rule: str) -> list[int]:
    root = make_repo(tmp_path / "project")
    app = root / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "views.py").write_text(textwrap.dedent(body).lstrip())
    result = run_tree(root, select=(rule,))
    return [f.location.start_line for f in result.findings if f.rule_id == rule]


@pytest.mark.parametrize("case", sorted(CASES))
def test_aliased_sink_is_found(case: str, tmp_path: Path) -> None:
    rule, aliased, _ = CASES[case]
    lines = _findings(tmp_path, aliased, rule)
    source = textwrap.dedent(aliased).lstrip().splitlines()
    assert len(lines) == 1, lines
    assert "request." in source[lines[0] - 1]


@pytest.mark.parametrize("case", sorted(CASES))
def test_look_alike_is_silent(case: str, tmp_path: Path) -> None:
    rule, _, look_alike = CASES[case]
    assert _findings(tmp_path, look_alike, rule) == []
