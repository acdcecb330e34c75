"""An app's migrations, read statically: the leaf to depend on and the indexes they create.

Indexes a migration creates by hand (`RunSQL("CREATE INDEX ...")`) are
invisible to the models but real in the database, so they count as coverage.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from djreview.engine.project import Project
from djreview.indexes.schema import dotted, keyword, literal_strings

MIGRATION_NAME = re.compile(r"^(\d{4})_\w+\.py$")
CREATE_INDEX = re.compile(
    r"CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"
    r"[\"`]?\w+[\"`]?\s+ON\s+[\"`]?(\w+)[\"`]?\s*(?:USING\s+\w+\s*)?\(([^)]*)\)",
    re.IGNORECASE,
)


@dataclass
class AppMigrations:
    """What an app's migrations folder tells the index rules."""

    app: str
    folder: str
    leaf: str = ""
    # (model name lowercased, field names) created by AddIndex / AlterField.
    model_indexes: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    # (table, column names) created by RunSQL.
    sql_indexes: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    @property
    def next_number(self) -> int:
        """The number `makemigrations` gives the next migration."""
        return int(self.leaf[:4]) + 1 if self.leaf[:4].isdigit() else 1


def _sql_strings(node: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _operations(tree: ast.Module, found: AppMigrations) -> set[str]:
    """Record the indexes of one migration; return its same-app dependencies."""
    depends: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "dependencies" for t in node.targets)
            and isinstance(node.value, ast.List | ast.Tuple)
        ):
            for item in node.value.elts:
                pair = literal_strings(item)
                if len(pair) == 2 and pair[0] == found.app:
                    depends.add(pair[1])
        if not isinstance(node, ast.Call):
            continue
        operation = dotted(node.func).split(".")[-1]
        model = keyword(node, "model_name")
        model_name = (
            model.value.lower()
            if isinstance(model, ast.Constant) and isinstance(model.value, str)
            else ""
        )
        if operation == "AddIndex":
            index = keyword(node, "index")
            if isinstance(index, ast.Call) and keyword(index, "condition") is None:
                fields = tuple(s.lstrip("-") for s in literal_strings(keyword(index, "fields")))
                if fields:
                    found.model_indexes.append((model_name, fields))
        elif operation == "AlterField":
            definition = keyword(node, "field")
            name = keyword(node, "name")
            if isinstance(definition, ast.Call) and isinstance(name, ast.Constant):
                flag = keyword(definition, "db_index")
                if isinstance(flag, ast.Constant) and flag.value is True:
                    found.model_indexes.append((model_name, (str(name.value),)))
        elif operation == "RunSQL":
            sql = keyword(node, "sql") or (node.args[0] if node.args else None)
            for text in _sql_strings(sql) if sql is not None else []:
                for table, columns in CREATE_INDEX.findall(text):
                    cols = tuple(
                        c.strip().strip('"`').split()[0] for c in columns.split(",") if c.strip()
                    )
                    found.sql_indexes.append((table, cols))
    return depends


def read_migrations(project: Project, app: str, app_dir: str) -> AppMigrations:
    """Read `<app_dir>/migrations/*.py` (from the run's files, else from disk)."""
    folder = f"{app_dir}/migrations" if app_dir not in ("", ".") else "migrations"
    found = AppMigrations(app, folder)
    directory = Path(project.root, folder)
    names = sorted(p.name for p in directory.glob("*.py")) if directory.is_dir() else []
    migrations: set[str] = set()
    depended: set[str] = set()
    for name in names:
        if not MIGRATION_NAME.match(name):
            continue
        rel = f"{folder}/{name}"
        source = project.by_rel.get(rel)
        tree = source.tree if source is not None else _parse(directory / name)
        if tree is None:
            continue
        migrations.add(name[:-3])
        depended |= _operations(tree, found)
    leaves = sorted(migrations - depended)
    found.leaf = leaves[-1] if leaves else (max(migrations) if migrations else "")
    return found


def _parse(path: Path) -> ast.Module | None:
    """Parse a migration the run did not read (excluded by the user's config)."""
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return None
