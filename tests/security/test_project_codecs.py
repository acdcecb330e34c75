"""The project's own safe YAML loaders (DJR304) and pickled model fields it alone fills
(DJR325), resolved across modules."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_repo, run_tree, write_tree


def _lines(tmp_path: Path, files: dict[str, str], rule: str) -> list[tuple[str, int]]:
    result = run_tree(write_tree(make_repo(tmp_path), files), select=(rule,))
    return [(f.location.path, f.location.start_line) for f in result.findings if f.rule_id == rule]


BASE_LOADER = "import yaml\n\n\nclass BaseLoader(yaml.{base}):\n    pass\n"
LOADER = "from conf.base_loader import BaseLoader\n\n\nclass Loader(BaseLoader):\n    pass\n"
USE = """\
import yaml

from conf import loader


def read(f):
    return yaml.load(f, loader.Loader)
"""


@pytest.mark.parametrize(
    ("base", "reported"),
    [("SafeLoader", False), ("CSafeLoader", False), ("Loader", True), ("UnsafeLoader", True)],
)
def test_project_loader_judged_by_the_pyyaml_loader_it_reaches(
    tmp_path: Path, base: str, reported: bool
) -> None:
    files = {
        "conf/__init__.py": "",
        "conf/base_loader.py": BASE_LOADER.format(base=base),
        "conf/loader.py": LOADER,
        "conf/use.py": USE,
    }
    assert _lines(tmp_path, files, "DJR304") == ([("conf/use.py", 7)] if reported else [])
