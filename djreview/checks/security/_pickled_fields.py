"""A model field only the project fills with pickle output: reading it back is own storage.

`pickle.loads(b64decode(self.settings_pickled))` in a model, or
`pickle.loads(row.pickled_data)` in a loop over `Batch.objects.all()`,
reads a field of a project model. When every write of that field found in
the project (tests and migrations aside: `obj.f = ...`, `f=...` in any call,
a dict key `"f"`, `setattr(obj, "f", ...)`) is the matching `dumps()` of a
value, possibly wrapped in encoders (`b64encode`, `.encode()`, `str()`),
and no admin, form or serializer of the project names the field (nor
registers the model in the admin without listing it read-only or
excluded), the database hands back what the process itself stored.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from djreview.checks.security._model_values import class_defining
from djreview.project.model_types import ModelInfo
from djreview.project.modules import ModuleInfo, dotted_name
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.source.test_code import skipped
from djreview.taint.names import imported_names, qualified_callee

# Conversions around the pickled bytes, by qualified name (plus `.encode()`/`.decode()`).
_ENCODERS = frozenset(
    {
        "str",
        "bytes",
        "bytearray",
        "memoryview",
        "codecs.decode",
        "codecs.encode",
        "zlib.compress",
        "zlib.decompress",
        *(
            f"base64.{fn}"
            for fn in (
                "b64encode",
                "b64decode",
                "urlsafe_b64encode",
                "urlsafe_b64decode",
                "encodebytes",
                "decodebytes",
                "standard_b64encode",
                "standard_b64decode",
            )
        ),
    }
)
# Where a ModelAdmin, ModelForm or serializer names the fields users can write.
_EXPOSING = frozenset({"fields", "list_editable", "fieldsets"})
_UNPROTECTED = ("readonly_fields", "exclude")


def own_pickled_field(
    project: Project,
    file: SourceFile,
    tree: ast.Module,
    scope: ast.AST,
    data: ast.expr,
    dumper: str,
) -> bool:
    """`data` (encoders aside) is a project model field every write of which is `dumper()`."""
    names = imported_names(tree)
    read = strip_encoders(data, names)
    if not (isinstance(read, ast.Attribute) and isinstance(read.value, ast.Name)):
        return False
    model = project.analysis(ProjectModel)
    module = model.module_for(file)
    if module is None:
        return False
    info = _row_model(model, module, tree, scope, read.value.id)
    field = read.attr
    if info is None or field not in info.fields or _exposed(project, model, info, field):
        return False
    writes = list(_writes(project, field))
    return bool(writes) and all(
        isinstance(dumped := strip_encoders(value, table), ast.Call)
        and qualified_callee(dumped.func, table) == dumper
        for value, table in writes
    )


def strip_encoders(node: ast.expr, names: dict[str, str]) -> ast.expr:
    """`node` without the conversions around it: `b64decode(str(x).encode())` is `x`."""
    while isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("encode", "decode"):
            node = node.func.value
        elif node.args and qualified_callee(node.func, names) in _ENCODERS:
            node = node.args[0]
        else:
            break
    return node


def _row_model(
    model: ProjectModel, module: ModuleInfo, tree: ast.Module, scope: ast.AST, name: str
) -> ModelInfo | None:
    """The project model whose row `name` is: `self` in a model, or a row from its manager."""
    if name == "self":
        owner = class_defining(tree, scope)
        return model.model_named(f"{module.name}.{owner.name}") if owner is not None else None
    found: set[ModelInfo | None] = set()
    for value in _bindings(scope, name):
        found.add(_manager_model(model, module.name, value) if value is not None else None)
    return found.pop() if len(found) == 1 else None


def _manager_model(model: ProjectModel, module: str, node: ast.expr) -> ModelInfo | None:
    """`M` of `M.objects.filter(...).first()`, `M.objects.get(...)`, `M.objects.all()`."""
    while isinstance(node, ast.Call | ast.Attribute | ast.Subscript):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            spelled = dotted_name(node.value)
            resolved = model.resolve_name(module, spelled) if spelled else None
            return model.model_named(resolved) if resolved is not None else None
        node = node.func if isinstance(node, ast.Call) else node.value
    return None


def _bindings(scope: ast.AST, name: str) -> Iterator[ast.expr | None]:
    """Values `name` is assigned in `scope`, and iterables of loops over it (None: unknown)."""
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    yield node.value
                elif any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target)):
                    yield None
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            if isinstance(node.target, ast.Name) and node.target.id == name:
                yield node.iter
            elif any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node.target)):
                yield None
        elif isinstance(node, ast.AugAssign | ast.AnnAssign | ast.NamedExpr | ast.withitem):
            bound = node.optional_vars if isinstance(node, ast.withitem) else node.target
            if bound is not None and any(
                isinstance(n, ast.Name) and n.id == name for n in ast.walk(bound)
            ):
                yield None
        elif isinstance(node, ast.arg) and node.arg == name:
            yield None


def _exposed(project: Project, model: ProjectModel, info: ModelInfo, field: str) -> bool:
    """An admin, form or serializer may let users write the field."""
    for admin in model.admin:
        if admin.model is not info or any(
            field in admin.options.get(option, ()) for option in _UNPROTECTED
        ):
            continue
        listed = admin.options.get("fields")
        if listed is None or field in listed:
            return True
    for file in project.python_files:
        tree = file.tree
        if (
            tree is None
            or skipped(file.rel)
            or (field not in file.text and info.name not in file.text)
        ):
            continue
        module = model.module_for(file)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and _exposes(model, module, node, info, field):
                return True
    return False


def _exposes(
    model: ProjectModel, module: ModuleInfo | None, cls: ast.ClassDef, info: ModelInfo, field: str
) -> bool:
    """The class body names the field in `fields`/`fieldsets`/`list_editable`, or is a
    `Meta` of the model with `fields = "__all__"`."""
    values = {
        target.id: statement.value
        for statement in cls.body
        if isinstance(statement, ast.Assign)
        for target in statement.targets
        if isinstance(target, ast.Name)
    }
    for name, value in values.items():
        strings = {c.value for c in ast.walk(value) if isinstance(c, ast.Constant)}
        if name in _EXPOSING and field in strings:
            return True
        if name == "fields" and "__all__" in strings and "model" in values:
            target = values["model"]
            owner = model.model_of_expr(module.name, target) if module is not None else None
            if owner is None or owner is info:
                return True
    return False


def _writes(project: Project, field: str) -> Iterator[tuple[ast.expr, dict[str, str]]]:
    """Every value the project may store in a field named `field`, with its module's names."""
    for file in project.python_files:
        tree = file.tree
        if field not in file.text or tree is None or skipped(file.rel):
            continue
        names = imported_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Attribute) and t.attr == field for t in targets):
                    if isinstance(node, ast.AugAssign) or node.value is None:
                        yield ast.Constant(None), names  # not a dump
                    else:
                        yield node.value, names
            elif isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == field:
                        yield keyword.value, names
                if (
                    dotted_name(node.func) == "setattr"
                    and len(node.args) == 3
                    and isinstance(node.args[1], ast.Constant)
                    and node.args[1].value == field
                ):
                    yield node.args[2], names
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == field:
                        yield value, names
