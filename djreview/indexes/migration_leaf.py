"""An app's migrations folder, read statically: the leaf a new migration depends on.

The indexes migrations create come from the shared project model
(`ProjectModel.migration_indexes`); this module only finds the app's latest
migration, as `makemigrations` does, to number and chain new ones.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from djreview.indexes.model_defs import literal_strings
from djreview.source.file import SourceFile
from djreview.source.project import Project

MIGRATION_NAME = re.compile(r"^(\d{4})_\w+\.py$")


@dataclass
class AppMigrations:
    """An app's migrations folder and its leaf migration."""

    app: str
    folder: str
    leaf: str = ""

    @property
    def next_number(self) -> int:
        """The number `makemigrations` gives the next migration."""
        return int(self.leaf[:4]) + 1 if self.leaf[:4].isdigit() else 1


def _dependencies(tree: ast.Module, app: str) -> set[str]:
    """Same-app migrations this one depends on (`dependencies` in a top-level class body)."""
    depends: set[str] = set()
    statements = [s for c in tree.body if isinstance(c, ast.ClassDef) for s in c.body]
    for node in statements:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "dependencies" for t in node.targets)
            and isinstance(node.value, ast.List | ast.Tuple)
        ):
            for item in node.value.elts:
                pair = literal_strings(item)
                if len(pair) == 2 and pair[0] == app:
                    depends.add(pair[1])
    return depends


def read_migrations(project: Project, app: str, app_dir: str) -> AppMigrations:
    """Find the leaf of `<app_dir>/migrations` (from the run's files, else from disk)."""
    folder = f"{app_dir}/migrations" if app_dir not in ("", ".") else "migrations"
    found = AppMigrations(app, folder)
    directory = Path(project.root, folder)
    names = sorted(p.name for p in directory.glob("*.py")) if directory.is_dir() else []
    migrations: set[str] = set()
    depended: set[str] = set()
    for name in names:
        if not MIGRATION_NAME.match(name):
            continue
        source = project.by_rel.get(f"{folder}/{name}")
        if source is not None and source.tree is not None:
            # Kept per file by a session: a migration's dependencies read only its file.
            depended |= project.per_file(
                "migration-dependencies", source, app, lambda f: _file_dependencies(f, app)
            )
        else:
            tree = _parse(directory / name) if source is None else None
            if tree is None:
                continue
            depended |= _dependencies(tree, app)
        migrations.add(name[:-3])
    leaves = sorted(migrations - depended)
    found.leaf = leaves[-1] if leaves else (max(migrations) if migrations else "")
    return found


def _file_dependencies(file: SourceFile, app: str) -> frozenset[str]:
    tree = file.tree
    return frozenset(_dependencies(tree, app)) if tree is not None else frozenset()


def _parse(path: Path) -> ast.Module | None:
    """Parse a migration the run did not read (excluded by the user's config)."""
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return None
