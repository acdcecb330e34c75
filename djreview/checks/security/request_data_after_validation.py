"""DJR607: reading raw request fields after form validation instead of cleaned_data."""

from __future__ import annotations

import ast
import weakref
from collections.abc import Iterable, Iterator

from djreview.checks.base import Check
from djreview.checks.security._model_values import class_defining
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
    POST); passing the whole `request.POST` on (to another form); a key
    that is a field of the form just validated (a declared field, or an
    entry of a literal `Meta.fields` list less `read_only_fields`, written
    as the same literal or the same expression, as `fields = [self.field]`
    and `POST.get(self.field)`) when the form has no `clean_<field>` and its
    `clean()` writes no data: the raw value passed that field's validation
    and only type coercion separates it from `cleaned_data`. The form class
    is found from the call that builds the form, in the module (a class
    statement, or `self.form_class` set from a method that returns a class
    it defines); keys that are not its fields stay reported. Tests and
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
            classes = _FormClasses(file, function)
            for node in ast.walk(function):
                form = _validated_form(node.test) if isinstance(node, ast.If) else None
                if form is None or form not in bound or not isinstance(node, ast.If):
                    continue
                for target, stored in _stored_values(node.body):
                    if not _is_reference(target, relations):
                        continue
                    for read in ast.walk(stored):
                        raw = _raw_field_read(read, bound[form])
                        if raw is not None and not classes.validated(form, _key_of(read)):
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


def _key_of(read: ast.AST) -> ast.expr | None:
    """The key of `request.POST["x"]` / `request.POST.get(x)`."""
    if isinstance(read, ast.Subscript):
        return read.slice
    if isinstance(read, ast.Call) and read.args:
        return read.args[0]
    return None


class _FormClasses:
    """Which form class a validated form is, and whether a raw key is one of its fields.

    The class is the one the form is built from (`form = SelectForm(request.POST)`,
    or `self.form_class(...)` set from a method returning a class it defines).
    """

    def __init__(self, file: SourceFile, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.tree = file.tree
        self.function = function

    def validated(self, form: str, key: ast.expr | None) -> bool:
        """`key` names a field of `form`'s class that its own validation leaves as it is.

        The raw value then passed that field's validation (only type coercion
        separates it from `cleaned_data`): a literal field name, or the same
        expression the class's `Meta.fields` lists (`fields = [self.field]`).
        """
        found = self._form_class(form) if key is not None and self.tree is not None else None
        if found is None or key is None:
            return False
        names, expressions = _declared_fields(found)
        text = ast.unparse(key)
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            name: str | None = key.value
            listed = name in names
        else:
            name, listed = None, text in expressions
        return listed and not _changes_fields(found, name)

    def _form_class(self, form: str) -> ast.ClassDef | None:
        built = [
            node.value.func
            for node in ast.walk(self.function)
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and any(dotted(target) == form for target in node.targets)
        ]
        return self._class_named(built[0]) if len(built) == 1 else None

    def _class_named(self, expr: ast.expr, depth: int = 0) -> ast.ClassDef | None:
        """The class an expression names: a class statement, or `self.attr` set to one."""
        if self.tree is None or depth > 3:
            return None
        if isinstance(expr, ast.Name):
            classes = [
                node
                for node in ast.walk(self.tree)
                if isinstance(node, ast.ClassDef) and node.name == expr.id
            ]
            return classes[0] if len(classes) == 1 else None
        owner = class_defining(self.tree, self.function)
        if owner is None:
            return None
        if isinstance(expr, ast.Attribute) and dotted(expr.value) == "self":
            values = [
                node.value
                for node in ast.walk(owner)
                if isinstance(node, ast.Assign)
                and any(
                    dotted(target) in {f"self.{expr.attr}", expr.attr} for target in node.targets
                )
                and not (isinstance(node.value, ast.Constant) and node.value.value is None)
            ]
            return self._class_named(values[0], depth + 1) if len(values) == 1 else None
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and not expr.args:
            name = expr.func.attr
            method = next(
                (i for i in owner.body if isinstance(i, ast.FunctionDef) and i.name == name), None
            )
            return _returned_class(method) if method is not None else None
        return None


def _returned_class(method: ast.FunctionDef) -> ast.ClassDef | None:
    """The class a method defines and returns (`def get_form_class(self): class F...; return F`)."""
    returns = [
        node.value
        for node in ast.walk(method)
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Name)
    ]
    if len(returns) != 1:
        return None
    return next(
        (
            node
            for node in ast.walk(method)
            if isinstance(node, ast.ClassDef) and node.name == returns[0].id
        ),
        None,
    )


def _declared_fields(form: ast.ClassDef) -> tuple[set[str], set[str]]:
    """Field names a form or serializer validates on input, and its `Meta.fields` expressions.

    Declared fields (`name = forms.CharField()`, not `read_only=True`) and the
    literal `Meta.fields` list less `Meta.read_only_fields`; `"__all__"` is not read.
    """
    names: set[str] = set()
    expressions: set[str] = set()
    read_only: set[str] = set()
    for item in form.body:
        if (
            isinstance(item, ast.Assign)
            and isinstance(item.value, ast.Call)
            and call_name(item.value.func).endswith(("Field", "Serializer"))
            and not any(
                kw.arg == "read_only" and isinstance(kw.value, ast.Constant) and kw.value.value
                for kw in item.value.keywords
            )
        ):
            names.update(t.id for t in item.targets if isinstance(t, ast.Name))
        if isinstance(item, ast.ClassDef) and item.name == "Meta":
            for statement in item.body:
                if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
                    continue
                target = dotted(statement.targets[0])
                listed = statement.value
                if target not in {"fields", "read_only_fields"} or not isinstance(
                    listed, ast.List | ast.Tuple
                ):
                    continue
                for element in listed.elts:
                    if isinstance(element, ast.Constant) and isinstance(element.value, str):
                        (names if target == "fields" else read_only).add(element.value)
                    elif target == "fields":
                        expressions.add(ast.unparse(element))
    return names - read_only, expressions


def _changes_fields(form: ast.ClassDef, name: str | None) -> bool:
    """The class's own hooks may change the field (`clean_<name>`, or `clean()` writing data).

    For a field known only by expression, any `clean_*` / `validate_*` counts.
    """
    for item in form.body:
        if not isinstance(item, ast.FunctionDef):
            continue
        if item.name in {"clean", "validate"}:
            if any(
                isinstance(node, ast.Assign | ast.AugAssign)
                and any(isinstance(t, ast.Subscript) for t in _targets(node))
                for node in ast.walk(item)
            ):
                return True
        elif item.name.startswith(("clean_", "validate_")) and (
            name is None or item.name.split("_", 1)[1] == name
        ):
            return True
    return False


def _targets(node: ast.Assign | ast.AugAssign) -> list[ast.expr]:
    return node.targets if isinstance(node, ast.Assign) else [node.target]


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
