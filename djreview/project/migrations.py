"""Migrations read as evidence of indexes created outside the models.

`AddIndex`, `AddField`/`AlterField` with `db_index=True`/`unique=True`,
`AddConstraint` with a `UniqueConstraint`, `AlterIndexTogether`/
`AlterUniqueTogether` and `RunSQL("CREATE INDEX ... ON table (cols)")` each
become a MigrationIndex with the model label (when known) and its columns.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from djreview.model import Location
from djreview.project.literals import (
    call_name,
    keyword,
    literal_bool,
    literal_str,
    nested_string_sequences,
    string_sequence,
)
from djreview.project.modules import ModuleInfo

_CREATE_INDEX = re.compile(
    r"CREATE\s+(?P<unique>UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"
    r"(?P<name>[\w\"`.]+)?\s*ON\s+(?:ONLY\s+)?(?P<table>[\w\"`.]+)\s*"
    r"(?:USING\s+(?P<kind>\w+)\s*)?\((?P<columns>[^;]*?)\)(?:\s*WHERE\s+(?P<where>.+))?",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class MigrationIndex:
    """An index (or unique constraint) a migration creates.

    `model` is the model label when known, `table` the table name for raw SQL;
    `fields` are model field names (or raw SQL column text); `operation` names
    the migration operation it came from.
    """

    app_label: str
    model: str | None
    table: str | None
    fields: tuple[str, ...]
    operation: str
    location: Location
    name: str | None = None
    unique: bool = False
    condition: bool = False
    kind: str = "btree"


def _operations(module: ModuleInfo) -> Iterator[ast.Call]:
    for node in module.defs.values():
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            if (
                isinstance(statement, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "operations" for t in statement.targets)
                and isinstance(statement.value, ast.List | ast.Tuple)
            ):
                yield from (op for op in statement.value.elts if isinstance(op, ast.Call))


def _sql_strings(call: ast.Call) -> Iterator[str]:
    sql = call.args[0] if call.args else keyword(call, "sql")
    values = sql.elts if isinstance(sql, ast.List | ast.Tuple) else [sql] if sql is not None else []
    for value in values:
        if isinstance(value, ast.Tuple) and value.elts:
            value = value.elts[0]
        text = literal_str(value)
        if text is not None:
            yield text


def read_migration(
    module: ModuleInfo, app_label: str, model_label: Callable[[str, str], str | None]
) -> list[MigrationIndex]:
    """The indexes one migration module creates; `model_label(app, model_name)` finds labels."""
    found: list[MigrationIndex] = []
    location = module.file.node_location
    for call in _operations(module):
        operation = call_name(call) or ""
        model_name = literal_str(keyword(call, "model_name") or keyword(call, "name"))
        label = model_label(app_label, model_name) if model_name else None
        if operation == "AddIndex":
            index = keyword(call, "index")
            if isinstance(index, ast.Call):
                found.append(
                    MigrationIndex(
                        app_label,
                        label,
                        None,
                        string_sequence(keyword(index, "fields")) or (),
                        operation,
                        location(call),
                        literal_str(keyword(index, "name")),
                        condition=keyword(index, "condition") is not None,
                        kind=(call_name(index) or "Index").removesuffix("Index").lower() or "btree",
                    )
                )
        elif operation == "AddConstraint":
            constraint = keyword(call, "constraint")
            if isinstance(constraint, ast.Call) and call_name(constraint) == "UniqueConstraint":
                found.append(
                    MigrationIndex(
                        app_label,
                        label,
                        None,
                        string_sequence(keyword(constraint, "fields")) or (),
                        operation,
                        location(call),
                        literal_str(keyword(constraint, "name")),
                        unique=True,
                        condition=keyword(constraint, "condition") is not None,
                    )
                )
        elif operation in ("AddField", "AlterField"):
            field = keyword(call, "field")
            field_name = literal_str(keyword(call, "name"))
            label = (
                model_label(app_label, model_name)
                if (model_name := literal_str(keyword(call, "model_name")))
                else None
            )
            if isinstance(field, ast.Call) and field_name:
                unique = literal_bool(keyword(field, "unique")) is True
                if unique or literal_bool(keyword(field, "db_index")) is True:
                    found.append(
                        MigrationIndex(
                            app_label,
                            label,
                            None,
                            (field_name,),
                            operation,
                            location(call),
                            unique=unique,
                        )
                    )
        elif operation in ("AlterIndexTogether", "AlterUniqueTogether"):
            groups = (
                nested_string_sequences(
                    keyword(call, "index_together") or keyword(call, "unique_together")
                )
                or ()
            )
            for group in groups:
                found.append(
                    MigrationIndex(
                        app_label,
                        label,
                        None,
                        group,
                        operation,
                        location(call),
                        unique=operation == "AlterUniqueTogether",
                    )
                )
        elif operation == "RunSQL":
            found.extend(_run_sql(call, app_label, location(call)))
    return found


def _run_sql(call: ast.Call, app_label: str, where: Location) -> Iterator[MigrationIndex]:
    for sql in _sql_strings(call):
        for match in _CREATE_INDEX.finditer(sql):
            columns = tuple(
                part.strip().strip('"`').split()[0]
                for part in match["columns"].split(",")
                if part.strip()
            )
            yield MigrationIndex(
                app_label,
                None,
                match["table"].strip('"`'),
                columns,
                "RunSQL",
                where,
                name=(match["name"] or "").strip('"`') or None,
                unique=bool(match["unique"]),
                condition=bool(match["where"]),
                kind=(match["kind"] or "btree").lower(),
            )
