"""DRF view facts read from the source: which methods a view accepts, what it sets."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass

from djreview.checks.security._classes import base_names, class_attribute
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.sources import call_name

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# Generic views and viewsets by the unsafe methods their name implies.
_WRITING_BASES = {
    "ModelViewSet": UNSAFE,
    "CreateAPIView": ("POST",),
    "ListCreateAPIView": ("POST",),
    "UpdateAPIView": ("PUT", "PATCH"),
    "RetrieveUpdateAPIView": ("PUT", "PATCH"),
    "DestroyAPIView": ("DELETE",),
    "RetrieveDestroyAPIView": ("DELETE",),
    "RetrieveUpdateDestroyAPIView": ("PUT", "PATCH", "DELETE"),
    "CreateModelMixin": ("POST",),
    "UpdateModelMixin": ("PUT", "PATCH"),
    "DestroyModelMixin": ("DELETE",),
}
_HANDLERS = {"post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "create": "POST"}
# Endpoints meant for anonymous clients: sign-in, sign-up, password reset, webhooks.
PUBLIC_NAMES = re.compile(
    r"login|logout|signin|signup|sign_in|sign_up|register|token|password|auth|verify|"
    r"reset|webhook|callback|hook|contact|subscribe|health|ping",
    re.IGNORECASE,
)


def unsafe_methods_of_class(cls: ast.ClassDef) -> tuple[str, ...]:
    """The unsafe HTTP methods a class-based view accepts."""
    methods: list[str] = []
    for base in base_names(cls):
        methods += _WRITING_BASES.get(base, ())
    for item in cls.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name in _HANDLERS:
            methods.append(_HANDLERS[item.name])
    allowed = class_attribute(cls, "http_method_names")
    if allowed is not None and isinstance(allowed.value, ast.List | ast.Tuple):
        names = {str(e.value).upper() for e in allowed.value.elts if isinstance(e, ast.Constant)}
        methods = [method for method in methods if method in names]
    return tuple(dict.fromkeys(methods))


def api_view_methods(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...] | None:
    """The methods `@api_view([...])` lists (None: not a DRF function view)."""
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and call_name(decorator.func) == "api_view":
            if not decorator.args:
                return ("GET",)
            listed = decorator.args[0]
            if isinstance(listed, ast.List | ast.Tuple):
                return tuple(
                    str(e.value).upper() for e in listed.elts if isinstance(e, ast.Constant)
                )
    return None


def names_allow_any(node: ast.expr | None) -> bool:
    """Whether a permission list is (or contains) `AllowAny`."""
    if node is None:
        return False
    elements = node.elts if isinstance(node, ast.List | ast.Tuple) else [node]
    return any(call_name(element) == "AllowAny" for element in elements)


# DRF's own view and viewset classes, by name: a class built on one is a DRF view.
_DRF_BASES = re.compile(r"APIView$|ViewSet$|^ViewSetMixin$|ModelMixin$")


@dataclass(frozen=True, slots=True)
class _ApiFacts:
    """What one module tells about the project's DRF views (kept per file in a session)."""

    classes: tuple[tuple[str, tuple[str, ...], bool], ...]  # name, bases, writes unguarded
    function_views: bool  # an `@api_view` function
    open_function: bool  # one that accepts a write without its own permissions


def _api_facts(file: SourceFile) -> _ApiFacts:
    classes = tuple(
        (
            cls.name,
            tuple(base_names(cls)),
            bool(unsafe_methods_of_class(cls))
            and class_attribute(cls, "permission_classes") is None
            and not any(
                isinstance(item, ast.FunctionDef) and item.name == "get_permissions"
                for item in cls.body
            ),
        )
        for cls in file.nodes_of(ast.ClassDef)
    )
    listed = [(f, api_view_methods(f)) for f in file.functions()]
    open_function = any(
        any(m in UNSAFE for m in methods or ())
        and not any(
            isinstance(d, ast.Call) and call_name(d.func) == "permission_classes"
            for d in function.decorator_list
        )
        for function, methods in listed
    )
    return _ApiFacts(classes, any(m is not None for _, m in listed), open_function)


def api_is_read_only(project: Project, files: Iterable[SourceFile]) -> bool:
    """Whether the project has DRF views and none accepts a write without its own permissions.

    A class counts as a DRF view when one of its bases is DRF's (`*APIView`,
    `*ViewSet`, the model mixins) or a project class that is one, so views
    built on a project base are not missed. A view that writes counts as open
    unless it sets `permission_classes` or overrides `get_permissions` itself
    (inherited policies are not followed: when unsure, the answer is "not
    read-only"). Each file's facts are read once per file in a session.
    """
    facts = [project.per_file("drf-api", file, "", _api_facts) for file in files]
    classes = [cls for fact in facts for cls in fact.classes]
    drf: set[str] = set()
    while True:
        found = {
            name
            for name, bases, _ in classes
            if any(_DRF_BASES.search(base) or base in drf for base in bases)
        }
        if found <= drf:
            break
        drf |= found
    writers = [name for name, _, unguarded in classes if name in drf and unguarded]
    has_views = bool(drf) or any(fact.function_views for fact in facts)
    return has_views and not writers and not any(fact.open_function for fact in facts)
