"""DJR605: request data unpacked into model fields or setattr() names."""

from __future__ import annotations

import ast
import re

from djreview.checks.security._model_values import class_defining
from djreview.checks.security._resolved import assigned_values
from djreview.checks.security._taint import TaintCheck
from djreview.model import Severity
from djreview.project.project_model import ProjectModel
from djreview.project.types import Scope
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis
from djreview.taint.function import Hit

# A literal identifier prefix of an attribute name built from request data.
_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9]*_$")
# Fields that grant rights or ownership, whatever their type.
_GUARDED = re.compile(
    r"^(is_|can_|has_)|^(password|user|owner|author|created_by|role|roles|permissions|groups)$"
)


class MassAssignmentFromRequest(TaintCheck):
    """Request data decides which model fields are written or queried (`create(**request.POST)`).

    ## What it does
    Follows request data to `**` keyword unpacking in ORM calls (`create`,
    `update`, `get_or_create`, `filter`...) and model constructors, and to the
    attribute name of `setattr()`. Validated data (`form.cleaned_data`,
    `serializer.validated_data`) is fine, and so is a DRF serializer's
    `.data` (DRF allows it only after `is_valid()`, and its keys are the
    serializer's declared fields; whether that list is too wide,
    `fields = "__all__"`, is DJR603's question). A form's `.data` and a
    serializer's `initial_data` are the client's keys and stay reported.

    Not reported, deliberately: request data in the **values** of a dict
    literal whose keys the code computes (`filter(**{column + "__lt":
    cursor})`, also through a helper's parameters: the cursor is the
    client's, the column the caller's); `setattr(obj, name, ...)` inside a
    `match name:` case that lists literal names (`case "bio" | "locale":`),
    or after a check against an allow-list; `setattr(obj, "votes_" + x, ...)`
    whose name has a literal identifier prefix ending in `_` when `obj`'s
    model (resolved through the project's types) has fields with that
    prefix and none of them is a relation or a permission or ownership
    field (`is_*`, `can_*`, `password`, `user`, `owner`, `created_by`...):
    the request picks only among counters the code meant to be picked
    (an unknown suffix fails at save). An unresolved model, a prefix no
    field has, or one reaching such a field (`"is_" + x`) stays reported;
    `Cls(**data)` where `Cls` is a project class whose every ancestor is a
    project class, pydantic's `BaseModel`, `NamedTuple` or `TypedDict` (a
    pydantic schema, a dataclass, a plain class: adhocracy-plus's
    `DocumentInputItem(**doc)`): it has no database fields for the client
    to pick, and saves nothing; a class with a base from outside the
    project (which may be a model) stays reported; a name the code has
    confined to its literals (`if kind == "a":`, or after a `KeyError`-raising
    lookup in a string-keyed dict, as for DJR307) used in a key; a dict
    comprehension whose keys loop over a literal list of strings
    (`{f: request.POST.get(f) for f in ["a", "b"]}`); test modules and
    migrations. A dict a helper returns is followed key by key (as for
    DJR311): `exclude(**params["exclude"])` of the client's JSON is
    reported, a key holding only the code's values is not.

    ## Why is this bad?
    The client chooses the field names: it sets `is_staff=True` or
    `owner_id=...` on the object it creates (mass assignment), or filters on
    `password__startswith` to read secrets one character at a time.

    ## Example
    ```python
    def create_post(request):
        Post.objects.create(**request.POST.dict())
    ```

    ## Use instead
    ```python
    def create_post(request):
        form = PostForm(request.POST)
        if form.is_valid():
            form.save()
    ```

    ## References
    - https://cheatsheetseries.owasp.org/cheatsheets/Mass_Assignment_Cheat_Sheet.html
    """

    id = "DJR605"
    name = "mass-assignment-from-request"
    message = (
        "Request data from {source} chooses the field names of {sink}; list the allowed fields"
    )
    severity = Severity.ERROR
    cwe = (915,)
    security_severity = 8.1
    tags = ("mass-assignment",)
    kinds = frozenset({"mass"})
    uses = (TaintAnalysis, ProjectModel)

    def accepts_in(self, project: Project, hit: Hit, hits: list[Hit]) -> bool:
        """Every mass-assignment hit, less `setattr()` confined to a family of plain fields."""
        return not _confined_setattr(hit.sink.call, hit.file, project.analysis(ProjectModel))


def _confined_setattr(call: ast.Call, file: SourceFile, model: ProjectModel) -> bool:
    """`setattr(obj, "<prefix>_" + x, ...)` where the prefix picks only plain model fields."""
    tree = file.tree
    module = model.module_for(file)
    if tree is None or module is None or len(call.args) < 2:
        return False
    line = call.lineno
    function = max(
        (f for f in file.functions() if f.lineno <= line <= (f.end_lineno or f.lineno)),
        key=lambda f: f.lineno,
        default=None,
    )
    if function is None:
        return False
    name = call.args[1]
    built = assigned_values(function, name.id) if isinstance(name, ast.Name) else [name]
    prefixes = {_literal_prefix(value) for value in built}
    if len(prefixes) != 1 or None in prefixes:
        return False
    prefix = prefixes.pop()
    owner = class_defining(tree, function)
    scope = Scope(module.name, function, owner.name if owner is not None else None)
    typed = model.types.type_of(call.args[0], scope)
    if typed is None or typed.kind != "instance" or prefix is None:
        return False
    family = [f for f in typed.model.fields.values() if f.name.startswith(prefix)]
    return bool(family) and not any(
        f.relation is not None or f.target_raw is not None or _GUARDED.search(f.name)
        for f in family
    )


def _literal_prefix(value: ast.expr) -> str | None:
    """`votes_` of `"votes_{}".format(x)`, `f"votes_{x}"`, `"votes_" + x`, `"votes_%s" % x`."""
    text: object = None
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "format"
        and isinstance(value.func.value, ast.Constant)
    ):
        text = value.func.value.value
    elif isinstance(value, ast.JoinedStr) and value.values:
        first = value.values[0]
        text = first.value if isinstance(first, ast.Constant) else None
    elif isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add | ast.Mod):
        text = value.left.value if isinstance(value.left, ast.Constant) else None
    if not isinstance(text, str):
        return None
    prefix = re.split(r"[{%]", text, maxsplit=1)[0]
    return prefix if _PREFIX.match(prefix) else None
