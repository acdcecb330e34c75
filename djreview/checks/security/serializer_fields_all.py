"""DJR603: a DRF ModelSerializer exposing every model field."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from djreview.checks.base import Check
from djreview.checks.security._classes import base_names, class_attribute, is_string, meta_class
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project

_MODEL_SERIALIZERS = frozenset({"ModelSerializer", "HyperlinkedModelSerializer"})


class SerializerFieldsAll(Check):
    """A DRF `ModelSerializer` uses `fields = "__all__"` (or `exclude`).

    ## What it does
    Flags `Meta.fields = "__all__"` and `Meta.exclude = [...]` on
    `ModelSerializer` / `HyperlinkedModelSerializer` subclasses. Explicit
    field lists are fine, also when built from a parent's list.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR603` switches it on): `fields = "__all__"` is a defect only when the
    serializer accepts writes from users who may not set every field; read-only
    viewsets and admin-only serializers are the common case (0 of 16 real on
    seven unseen projects).

    ## Why is this bad?
    Every model field, including ones added later (`is_staff`, `price`,
    `owner`), becomes readable and writable through the API: clients can
    change what they must not (mass assignment) and read internal data.

    ## Example
    ```python
    class ProductSerializer(serializers.ModelSerializer):
        class Meta:
            model = Product
            fields = "__all__"
    ```

    ## Use instead
    ```python
    class ProductSerializer(serializers.ModelSerializer):
        class Meta:
            model = Product
            fields = ["id", "name", "slug", "price"]
            read_only_fields = ["id", "slug"]
    ```

    ## References
    - https://www.django-rest-framework.org/api-guide/serializers/#specifying-which-fields-to-include
    """

    id = "DJR603"
    name = "serializer-fields-all"
    message = "{cls} serializes {how}: every model field, even future ones, is exposed and writable"
    severity = Severity.WARNING
    category = "security"
    cwe = (915, 200)
    security_severity = 6.5
    precision = "medium"
    tags = ("drf", "mass-assignment", "audit")
    enabled_by_default = False
    hints = ("Serializer",)

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per serializer Meta exposing all fields."""
        return self._findings(file)

    def _findings(self, file: SourceFile) -> Iterator[Finding]:
        for node in file.nodes_of(ast.ClassDef):
            if set(base_names(node)) & _MODEL_SERIALIZERS:
                found = all_fields(node)
                if found is not None:
                    statement, how = found
                    yield self.finding((file, statement), cls=node.name, how=how)


def all_fields(cls: ast.ClassDef) -> tuple[ast.stmt, str] | None:
    """The `Meta` statement that exposes every field (`fields = "__all__"` or `exclude`)."""
    meta = meta_class(cls)
    if meta is None:
        return None
    fields = class_attribute(meta, "fields")
    if fields is not None and is_string(fields.value, "__all__"):
        return fields, 'fields = "__all__"'
    exclude = class_attribute(meta, "exclude")
    if exclude is not None and fields is None:
        return exclude, "everything but `exclude`"
    return None
