"""DJR602: AllowAny on DRF views that change data."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from djreview.checks.base import Check
from djreview.checks.security._classes import class_attribute
from djreview.checks.security._drf import (
    PUBLIC_NAMES,
    UNSAFE,
    api_view_methods,
    names_allow_any,
    unsafe_methods_of_class,
)
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.sources import call_name


class AllowAnyOnUnsafeView(Check):
    """A DRF view that accepts POST, PUT, PATCH or DELETE sets `permission_classes = [AllowAny]`.

    ## What it does
    Flags `permission_classes` containing `AllowAny` on viewsets and generic
    views that write (`ModelViewSet`, `CreateAPIView`, mixins, `post()`...),
    and `@permission_classes([AllowAny])` on `@api_view` functions that accept
    an unsafe method. Endpoints meant for anonymous clients by their name
    (login, register, token, password reset, webhook...) are not flagged.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR602` switches it on): endpoints open by design (invitations checked by a
    token, pre-login steps, webhooks with a signature) carry their own check the
    rule cannot see; on seven unseen projects 0 of 7 findings were real.

    ## Why is this bad?
    Anyone on the internet can create, change or delete these objects; no
    authentication is asked for.

    ## Example
    ```python
    class ProductViewSet(viewsets.ModelViewSet):
        permission_classes = [AllowAny]
    ```

    ## Use instead
    ```python
    class ProductViewSet(viewsets.ModelViewSet):
        permission_classes = [IsAuthenticatedOrReadOnly]
    ```

    ## References
    - https://www.django-rest-framework.org/api-guide/permissions/#allowany
    """

    id = "DJR602"
    name = "allow-any-on-unsafe-view"
    message = "{view} lets anonymous clients {methods} with AllowAny"
    severity = Severity.WARNING
    category = "security"
    cwe = (862, 306)
    security_severity = 7.5
    precision = "medium"
    tags = ("drf", "auth", "audit")
    enabled_by_default = False
    # Both shapes name the permission class itself.
    hints = ("AllowAny",)

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per writing view opened to anyone."""
        return self._findings(file)

    def _findings(self, file: SourceFile) -> Iterator[Finding]:
        for cls in file.nodes_of(ast.ClassDef):
            if not PUBLIC_NAMES.search(cls.name):
                assignment = class_attribute(cls, "permission_classes")
                methods = unsafe_methods_of_class(cls)
                if assignment is not None and names_allow_any(assignment.value) and methods:
                    yield self.finding(
                        (file, assignment), view=cls.name, methods=", ".join(methods)
                    )
        for node in file.functions():
            if not PUBLIC_NAMES.search(node.name):
                accepted = [m for m in api_view_methods(node) or () if m in UNSAFE]
                decorator = next(
                    (
                        d
                        for d in node.decorator_list
                        if isinstance(d, ast.Call)
                        and call_name(d.func) == "permission_classes"
                        and d.args
                        and names_allow_any(d.args[0])
                    ),
                    None,
                )
                if accepted and decorator is not None:
                    yield self.finding(
                        (file, decorator), view=f"{node.name}()", methods=", ".join(accepted)
                    )
