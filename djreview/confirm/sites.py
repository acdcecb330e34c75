"""Where a query came from: the project's own frames, template nodes, serializer fields.

A stack walk keeps only what a djreview finding can point at: lines of the
project's Python files, lines of its templates (read from the template nodes
Django is rendering) and the serializer fields DRF is filling. Frames of
Django, DRF, the standard library and djreview itself are skipped, so a walk
costs a few microseconds and never calls ``inspect.stack()`` (which reads
every source file).
"""

from __future__ import annotations

import ast
import re
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

_TEMPLATE_BASE = ("django", "template", "base.py")
_DRF_SERIALIZERS = ("rest_framework", "serializers.py")
_GRAPHQL_EXECUTE = "graphql/execution/execute.py"
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_TEST_NAMES = ("conftest.py", "tests.py", "test.py")


@dataclass(frozen=True, slots=True, order=True)
class Site:
    """One place in the project: a Python or template line (project-relative path)."""

    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Stack:
    """The project places on one call stack, innermost first, and its loop passes."""

    sites: tuple[Site, ...]
    # Identities of the enclosing template {% for %} node and DRF list pass, so
    # repeats are counted per loop pass rather than per test.
    passes: tuple[int, ...]
    in_test_code: bool


def _is_test_path(path: str) -> bool:
    parts = path.split("/")
    name = parts[-1]
    return (
        name in _TEST_NAMES
        or name.startswith("test_")
        or name.endswith("_test.py")
        or "tests" in parts[:-1]
        or "test" in parts[:-1]
    )


class StackReader:
    """Turns frames into project `Site`s; one per test session, caches per file."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._prefix = str(self.root) + "/"
        skipped = {
            sysconfig.get_paths()["purelib"],
            sysconfig.get_paths()["platlib"],
            sysconfig.get_paths()["stdlib"],
            str(Path(__file__).resolve().parents[1]),
            sys.prefix,
            sys.base_prefix,
        }
        self._skipped = tuple(sorted(p + "/" for p in skipped if p))
        self._relative: dict[str, str | None] = {}
        self._test_files: dict[str, bool] = {}
        self._field_lines: dict[tuple[str, str, str], int | None] = {}
        self._parsed: set[str] = set()

    def relative(self, filename: str) -> str | None:
        """The project-relative path of a project file, None for anything else."""
        cached = self._relative.get(filename, "")
        if cached != "":
            return cached
        result: str | None = None
        if filename.startswith("<"):
            # "<frozen runpy>", "<string>": code with no file of its own.
            self._relative[filename] = None
            return None
        resolved = filename
        if not filename.startswith("/"):
            resolved = str(Path(filename).resolve())
        if resolved.startswith(self._prefix) and not resolved.startswith(self._skipped):
            relative = resolved[len(self._prefix) :]
            if "/site-packages/" not in resolved and not relative.startswith("."):
                result = relative
        self._relative[filename] = result
        return result

    def read(self, frame: FrameType | None) -> Stack:
        """The project sites of the stack that starts at `frame`."""
        return self.read_call(frame)[0]

    def read_call(self, frame: FrameType | None) -> tuple[Stack, FrameType | None]:
        """The project sites of the stack, and the frame the innermost test frame called.

        Every query issued during one call made by test code sees the same
        callee frame; a test calling a project function in its own loop makes
        a new one per pass. None when no test code is on the stack. The frame
        is for an identity test only.
        """
        sites: list[Site] = []
        passes: list[int] = []
        callee: FrameType | None = None
        called: FrameType | None = None
        while frame is not None:
            code = frame.f_code
            filename = code.co_filename
            relative = self.relative(filename)
            if relative is not None:
                site = Site(relative, frame.f_lineno)
                sites.append(site)
                if called is None and callee is not None and self._is_test_file(relative):
                    called = callee
            elif code.co_name == "render_annotated" and filename.endswith("base.py"):
                self._template_site(frame, sites, passes)
            elif code.co_name == "to_representation" and filename.endswith("serializers.py"):
                self._serializer_site(frame, sites, passes)
            elif filename.endswith(_GRAPHQL_EXECUTE):
                self._graphql_site(frame, sites, passes)
            callee, frame = frame, frame.f_back
        # A test's own loop (building rows, calling a view per case) is no N+1.
        in_test = bool(sites) and self._is_test_file(sites[0].path)
        return Stack(tuple(sites), tuple(passes), in_test), called

    def _is_test_file(self, relative: str) -> bool:
        known = self._test_files.get(relative)
        if known is None:
            known = self._test_files[relative] = _is_test_path(relative)
        return known

    def _template_site(self, frame: FrameType, sites: list[Site], passes: list[int]) -> None:
        if not frame.f_code.co_filename.endswith("/".join(_TEMPLATE_BASE)):
            return
        node = frame.f_locals.get("self")
        origin = getattr(node, "origin", None)
        token = getattr(node, "token", None)
        name = getattr(origin, "name", None)
        line = getattr(token, "lineno", None)
        if not isinstance(name, str) or not isinstance(line, int):
            return
        relative = self.relative(name)
        if relative is None:
            return
        sites.append(Site(relative, line))
        if type(node).__name__ == "ForNode":
            passes.append(id(node))

    def _serializer_site(self, frame: FrameType, sites: list[Site], passes: list[int]) -> None:
        if not frame.f_code.co_filename.endswith("/".join(_DRF_SERIALIZERS)):
            return
        serializer = frame.f_locals.get("self")
        if hasattr(serializer, "child"):  # a ListSerializer: one pass over the rows
            passes.append(id(serializer))
            child = getattr(serializer, "child", None)
            site = self._class_site(type(child)) if child is not None else None
            if site is not None:
                sites.append(site)
            return
        declared = frame.f_locals.get("field")
        name = getattr(declared, "field_name", None)
        if isinstance(name, str):
            site = self._field_site(type(serializer), name)
            if site is not None:
                sites.append(site)

    def _graphql_site(self, frame: FrameType, sites: list[Site], passes: list[int]) -> None:
        """graphql-core resolving a field of a graphene or strawberry type (each row's pass)."""
        name = frame.f_code.co_name
        if name == "complete_list_value":
            # The field's node in the query document: the same for every row of an
            # outer list, so a nested list's repeats still count as one pass.
            listed = frame.f_locals.get("field_nodes") or (None,)
            passes.append(id(listed[0]))
            return
        if name != "execute_field":
            return
        parent = frame.f_locals.get("parent_type")
        nodes = frame.f_locals.get("field_nodes") or ()
        cls = getattr(parent, "graphene_type", None)
        if cls is None:
            definition = (getattr(parent, "extensions", None) or {}).get("strawberry-definition")
            cls = getattr(definition, "origin", None)
        field = getattr(getattr(nodes[0], "name", None), "value", None) if nodes else None
        if not isinstance(cls, type) or not isinstance(field, str):
            return
        sites.extend(self._graphql_field_sites(cls, _CAMEL.sub("_", field).lower()))

    def _graphql_field_sites(self, cls: type[Any], field: str) -> list[Site]:
        """The declaration of a GraphQL field, its resolver, or the Meta.fields that exposes it."""
        for klass in cls.__mro__:
            relative = self._source_of(klass)
            if relative is None:
                continue
            found = [
                Site(relative, line)
                for attribute in (field, f"resolve_{field}")
                if (line := self._line_in_class(relative, klass.__qualname__, attribute))
            ]
            meta = self._line_in_class(relative, f"{klass.__qualname__}.Meta", "fields")
            if not found and meta is not None:
                found.append(Site(relative, meta))
            if found:
                return found
        return []

    def _source_of(self, cls: type[Any]) -> str | None:
        """The project file that defines `cls`, None for library classes."""
        module = sys.modules.get(cls.__module__)
        return self.relative(getattr(module, "__file__", None) or "")

    def _class_site(self, cls: type[Any]) -> Site | None:
        relative = self._source_of(cls)
        if relative is None:
            return None
        line = self._line_in_class(relative, cls.__qualname__, "")
        return Site(relative, line) if line is not None else None

    def _field_site(self, cls: type[Any], field_name: str) -> Site | None:
        """The line declaring `field_name` on the serializer or its project bases."""
        for klass in cls.__mro__:
            relative = self._source_of(klass)
            if relative is None:
                continue
            line = self._line_in_class(relative, klass.__qualname__, field_name)
            if line is not None:
                return Site(relative, line)
        return None

    def _line_in_class(self, relative: str, qualname: str, attribute: str) -> int | None:
        if relative not in self._parsed:
            # Each module once: the lookups run on every query of every test.
            self._parsed.add(relative)
            self._field_lines.update(_class_lines(self.root / relative, relative))
        return self._field_lines.get((relative, qualname, attribute))


def _class_lines(path: Path, relative: str) -> dict[tuple[str, str, str], int | None]:
    """(file, class qualname, attribute) -> line, for every class of a module.

    The attribute "" is the class statement itself.
    """
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return {}
    lines: dict[tuple[str, str, str], int | None] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if not isinstance(node, ast.ClassDef):
                continue
            qualname = f"{prefix}{node.name}"
            lines[(relative, qualname, "")] = node.lineno
            for statement in node.body:
                for target in _assigned_names(statement):
                    lines[(relative, qualname, target)] = statement.lineno
            visit(node.body, qualname + ".")

    visit(tree.body, "")
    return lines


def _assigned_names(statement: ast.stmt) -> list[str]:
    if isinstance(statement, ast.Assign):
        return [t.id for t in statement.targets if isinstance(t, ast.Name)]
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return [statement.target.id]
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
        # A resolver (resolve_x) stands for its field; a method's own frame is a project frame.
        return [statement.name]
    return []
