"""The `ast.parse` floor: read every .py file under a tree and parse it with stdlib ast.

    python bench/floor.py TREE

No tool that parses every file with CPython's parser can be faster than this.
"""

from __future__ import annotations

import ast
import os
import sys
import warnings
from pathlib import Path

SKIP = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox"}


def python_files(root: Path) -> list[Path]:
    """Every .py file under root, outside VCS and virtualenv folders."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP)
        found += [Path(folder, name) for name in sorted(files) if name.endswith(".py")]
    return found


def main() -> None:
    """Parse every file; print how many parsed and how many did not."""
    warnings.simplefilter("ignore")
    parsed = failed = 0
    for path in python_files(Path(sys.argv[1])):
        try:
            ast.parse(path.read_bytes())
            parsed += 1
        except (SyntaxError, ValueError, OSError, RecursionError, MemoryError):
            failed += 1
    print(f"{parsed} parsed, {failed} failed")


if __name__ == "__main__":
    main()
