"""DJR604: a ModelForm exposing every model field to whoever submits it."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from djreview.checks.base import Check
from djreview.checks.security._classes import base_names
from djreview.checks.security.serializer_fields_all import all_fields
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project


class ModelformFieldsAll(Check):
    """A `ModelForm` uses `fields = "__all__"` or `exclude`.

    ## What it does
    Flags `Meta.fields = "__all__"` and `Meta.exclude` on `ModelForm`
    subclasses outside the admin (forms in `admin.py` or named `*Admin*` are
    for staff and not flagged). Explicit field lists are fine.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR604` switches it on): `fields = "__all__"` is a defect only when end
    users submit the form; ModelForms used by a `ModelAdmin` or by staff tools
    are the common case (0 of 7 real on seven unseen projects). Ruff's DJ007 is
    the same audit.

    ## Why is this bad?
    Every model field, including ones added later (`is_approved`, `author`,
    `ip_address`), can be set by whoever submits the form: a visitor approves
    their own comment or posts as someone else (mass assignment). Django's
    docs recommend listing fields explicitly for this reason.

    ## Example
    ```python
    class CommentForm(forms.ModelForm):
        class Meta:
            model = Comment
            fields = "__all__"
    ```

    ## Use instead
    ```python
    class CommentForm(forms.ModelForm):
        class Meta:
            model = Comment
            fields = ["name", "body"]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/topics/forms/modelforms/#selecting-the-fields-to-use
    """

    id = "DJR604"
    name = "modelform-fields-all"
    message = "{cls} accepts {how}, so a visitor can set any model field (and every future one)"
    severity = Severity.WARNING
    category = "security"
    cwe = (915,)
    security_severity = 6.5
    precision = "medium"
    tags = ("forms", "mass-assignment", "audit")
    enabled_by_default = False
    hints = ("ModelForm",)

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per ModelForm Meta exposing all fields."""
        if file.rel.rsplit("/", 1)[-1] == "admin.py":
            return ()
        return self._findings(file)

    def _findings(self, file: SourceFile) -> Iterator[Finding]:
        for node in file.nodes_of(ast.ClassDef):
            if "Admin" not in node.name and any(
                name.endswith("ModelForm") for name in base_names(node)
            ):
                found = all_fields(node)
                if found is not None:
                    statement, how = found
                    yield self.finding((file, statement), cls=node.name, how=how)
