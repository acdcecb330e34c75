"""Which tables are large, judged statically from how the code creates their rows.

An index only pays off on a table that grows. Without running anything, the
evidence is in the code (each kind is named in the finding's message):

- rows created outside tests, migrations and the admin: `create`,
  `bulk_create`, `get_or_create`, `update_or_create` or the model's
  constructor in views, APIs, tasks, helpers or management commands;
- a create endpoint for the model (`CreateView`, DRF `ModelViewSet`,
  `CreateAPIView`, `ListCreateAPIView`, `CreateModelMixin`), unless its
  `permission_classes` keep writes to staff (`IsAdminUser`, `IsStaff...`);
- rows owned by a user (a ForeignKey or OneToOne to the user model) that
  also hang off a growing table (a user's comments, each on an issue), or
  the user model itself; a user key alone says who owns the rows, not how
  many (a few experiments staff own, the messages admins send), and a
  model registered in the admin that nothing else creates and whose user
  columns are all nullable (an audit `creator`: staff-entered content)
  holds what staff type in;
- timestamped event or log rows (a model named like `...Log`, `...Event`,
  `...History`, `...Activity` with a column that stamps the row when it is
  written: `auto_now_add`, `default=timezone.now`; a calendar `Event` whose
  date someone types in is content, not a log).

Rows that only data migrations, fixtures, tests or the admin create
(a module named for the admin: `admin.py`, `admin_actions.py`,
`leadadmin.py`; a ModelAdmin class or an admin action `(modeladmin, request,
queryset)` in any module: an import button)
(languages, licences, statuses, roles) leave a table small: no index advice.
So do rows only a development-data generator makes: a module or folder
named for test, demo, sample, fake, dummy or seed data (`create_test_events`,
`createfakethreads`, `dummy_data_task`, `workspace_seed_task`,
`cypress_testserver`, `initial_data`): like a fixture, it fills a
developer's database or a new tenant's demo, not production's.

Rows written for each saved row of another model (a `post_save`/`pre_save`
receiver with `sender=Model`, a signal connected with `sender=`, the
model's own `save()`) grow as that model does: evidence only when that
model's table grows (a profile per new user: large; a history row per
renamed locale: a handful). A `post_migrate` receiver runs with the
migrations: no evidence, like a data migration.
So does a reference table: a model with no ForeignKey or OneToOne of its
own and no date/time column that other models point to (platforms, job
types, signatures), whose
rows are only ever created once per distinct value (`get_or_create`,
`update_or_create`) or through an endpoint, never by plain `create()` or
`bulk_create()`; unless it is the user model or logs events. Dimension rows
made that way stay few.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from djreview.indexes.lookups import ONE_OFF
from djreview.indexes.model_defs import FieldDef, ModelDef, Schema, dotted, keyword
from djreview.source.file import SourceFile
from djreview.source.project import Project

CREATE_METHODS = frozenset({"create", "bulk_create", "get_or_create", "update_or_create"})
# Creation that adds rows whatever exists; get_or_create/update_or_create add one per value.
PLAIN_CREATE = frozenset({"create", "bulk_create"})
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
# Field classes (django-extensions, django-model-utils) that stamp the row when written.
AUTO_STAMPED = frozenset(
    {
        "CreationDateTimeField",
        "AutoCreatedField",
        "ModificationDateTimeField",
        "AutoLastModifiedField",
    }
)
# Permission classes that keep writes to staff (DRF's IsAdminUser, IsStaffOrReadOnly...).
STAFF_PERMISSION = re.compile(r"(Admin|Staff|Superuser|SuperUser)\w*$")
# Signals sent while migrating: what their receivers create is seed data, like a data migration.
MIGRATE_SIGNALS = frozenset({"post_migrate", "pre_migrate"})
# Marks a function whose creations are no evidence at all (a post_migrate receiver).
MIGRATING = "-"
# Base classes of admin code (`admin.ModelAdmin`, a project's `...ModelAdmin`, inlines).
ADMIN_BASE_SUFFIXES = ("Admin", "Inline")
# A module named for the admin: admin.py, admin_actions.py, leadadmin.py.
ADMIN_MODULE = re.compile(r"^admin(?:_|$)|admin$")
# The parameters Django calls an admin action with.
ADMIN_ACTION_PARAMETERS = ["modeladmin", "request", "queryset"]
COMMAND = "a management command"
# A path part named for development data: `create_test_events`, `createfakethreads`,
# `dummy_data_task`, `workspace_seed_task`, `cypress_testserver`, `initial_data`.
DEV_DATA = re.compile(
    r"(?:^|_)(?:tests?|testdata|testserver|samples?|demo|seeds?|initial_data)(?:_|$)|fake|dummy"
)
CREATE_HINT = re.compile(r"create|\bCreate|ModelViewSet")
UNPARSED_CREATE = re.compile(
    r"\b([A-Z]\w*)\.objects\.(create|bulk_create|get_or_create|update_or_create)\("
)


@dataclass
class TableSizes:
    """Evidence that a model's table is large, by `app.Model` label (absent: small)."""

    evidence: dict[str, str] = field(default_factory=dict)
    event_rows: set[str] = field(default_factory=set)
    # Reference tables whose creation evidence was discounted, and why.
    reference: dict[str, str] = field(default_factory=dict)
    # Models whose rows some code creates one by one or in bulk (create, bulk_create).
    plain_created: set[str] = field(default_factory=set)
    # Models whose rows are only written for each saved row of others: model -> (that
    # model's key, the creation's evidence) per site; evidence when that model grows.
    per_row: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def large(self, model: ModelDef) -> bool:
        """Whether anything in the code says the table grows."""
        return model.key in self.evidence

    def events(self, model: ModelDef) -> bool:
        """Whether the rows are timestamped events or log entries."""
        return model.key in self.event_rows

    def why(self, model: ModelDef) -> str:
        """The evidence, as a clause for a finding's message."""
        return self.evidence.get(
            model.key, self.reference.get(model.key, "no evidence the table grows")
        )


@functools.lru_cache(maxsize=16384)
def _counts(rel: str, base: str) -> bool:
    """Whether creations in `rel` are evidence (memoised: a session asks after every edit)."""
    if base and rel.startswith(f"{base}/"):
        rel = rel[len(base) + 1 :]
    parts = PurePosixPath(rel).parts
    name = parts[-1]
    folders = {p.lower() for p in parts[:-1]}
    return not (
        folders & NOT_EVIDENCE
        or name.startswith(("test_", "tests", "conftest", "factories", "factory."))
        or ONE_OFF.match(name) is not None
        or ADMIN_MODULE.search(PurePosixPath(name).stem.lower()) is not None
        or "admin" in folders
        or any(DEV_DATA.search(PurePosixPath(part).stem.lower()) for part in parts)
    )


def _by_command(evidence: str) -> bool:
    """Whether the evidence is a management command's creation (what an operator runs)."""
    return evidence.endswith(COMMAND)


def _where(rel: str) -> str:
    return COMMAND if "commands" in PurePosixPath(rel).parts else rel


def read_sizes(project: Project, schema: Schema, base: str, context: str) -> TableSizes:
    """Size evidence for every project model.

    `base` (the folder holding the apps) is left out of paths, so a project
    that itself lives under a `fixtures/` or `tests/` folder still counts.
    `context` fingerprints the schema and the modules' names, for the
    per-file evidence a server session keeps (`Project.per_file`).
    """
    sizes = TableSizes()
    user = schema.index.user_model_label or ""
    admin = {info.model.label for info in schema.index.admin}
    # Models some code creates from run-time values (not only constant-keyed get_or_create).
    keyed: set[str] = set()
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
            keyed.update(_unparsed_creations(file, names, sizes))
        else:
            found = project.per_file(
                "index-sizes", file, context, lambda f: creations_for_file(f, schema)
            )
            for key, evidence, kind, parent in found:
                if kind == "plain":
                    sizes.plain_created.add(key)
                if parent:
                    sizes.per_row.setdefault(key, []).append((parent, evidence))
                    continue
                if kind != "fixed":
                    keyed.add(key)
                current = sizes.evidence.get(key)
                if current is None or (_by_command(current) and not _by_command(evidence)):
                    # The message names request or task code over an operator's command.
                    sizes.evidence[key] = evidence
    for key in [k for k in sizes.evidence if k not in keyed and k != user]:
        # get_or_create(name="perf_sheriff_bot"): as many rows as the code has literals.
        sizes.reference[key] = "rows made only by get_or_create() with constant keys"
        del sizes.evidence[key]
    for model in schema.models.values():
        if EVENT_NAME.search(model.name) and any(_stamped(f) for f in model.fields.values()):
            sizes.event_rows.add(model.key)
    # A user key alone says who owns the rows, not how many: it counts with a key to a
    # growing table beside it (a user's comments on issues), else it waits.
    owned: dict[str, FieldDef] = {}
    for model in schema.models.values():
        if model.key in sizes.evidence or model.key in sizes.per_row:
            continue
        owners = [f for f in model.fields.values() if f.relation and user and f.target == user]
        if owners and model.key in admin and all(f.nullable for f in owners):
            # Nothing but the admin writes it; `creator = FK(User, null=True)` records which
            # staff member typed the row in, not a user who owns rows of their own.
            sizes.reference[model.key] = (
                f"rows only the admin enters ({owners[0].name} is a nullable audit column)"
            )
        elif model.key in sizes.event_rows:
            sizes.evidence[model.key] = "timestamped event rows"
        elif owners:
            owned[model.key] = owners[0]
    _grow_with_parents(schema, sizes, user, owned)
    _discount_reference_tables(schema, sizes, user)
    return sizes


def _grow_with_parents(
    schema: Schema, sizes: TableSizes, user: str, owned: dict[str, FieldDef]
) -> None:
    """Evidence for the models whose size is another table's: when that one grows.

    Rows written only for each saved row of another model (`sizes.per_row`)
    grow as that model does; rows owned by a user (`owned`: the user key)
    grow once they also hang off a growing table (a user's comments, each
    on an issue): a user key alone says who owns the rows, not how many (a
    few experiments or messages staff own). Repeated until nothing changes
    (a row per row per row); what is left is small, and `sizes.reference`
    says why.
    """
    pending = {k: sites for k, sites in sizes.per_row.items() if k not in sizes.evidence}
    waiting = {k: f for k, f in owned.items() if k not in sizes.evidence}
    changed = True
    while changed:
        changed = False
        for key, sites in pending.items():
            grown = next((s for s in sites if s[0] == user or s[0] in sizes.evidence), None)
            if key not in sizes.evidence and grown is not None:
                sizes.evidence[key] = (
                    f"{grown[1]} for each saved {_dedupe_names(schema, [grown[0]])}, "
                    "a table that grows"
                )
                changed = True
        for key, owner in waiting.items():
            model = schema.models[key]
            parent = next(
                (
                    f
                    for f in model.fields.values()
                    if f.relation and f.target not in (user, key) and f.target in sizes.evidence
                ),
                None,
            )
            if key not in sizes.evidence and parent is not None:
                sizes.evidence[key] = (
                    f"rows owned by a user ({owner.name}) per "
                    f"{_dedupe_names(schema, [parent.target])} ({parent.name}), a table that grows"
                )
                changed = True
    for key, sites in pending.items():
        if key not in sizes.evidence:
            names = _dedupe_names(schema, [parent for parent, _ in sites])
            sizes.reference[key] = (
                f"rows written only for each saved {names}, which nothing says grows"
            )
    for key, owner in waiting.items():
        if key not in sizes.evidence:
            sizes.reference[key] = (
                f"only a user key ({owner.name}): who owns the rows, not how many; no code "
                "creates them and no other key points to a growing table"
            )


def _dedupe_names(schema: Schema, keys: list[str]) -> str:
    """'Locale' or 'Locale or Project': the models' names, once each."""
    names = [m.name if (m := schema.models.get(k)) is not None else k for k in keys]
    return " or ".join(dict.fromkeys(names))


def _stamped(found: FieldDef) -> bool:
    """Whether the column records when its row was written (`auto_now_add`, `default=now`).

    A log or event row stamps itself; a row someone types a date into (a
    calendar event, a meeting) is content, however it is named.
    """
    if found.kind in AUTO_STAMPED or found.base_type in AUTO_STAMPED:
        return True
    if found.call is None or not (found.kind in TEMPORAL or found.base_type in TEMPORAL):
        return False
    for given in found.call.keywords:
        value = given.value
        if given.arg in ("auto_now_add", "auto_now"):
            if isinstance(value, ast.Constant) and value.value is True:
                return True
        elif given.arg == "default" and isinstance(value, ast.Name | ast.Attribute):
            return True  # a callable such as timezone.now, evaluated as the row is written
    return False


def _discount_reference_tables(schema: Schema, sizes: TableSizes, user: str) -> None:
    """Drop the evidence of standalone models other models point to: dimension rows stay few."""
    pointed: dict[str, str] = {}
    for model in schema.models.values():
        for found in model.fields.values():
            if found.relation and found.target and found.target != model.key:
                pointed.setdefault(found.target, f"{model.name}.{found.name}")
    for model in schema.models.values():
        if (
            model.key in sizes.evidence
            and model.key in pointed
            and model.key not in sizes.plain_created
            and model.key != user
            and model.key not in sizes.event_rows
            and not any(f.relation for f in model.fields.values())
            # Rows that record when they were made are entities (donors, customers), not values.
            and not any(
                f.kind in TEMPORAL or f.base_type in TEMPORAL for f in model.fields.values()
            )
        ):
            sizes.reference[model.key] = (
                f"a reference table (no ForeignKey of its own; {pointed[model.key]} points to it)"
            )
            del sizes.evidence[model.key]


def _unparsed_creations(
    file: SourceFile, names: dict[str, ModelDef], sizes: TableSizes
) -> set[str]:
    """Creation calls in a file Python 3 cannot parse (old Python 2 modules), by class name;
    returns the models created (their keys cannot be read, so taken as run-time values)."""
    created: set[str] = set()
    for match in UNPARSED_CREATE.finditer(file.text):
        model = names.get(match.group(1))
        if model is not None:
            created.add(model.key)
            if match.group(2) in PLAIN_CREATE:
                sizes.plain_created.add(model.key)
            sizes.evidence.setdefault(
                model.key, f"rows created by {match.group(2)}() in {_where(file.rel)}"
            )
    return created


def _kind(call: ast.Call, method: str) -> str:
    """`plain` (create, bulk_create), `fixed` (get_or_create/update_or_create whose lookup
    arguments are all literals: one row per literal in the code) or `keyed`."""
    if method in PLAIN_CREATE:
        return "plain"
    lookups = [kw for kw in call.keywords if kw.arg not in ("defaults", "create_defaults")]
    fixed = (
        not call.args
        and lookups
        and all(kw.arg and isinstance(kw.value, ast.Constant) for kw in lookups)
    )
    return "fixed" if fixed else "keyed"


def _staff_only(view: ast.ClassDef) -> bool:
    """Whether the endpoint's `permission_classes` keep writes to staff (`IsAdminUser`,
    `IsStaffOrReadOnly`): the admin by another name, no evidence the table grows."""
    for statement in view.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "permission_classes" for t in statement.targets
        ):
            value = statement.value
            items = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
            return any(STAFF_PERMISSION.search(dotted(item)) for item in items)
    return False


def _admin_spans(file: SourceFile) -> list[tuple[int, int]]:
    """Line spans of the file's admin code, wherever it lives: ModelAdmin classes
    (`...Admin` bases) and admin actions (functions taking `modeladmin, request,
    queryset`, the signature Django calls an action with)."""
    spans = []
    for node in file.nodes_of(ast.ClassDef):
        if any(dotted(base).endswith(ADMIN_BASE_SUFFIXES) for base in node.bases):
            spans.append((node.lineno, node.end_lineno or node.lineno))
    for function in file.functions():
        if [a.arg for a in function.args.args[:3]] == ADMIN_ACTION_PARAMETERS:
            spans.append((function.lineno, function.end_lineno or function.lineno))
    return spans


def _per_row_spans(file: SourceFile, schema: Schema) -> list[tuple[int, int, str]]:
    """(first line, last line, model key) of the functions run for each saved row of a model:
    receivers with `sender=Model` (decorated or connected in the module), a model's
    `save()`; MIGRATING for a `post_migrate`/`pre_migrate` receiver."""
    connected: dict[str, tuple[ast.expr, ast.expr | None]] = {}
    for call in file.nodes_of(ast.Call):
        if isinstance(call.func, ast.Attribute) and call.func.attr == "connect":
            target = call.args[0] if call.args else keyword(call, "receiver")
            if isinstance(target, ast.Name):
                connected[target.id] = (call.func.value, keyword(call, "sender"))
    spans: list[tuple[int, int, str]] = []
    for node in file.functions():
        registrations = [
            (d.args[0] if d.args else keyword(d, "signal"), keyword(d, "sender"))
            for d in node.decorator_list
            if isinstance(d, ast.Call) and dotted(d.func).split(".")[-1] == "receiver"
        ]
        if node.name in connected:
            registrations.append(connected[node.name])
        parent = ""
        for signal, sender in registrations:
            signals = signal.elts if isinstance(signal, ast.List | ast.Tuple) else [signal]
            if any(dotted(s).split(".")[-1] in MIGRATE_SIGNALS for s in signals if s):
                parent = MIGRATING
                break
            model = schema.of_expr(file, sender) if sender is not None else None
            parent = model.key if model is not None else parent
        end = node.end_lineno or node.lineno
        if parent:
            spans.append((node.lineno, end, parent))
    for cls in file.nodes_of(ast.ClassDef):
        model = schema.of_expr(file, ast.Name(id=cls.name))
        if model is None or model.node is not cls:
            continue
        for item in cls.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name == "save":
                spans.append((item.lineno, item.end_lineno or item.lineno, model.key))
    return spans


def creations_for_file(file: SourceFile, schema: Schema) -> tuple[tuple[str, str, str, str], ...]:
    """(model key, evidence, kind, per row of) of the rows `file` creates, in source order.

    The first evidence of a model counts; a plain `create()`/`bulk_create()`
    (not get_or_create) also keeps a pointed-to table from being read as
    reference data; a model only `fixed` creations make holds a fixed set of
    rows (`_kind`). `per row of` names the model for each of whose saved rows
    the creation runs (a receiver, a `save()`), else "".
    """
    found: list[tuple[str, str, str, str]] = []
    staff = _admin_spans(file)
    per_row = _per_row_spans(file, schema)
    for call in file.nodes_of(ast.Call):
        if any(start <= call.lineno <= end for start, end in staff):
            continue  # an admin action (an import button): staff code, like admin.py
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in CREATE_METHODS:
            owner = func.value
            root = owner.value if isinstance(owner, ast.Attribute) else None
            if isinstance(root, ast.Name | ast.Attribute):
                model = schema.of_expr(file, root)
                if model is not None:
                    # The innermost function run per saved row, if any (spans nest).
                    spans = [s for s in per_row if s[0] <= call.lineno <= s[1]]
                    parent = max(spans, key=lambda s: s[0])[2] if spans else ""
                    if parent == MIGRATING:
                        continue  # seeds rows while migrating, like a data migration
                    if parent == model.key:
                        parent = ""  # a model's save() creating its own rows: no parent
                    evidence = f"rows created by {func.attr}() in {_where(file.rel)}"
                    found.append((model.key, evidence, _kind(call, func.attr), parent))
    for node in file.nodes_of(ast.ClassDef):
        bases = {dotted(b).split(".")[-1] for b in node.bases}
        if not bases & CREATE_VIEWS or _staff_only(node):
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
                    evidence = f"rows created through {node.name} in {file.rel}"
                    found.append((model.key, evidence, "endpoint", ""))
    return tuple(found)
