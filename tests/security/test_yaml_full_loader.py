"""DJR304 and PyYAML's full loader: safe since 5.4, reported where the project pins older."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_repo, run_tree, write_tree

MODULE = """\
import yaml


def read_schema(name):
    with open(f"schemas/{name}") as f:
        return yaml.load(f, Loader=yaml.FullLoader)
"""


def _djr304_lines(root: Path) -> list[int]:
    result = run_tree(root, select=("DJR304",))
    return [f.location.start_line for f in result.findings if f.rule_id == "DJR304"]


@pytest.mark.parametrize(
    ("pin_file", "pin"),
    [
        ("requirements.txt", "PyYAML==5.3.1\n"),
        ("requirements/base.txt", "pyyaml<5.4\n"),
        ("pyproject.toml", '[project]\ndependencies = ["pyyaml ~= 5.3.1"]\n'),
        ("setup.py", 'install_requires=["PyYAML<=5.1"]\n'),
    ],
)
def test_full_loader_reported_when_the_project_pins_pyyaml_below_5_4(
    tmp_path: Path, pin_file: str, pin: str
) -> None:
    root = write_tree(make_repo(tmp_path), {"app/schema.py": MODULE, pin_file: pin})
    assert _djr304_lines(root) == [6]


@pytest.mark.parametrize(
    "pin",
    ["", "PyYAML==6.0.1\n", "pyyaml>=5.1\n", "pyyaml<6\n", "pyyaml~=5.3\n", "pyyaml<5.4.1\n"],
)
def test_full_loader_not_reported_when_5_4_or_later_can_be_installed(
    tmp_path: Path, pin: str
) -> None:
    files = {"app/schema.py": MODULE}
    if pin:
        files["requirements.txt"] = pin
    root = write_tree(make_repo(tmp_path), files)
    assert _djr304_lines(root) == []


def test_unsafe_loader_reported_whatever_the_pin(tmp_path: Path) -> None:
    module = MODULE.replace("yaml.FullLoader", "yaml.UnsafeLoader")
    files = {"app/schema.py": module, "requirements.txt": "PyYAML==6.0.1\n"}
    root = write_tree(make_repo(tmp_path), files)
    assert _djr304_lines(root) == [6]
