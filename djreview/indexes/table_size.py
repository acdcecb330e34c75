"""Which tables are large, judged statically from how the code creates their rows.

An index only pays off on a table that grows. Without running anything, the
evidence is in the code (each kind is named in the finding's message):

- rows created outside tests, migrations and the admin: `create`,
  `bulk_create`, `get_or_create`, `update_or_create` or the model's
  constructor in views, APIs, tasks, helpers or management commands;
- a create endpoint for the model (`CreateView`, DRF `ModelViewSet`,
  `CreateAPIView`, `ListCreateAPIView`, `CreateModelMixin`);
- rows owned by a user (a ForeignKey or OneToOne to the user model), or the
  user model itself;
- timestamped event or log rows (a date/time column on a model named like
  `...Log`, `...Event`, `...History`, `...Activity`).

Rows that only data migrations, fixtures, tests or the admin create
(languages, licences, statuses, roles) leave a table small: no index advice.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from djreview.indexes.model_defs import ModelDef, Schema, dotted
from djreview.source.file import SourceFile
from djreview.source.project import Project

CREATE_METHODS = frozenset({"create", "bulk_create", "get_or_create", "update_or_create"})
CREATE_VIEWS = frozenset(
    {"CreateView", "ModelViewSet", "CreateAPIView", "ListCreateAPIView", "CreateModelMixin"}
)
# Where created rows say nothing about production size.
NOT_EVIDENCE = frozenset({"tests", "test", "migrations", "fixtures", "factories"})
EVENT_NAME = re.compile(
    r"(Log|LogEntry|Event|History|Activity|Action|Change|Record|Notification|Snapshot|Visit"
    r"|Attempt|Audit|Delivery)s?$"
)
TEMPORAL = frozenset({"DateTimeField", "DateField", "CreationDateTimeField", "AutoCreatedField"})
CREATE_HINT = re.compile(r"create|\bCreate|ModelViewSet")
UNPARSED_CREATE = re.compile(
    r"\b([A-Z]\w*)\.objects\.(create|bulk_create|get_or_create|update_or_create)\("
)


@dataclass
class TableSizes:
    """Evidence that a model's table is large, by `app.Model` label (absent: small)."""

    evidence: dict[str, str] = field(default_factory=dict)
    event_rows: set[str] = field(default_factory=set)

    def large(self, model: ModelDef) -> bool:
        """Whether anything in the code says the table grows."""
        return model.key in self.evidence

    def events(self, model: ModelDef) -> bool:
        """Whether the rows are timestamped events or log entries."""
        return model.key in self.event_rows

    def why(self, model: ModelDef) -> str:
        """The evidence, as a clause for a finding's message."""
        return self.evidence.get(model.key, "no evidence the table grows")


def _counts(rel: str, base: str) -> bool:
    if base and rel.startswith(f"{base}/"):
        rel = rel[len(base) + 1 :]
    parts = PurePosixPath(rel).parts
    name = parts[-1]
    folders = {p.lower() for p in parts[:-1]}
    return not (
        folders & NOT_EVIDENCE
        or name.startswith(("test_", "tests", "conftest", "factories"))
        or name == "admin.py"
        or "admin" in folders
    )


def _where(rel: str) -> str:
    return "a management command" if "commands" in PurePosixPath(rel).parts else rel


def read_sizes(project: Project, schema: Schema, base: str, context: str) -> TableSizes:
    """Size evidence for every project model.

    `base` (the folder holding the apps) is left out of paths, so a project
    that itself lives under a `fixtures/` or `tests/` folder still counts.
    `context` fingerprints the schema and the modules' names, for the
    per-file evidence a server session keeps (`Project.per_file`).
    """
    sizes = TableSizes()
    user = schema.index.user_model_label or ""
    for model in schema.models.values():
        if model.key == user:
            sizes.evidence[model.key] = "the user table"
    by_name: dict[str, list[ModelDef]] = {}
    for model in schema.models.values():
        by_name.setdefault(model.name, []).append(model)
    names = {name: models[0] for name, models in by_name.items() if len(models) == 1}
    for file in project.python_files:
        if not _counts(file.rel, base) or not project.per_file(
            "index-create-hint", file, "", lambda f: bool(CREATE_HINT.search(f.text))
        ):
            continue
        if file.tree is None:
            _unparsed_creations(file, names, sizes)
        else:
            found = project.per_file(
                "index-sizes", file, context, lambda f: creations_for_file(f, schema)
            )
            for key, evidence in found:
                sizes.evidence.setdefault(key, evidence)
    for model in schema.models.values():
        if EVENT_NAME.search(model.name) and any(
            f.kind in TEMPORAL or f.base_type in TEMPORAL for f in model.fields.values()
        ):
            sizes.event_rows.add(model.key)
        if model.key in sizes.evidence:
            continue
        owner = next(
            (f.name for f in model.fields.values() if f.relation and user and f.target == user),
            None,
        )
        if owner is not None:
            sizes.evidence[model.key] = f"rows owned by a user ({owner})"
        elif model.key in sizes.event_rows:
            sizes.evidence[model.key] = "timestamped event rows"
    return sizes


def _unparsed_creations(file: SourceFile, names: dict[str, ModelDef], sizes: TableSizes) -> None:
    """Creation calls in a file Python 3 cannot parse (old Python 2 modules), by class name."""
    for match in UNPARSED_CREATE.finditer(file.text):
        model = names.get(match.group(1))
        if model is not None:
            sizes.evidence.setdefault(
                model.key, f"rows created by {match.group(2)}() in {_where(file.rel)}"
            )


def creations_for_file(file: SourceFile, schema: Schema) -> tuple[tuple[str, str], ...]:
    """(model key, evidence) of the rows `file` creates, in source order (the first counts)."""
    found: list[tuple[str, str]] = []
    for call in file.nodes_of(ast.Call):
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in CREATE_METHODS:
            owner = func.value
            root = owner.value if isinstance(owner, ast.Attribute) else None
            if isinstance(root, ast.Name | ast.Attribute):
                model = schema.of_expr(file, root)
                if model is not None:
                    found.append(
                        (model.key, f"rows created by {func.attr}() in {_where(file.rel)}")
                    )
    for node in file.nodes_of(ast.ClassDef):
        bases = {dotted(b).split(".")[-1] for b in node.bases}
        if not bases & CREATE_VIEWS:
            continue
        for statement in node.body:
            if isinstance(statement, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id in ("model", "queryset") for t in statement.targets
            ):
                value = statement.value
                while isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
                    value = value.func.value
                if isinstance(value, ast.Attribute) and value.attr == "objects":
                    value = value.value
                model = schema.of_expr(file, value) if isinstance(value, ast.expr) else None
                if model is not None:
                    found.append((model.key, f"rows created through {node.name} in {file.rel}"))
    return tuple(found)
