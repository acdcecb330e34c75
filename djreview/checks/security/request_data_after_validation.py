"""DJR607: reading raw request fields after form validation instead of cleaned_data."""

from __future__ import annotations

import ast
import weakref
from collections.abc import Iterable, Iterator

from djreview.checks.base import Check
from djreview.model import Finding, Severity
from djreview.project import facts_context
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.sources import call_name, dotted, is_request_object

_RAW = frozenset({"POST", "GET", "data", "FILES"})
_READS = frozenset({"get", "getlist", "__getitem__"})
# Calls whose keyword arguments are written to the database.
_WRITES = frozenset({"save", "create", "update", "get_or_create", "update_or_create"})
# Fields that grant rights, whatever their type.
_RELATIONS: weakref.WeakKeyDictionary[ProjectModel, tuple[frozenset[str], str]] = (
    weakref.WeakKeyDictionary()
)
_PERMISSION_FIELDS = frozenset(
    {"is_staff", "is_superuser", "is_active", "is_admin", "role", "roles", "permissions", "groups"}
)


class RequestDataAfterValidation(Check):
    """After `form.is_valid()`, the code reads `request.POST[...]` instead of `form.cleaned_data`.

    ## What it does
    Inside the branch guarded by `form.is_valid()` (or
    `serializer.is_valid()`), flags reads of single fields from
    the data the form was bound to (`form = F(request.POST)`, then
    `request.POST["x"]`, `.get("x")`, `.getlist("x")`) whose value is
    written to a **reference** in the database: assigned to an attribute
    (`issue.author_id = ...`) or passed as a keyword of `save()`,
    `create()`, `update()`, `get_or_create()` or `update_or_create()`,
    where the attribute or keyword is a relation (a `ForeignKey`,
    `OneToOneField` or `ManyToManyField` of a project model, or a `*_id`
    column) or a permission flag (`is_staff`, `is_superuser`, `role`...).
    That is where the raw value lets a client attribute a row to another
    user, or link it to an object the form would have refused.

    Not reported, deliberately: raw values written to plain fields (a
    timestamp, a free-text label: data integrity, not authorisation;
    measured on plane, 5 of 5 such findings were not security issues); raw
    reads used in conditions, lookups
    (`filter(external_id=...)`), comparisons, log lines or task arguments
    (the value decides nothing stored; where it reaches a dangerous call the
    taint rules report it); other request data (`?next=` when the form reads
    POST); passing the whole `request.POST` on (to another form). Tests and
    migrations are not reported.

    ## Why is this bad?
    The form validated and cleaned the value (types, allowed choices, the
    queryset a `ModelChoiceField` may pick from); the raw field skips all of
    that, so the view stores a reference the form would have refused.

    ## Example
    ```python
    if form.is_valid():
        order.customer_id = request.POST["customer"]
    ```

    ## Use instead
    ```python
    if form.is_valid():
        order.customer = form.cleaned_data["customer"]  # a ModelChoiceField: checked
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/forms/api/#accessing-clean-data
    """

    uses = (ProjectModel,)
    id = "DJR607"
    name = "request-data-after-validation"
    message = "`{raw}` is read after {form}.is_valid(); use {form}.{cleaned}, which was validated"
    severity = Severity.WARNING
    category = "security"
    hints = ("is_valid",)
    cwe = (20,)
    security_severity = 4.3
    precision = "high"
    tags = ("forms",)

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per raw field read inside an is_valid() branch.

        The findings read the file and the names of the models' relations
        only: a session keeps them per file while those names stay.
        """
        relations, digest = _relations(project.analysis(ProjectModel))
        return project.per_file(
            "request-data-after-validation",
            file,
            digest,
            lambda f: tuple(self._findings(f, relations)),
        )

    def _findings(self, file: SourceFile, relations: frozenset[str]) -> Iterator[Finding]:
        # Only functions spanning an `is_valid` line can hold a validated branch.
        lines = file.lines_containing("is_valid")
        for function in file.functions():
            end = function.end_lineno or function.lineno
            if not any(function.lineno <= line <= end for line in lines):
                continue
            bound = _bound_forms(function)
            for node in ast.walk(function):
                form = _validated_form(node.test) if isinstance(node, ast.If) else None
                if form is None or form not in bound or not isinstance(node, ast.If):
                    continue
                for target, stored in _stored_values(node.body):
                    if not _is_reference(target, relations):
                        continue
                    for read in ast.walk(stored):
                        raw = _raw_field_read(read, bound[form])
                        if raw is not None:
                            # DRF serializers (bound to request.data) keep validated_data.
                            cleaned = "validated_data" if bound[form] == "data" else "cleaned_data"
                            yield self.finding((file, read), raw=raw, form=form, cleaned=cleaned)


def _relations(model: ProjectModel) -> tuple[frozenset[str], str]:
    """The names of every relation field of the project's models, and their digest (per build)."""
    found = _RELATIONS.get(model)
    if found is None:
        names = frozenset(
            field.name
            for info in model.models.values()
            for field in info.fields.values()
            if field.relation is not None or field.target_raw is not None
        )
        found = _RELATIONS[model] = (names, facts_context.digest(sorted(names)))
    return found


def _stored_values(body: list[ast.stmt]) -> Iterator[tuple[str, ast.expr]]:
    """Values written to the database in `body`, with the attribute or keyword they go to."""
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute):
                        yield target.attr, node.value
            elif isinstance(node, ast.Call) and call_name(node.func) in _WRITES:
                yield from ((kw.arg, kw.value) for kw in node.keywords if kw.arg)


def _is_reference(target: str, relations: frozenset[str]) -> bool:
    """A relation (`author`, `author_id`, `tag_ids`) or a field that grants rights."""
    if target in _PERMISSION_FIELDS or target.endswith(("_id", "_ids")):
        return True
    return target.split("__", 1)[0] in relations


def _validated_form(test: ast.expr) -> str | None:
    """`form` when the condition calls `form.is_valid()` (not negated)."""
    if isinstance(test, ast.UnaryOp):
        return None
    for node in ast.walk(test):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "is_valid"
        ):
            return dotted(node.func.value) or "form"
    return None


def _bound_forms(function: ast.AST) -> dict[str, str]:
    """Forms bound in the function, by name, to the request attribute they read (`POST`)."""
    bound: dict[str, str] = {}
    for node in ast.walk(function):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        call = node.value
        data = [*call.args[:1], *(kw.value for kw in call.keywords if kw.arg == "data")]
        for value in data:
            for part in ast.walk(value):
                if (
                    isinstance(part, ast.Attribute)
                    and part.attr in _RAW
                    and is_request_object(part.value)
                ):
                    for target in node.targets:
                        name = dotted(target)
                        if name:
                            bound[name] = part.attr
    return bound


def _raw_field_read(node: ast.AST, bound_to: str) -> str | None:
    """`request.POST["x"]` or `request.POST.get("x")` on the form's data: the text, else None."""
    target: ast.expr | None
    if isinstance(node, ast.Subscript):
        target = node.value
    elif isinstance(node, ast.Call) and call_name(node.func) in _READS and node.args:
        target = node.func.value if isinstance(node.func, ast.Attribute) else None
    else:
        return None
    if (
        isinstance(target, ast.Attribute)
        and target.attr == bound_to
        and is_request_object(target.value)
    ):
        return ast.unparse(node)
    return None
