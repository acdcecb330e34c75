"""pre-commit: the hooks manifest is valid and `pre-commit try-repo` installs and runs it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_repo
from integrations.gitrepo import git

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
OLD = (
    "from django.utils.safestring import mark_safe\n\n\n"
    "def banner(request):\n    return mark_safe(request.GET['b'])\n"
)
STATUS_RE = re.compile(r"^(\S.*?)\.{3,}(?:Passed|Failed|Skipped)$")
NEW = "\n\ndef other(request):\n    return mark_safe(request.GET['c'])\n"


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [str(PRE_COMMIT), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def test_manifest_and_config_are_valid(tmp_path: Path) -> None:
    manifest = pre_commit("validate-manifest", ".pre-commit-hooks.yaml", cwd=ROOT, home=tmp_path)
    assert manifest.returncode == 0, manifest.stdout + manifest.stderr
    config = pre_commit("validate-config", ".pre-commit-config.yaml", cwd=ROOT, home=tmp_path)
    assert config.returncode == 0, config.stdout + config.stderr


def hook_outputs(text: str) -> dict[str, str]:
    """What each hook printed, by hook name (from `pre-commit --verbose` output)."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        status = STATUS_RE.match(line)
        if status:
            current = sections.setdefault(status.group(1), [])
        else:
            current.append(line)
    return {name: "\n".join(lines) for name, lines in sections.items()}


@pytest.mark.slow
def test_try_repo_installs_and_runs_both_hooks(tmp_path: Path) -> None:
    # try-repo builds djreview into pre-commit's own virtualenv. It gets a
    # clone of the committed tree: other people's uncommitted work in a
    # shared checkout must not decide whether the package installs.
    if not (ROOT / ".git").exists():
        pytest.skip("try-repo needs djreview as a git repository")
    clone = tmp_path / "djreview"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", clone / ".pre-commit-hooks.yaml")
    git(clone, "commit", "-q", "--allow-empty", "-am", "current hooks manifest")
    project = make_repo(tmp_path / "project")
    (project / "views.py").write_text(OLD)
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "old code")
    (project / "views.py").write_text(OLD + NEW)
    git(project, "add", "views.py")
    (project / "scratch.py").write_text(OLD)  # untracked: not part of the commit

    out = pre_commit("try-repo", str(clone), "--verbose", cwd=project, home=tmp_path / "home")
    assert out.returncode == 1, out.stdout + out.stderr
    hooks = hook_outputs(out.stdout)
    changed, whole = hooks["djreview (changed lines)"], hooks["djreview (whole project)"]
    assert re.findall(r"^(\w+\.py:\d+):", changed, re.M) == ["views.py:9"]
    assert re.findall(r"^(\w+\.py:\d+):", whole, re.M) == [
        "scratch.py:5",
        "views.py:5",
        "views.py:9",
    ]
