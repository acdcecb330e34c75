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

    # Name, bases, whether it writes, whether it sets its own permissions.
    classes: tuple[tuple[str, tuple[str, ...], bool, bool], ...]
    function_views: bool  # an `@api_view` function
    open_function: bool  # one that accepts a write without its own permissions
    # Classes bound here with `X.as_view({"get": "retrieve"})`, safe methods only.
    bound_read_only: frozenset[str]
    # Classes mentioned here any other way (a router registration, a write binding, a list).
    used_otherwise: frozenset[str]


def _api_facts(file: SourceFile) -> _ApiFacts:
    classes = tuple(
        (
            cls.name,
            tuple(base_names(cls)),
            bool(unsafe_methods_of_class(cls)),
            class_attribute(cls, "permission_classes") is not None
            or any(
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
    bound, other = _bindings(file)
    return _ApiFacts(classes, any(m is not None for _, m in listed), open_function, bound, other)


_SAFE_METHODS = frozenset({"get", "head", "options"})


def _bindings(file: SourceFile) -> tuple[frozenset[str], frozenset[str]]:
    """Classes bound with a literal safe-method action map, and classes used any other way."""
    tree = file.tree
    if tree is None:
        return frozenset(), frozenset()
    bound: set[str] = set()
    receivers: set[int] = set()
    for call in file.nodes_of(ast.Call):
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "as_view" and call.args):
            continue
        actions = call.args[0]
        if (
            isinstance(actions, ast.Dict)
            and actions.keys
            and all(
                isinstance(key, ast.Constant) and str(key.value).lower() in _SAFE_METHODS
                for key in actions.keys
            )
        ):
            name = func.value.attr if isinstance(func.value, ast.Attribute) else None
            name = func.value.id if isinstance(func.value, ast.Name) else name
            if name is not None:
                bound.add(name)
                receivers.add(id(func.value))
    bases = {id(base) for cls in file.nodes_of(ast.ClassDef) for base in cls.bases}
    skipped = receivers | bases
    other = {
        node.id if isinstance(node, ast.Name) else node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Name | ast.Attribute)
        and isinstance(node.ctx, ast.Load)
        and id(node) not in skipped
    }
    return frozenset(bound), frozenset(
        name for name in other if name in bound or name[:1].isupper()
    )


def api_is_read_only(project: Project, files: Iterable[SourceFile]) -> bool:
    """Whether the project has DRF views and none accepts a write without its own permissions.

    A class counts as a DRF view when one of its bases is DRF's (`*APIView`,
    `*ViewSet`, the model mixins) or a project class that is one, so views
    built on a project base are not missed. A view that writes counts as open
    unless it sets `permission_classes` or overrides `get_permissions`, itself
    or in a project base class (a mixin) it is built on, followed by name
    (when two project classes share the name, both must guard), or unless
    it is a viewset whose every mention outside its class statement is an
    `as_view({...})` binding of safe methods only
    (`get`, `head`, `options`): a router registration, a binding with
    `post`/`put`/`patch`/`delete` or any other mention keeps it a writer.
    Each file's facts are read once per file in a session.
    """
    facts = [project.per_file("drf-api", file, "", _api_facts) for file in files]
    classes = [cls for fact in facts for cls in fact.classes]
    drf = _closure(
        classes, {name for name, bases, *_ in classes if any(map(_DRF_BASES.search, bases))}
    )
    # Permissions set by the class or by a project base (a mixin), for every class so named.
    guarded = _guarded(classes)
    # A viewset bound only with safe-method action maps, and never registered on a router
    # (which would route every action it has), serves reads only.
    used_otherwise = {name for fact in facts for name in fact.used_otherwise}
    read_only = {name for fact in facts for name in fact.bound_read_only} - used_otherwise
    writers = [
        name
        for name, _, writes, _ in classes
        if name in drf and writes and name not in guarded and name not in read_only
    ]
    has_views = bool(drf) or any(fact.function_views for fact in facts)
    return has_views and not writers and not any(fact.open_function for fact in facts)


_Class = tuple[str, tuple[str, ...], bool, bool]


def _closure(classes: list[_Class], seed: set[str]) -> set[str]:
    """The `seed` class names and every class with a base among them, to a fixed point."""
    found = set(seed)
    while True:
        more = {name for name, bases, *_ in classes if any(base in found for base in bases)}
        if more <= found:
            return found
        found |= more


def _guarded(classes: list[_Class]) -> set[str]:
    """Names whose every project class sets permissions itself or has a base that does."""
    by_name: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    for name, bases, _, guards in classes:
        by_name.setdefault(name, []).append((bases, guards))
    found: set[str] = set()
    while True:
        more = {
            name
            for name, defined in by_name.items()
            if name not in found
            and all(guards or any(base in found for base in bases) for bases, guards in defined)
        }
        if not more:
            return found
        found |= more
