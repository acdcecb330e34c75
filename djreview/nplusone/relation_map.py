"""The relations the N+1 analysis needs, read from the project model.

A thin view of `project.model` (djreview/project/project_model.py): for a model label
and an attribute name, is it a forward relation (select_related), a to-many
relation (prefetch_related), a plain field, a property or a method, and
where is that method's body. Models are keyed by label (`blog.Post`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from djreview.source.file import SourceFile

if TYPE_CHECKING:
    from djreview.project.model_types import ModelInfo
    from djreview.project.project_model import ProjectModel

FORWARD = "forward"  # ForeignKey, OneToOneField: one object, select_related
REVERSE_ONE = "reverse_one"  # the other side of a OneToOneField: select_related too
MANY = "many"  # reverse ForeignKey, ManyToManyField (both sides): prefetch_related

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Relation:
    """One relation attribute of a model, its target resolved to a label."""

    name: str
    kind: str
    target: str
    null: bool = False
    # The attribute on the target that points back, which Django fills without
    # a query when the target is reached through this relation (`comment.post`
    # of `post.comments.all()`, `profile.author` of `author.profile`).
    back: str = ""


class _FilesRead(dict[str, SourceFile]):
    """The project's files by path; each lookup is noted while the schema records reads."""

    def __init__(self, files: dict[str, SourceFile], schema: Schema) -> None:
        super().__init__(files)
        self.schema = schema

    def __getitem__(self, rel: str) -> SourceFile:
        file = super().__getitem__(rel)
        self.schema.touch(file)
        return file


class Schema:
    """Answers the N+1 analysis' questions about models from the project model."""

    def __init__(self, index: ProjectModel, files: dict[str, SourceFile]) -> None:
        self.index = index
        self.files: dict[str, SourceFile] = _FilesRead(files, self)
        # While one file's facts are computed: the paths of every file read for them.
        self.touched: set[str] | None = None

    def touch(self, file: SourceFile) -> None:
        """Note that the facts being computed read `file` (see `touched`)."""
        if self.touched is not None:
            self.touched.add(file.rel)

    def info(self, label: str) -> ModelInfo | None:
        """The index's model for a label."""
        return self.index.models.get(label)

    def model_of(self, module: str, expr: ast.expr) -> str | None:
        """The label of the model class an expression names (`Post`, `m.Post`)."""
        found = self.index.model_of_expr(module, expr) if module else None
        if found is None and not module and isinstance(expr, ast.Name):
            # A file outside any package (a script, a one-file sample).
            found = self.index.model(expr.id)
        return found.label if found is not None else None

    def attribute_kind(self, label: str, name: str) -> str:
        """ "relation", "field", "fk_id", "method", "property" or "unknown"."""
        model = self.info(label)
        if model is None:
            return "unknown"
        if self.relation(label, name) is not None:
            return "relation"
        found = model.attribute(name)
        if found is not None and name not in model.fields:
            return "fk_id"
        if (found is not None and getattr(found, "relation", None) is None) or name == "pk":
            return "field"
        if name in model.properties:
            return "property"
        if name in model.methods:
            return "method"
        return "unknown"

    def relation(self, label: str, name: str) -> Relation | None:
        """The relation `name` of model `label`, when it is one and its target is known."""
        model = self.info(label)
        if model is None:
            return None
        field = model.fields.get(name)
        if field is not None:
            if field.target is None or field.target not in self.index.models:
                return None
            if field.relation == "fk":
                return Relation(name, FORWARD, field.target, field.null)
            if field.relation == "o2o":
                back = self._accessor(label, name)
                return Relation(name, FORWARD, field.target, field.null, back)
            if field.relation == "m2m":
                return Relation(name, MANY, field.target)
            return None
        reverse = model.reverse.get(name)
        if reverse is None or reverse.generic or reverse.model not in self.index.models:
            return None
        back = "" if reverse.via_m2m else reverse.field
        kind = MANY if reverse.multiple else REVERSE_ONE
        return Relation(name, kind, reverse.model, True, back)

    def _accessor(self, label: str, field: str) -> str:
        """The reverse accessor of `label.field` on the model it points to."""
        model = self.info(label)
        target = model.fields[field].target if model is not None else None
        info = self.info(target) if target else None
        if info is None:
            return ""
        return next(
            (r.accessor for r in info.reverse.values() if r.model == label and r.field == field),
            "",
        )

    def function(self, label: str, name: str) -> tuple[SourceFile, Function] | None:
        """The file and body of a model's method or property `name`."""
        model = self.info(label)
        if model is None:
            return None
        ref = model.properties.get(name) or model.methods.get(name)
        if ref is None or ref[0] not in self.files:
            return None
        return self.files[ref[0]], ref[1]

    def is_property(self, label: str, name: str) -> bool:
        """Whether `name` is a property of the model (read without a call)."""
        model = self.info(label)
        return model is not None and name in model.properties

    def managers(self, label: str) -> dict[str, str]:
        """Manager attribute -> its manager class ("" when Django's own)."""
        model = self.info(label)
        if model is None:
            return {}
        return {name: info.manager_class or "" for name, info in model.managers.items()}

    def manager_methods(self, label: str, manager: str) -> dict[str, tuple[SourceFile, Function]]:
        """The project methods of a model's manager and its queryset class."""
        model = self.info(label)
        info = model.managers.get(manager) if model is not None else None
        if info is None:
            return {}
        return {
            name: (self.files[ref[0]], ref[1])
            for name, ref in info.methods.items()
            if ref[0] in self.files
        }
