"""Fingerprints of the project facts other files' analyses read, positions left out.

An analysis that keeps one file's facts between runs (`Project.per_file`)
must fingerprint everything else those facts were derived from. Two kinds
cover the analyses that do so: the names each module binds at its top level
(what `NameResolver` and `ClassTable.assignment` follow across modules), and
derived facts such as a schema, given as plain data (`shape`). Line and
column numbers are left out on purpose: an edit that only moves a model does
not change what another file's lookup resolves to.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import weakref
from collections.abc import Container, Iterable
from typing import TYPE_CHECKING

from djreview.model import Location
from djreview.project.modules import ModuleInfo
from djreview.project.referenced import Referenced, referenced
from djreview.source.file import SourceFile
from djreview.source.project import Project

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel

_MODEL_CONTEXTS: weakref.WeakKeyDictionary[ProjectModel, str] = weakref.WeakKeyDictionary()
_NAMES: weakref.WeakKeyDictionary[ProjectModel, str] = weakref.WeakKeyDictionary()


def shape(value: object) -> object:
    """`value` as nested tuples of plain values; trees, files and locations left out."""
    return _plain(value, places=False)


def _plain(value: object, places: bool) -> object:
    """`value` as nested tuples; trees, files and locations as their places, or left out.

    An object met twice (shared, or a cycle) is walked once.
    """
    seen: dict[int, int] = {}

    def walk(item: object) -> object:
        if isinstance(item, str | int | float | bool) or item is None:
            return item
        if isinstance(item, ast.AST | SourceFile | Location):
            return _place(item) if places else None
        if id(item) in seen:
            return ("seen", seen[id(item)])
        seen[id(item)] = len(seen)
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            fields = dataclasses.fields(item)
            return (type(item).__name__, tuple(walk(getattr(item, f.name)) for f in fields))
        if isinstance(item, dict):
            return tuple((walk(k), walk(v)) for k, v in item.items())
        if isinstance(item, set | frozenset):
            return tuple(sorted(repr(walk(member)) for member in item))
        if isinstance(item, list | tuple):
            return tuple(walk(member) for member in item)
        return repr(type(item))

    return walk(value)


def _place(item: ast.AST | SourceFile | Location) -> object:
    if isinstance(item, Location):
        return (item.path, item.start_line, item.start_column, item.end_line, item.end_column)
    if isinstance(item, SourceFile):
        return ("file", item.rel, item.digest)
    return (
        type(item).__name__,
        getattr(item, "lineno", None),
        getattr(item, "col_offset", None),
        getattr(item, "end_lineno", None),
        getattr(item, "end_col_offset", None),
    )


def digest(*parts: object) -> str:
    """A short digest of the repr of `parts`."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


@dataclasses.dataclass(frozen=True)
class _Bindings:
    """A module's header (name, package, star imports, `__all__`) and one digest per binding."""

    header: str
    names: tuple[tuple[str, str], ...]

    def digest(self, spelled: Container[str]) -> str:
        return digest(self.header, tuple(item for item in self.names if _read(item[0], spelled)))


def _bindings_of(info: ModuleInfo) -> _Bindings:
    """What a module's top level binds, for name resolution from other modules."""
    header = digest(info.name, info.is_package, tuple(info.star_imports), info.all_names)
    try:
        return _Bindings(header, _binding_digests(info))
    except RecursionError:  # a generated, deeply nested value: the file's digest stands in
        return _Bindings(digest(header, info.file.digest or info.file.text), ())


def _binding_digests(info: ModuleInfo) -> tuple[tuple[str, str], ...]:
    defs = tuple(
        (
            name,
            digest(
                type(node).__name__,
                ast.dump(node.value)
                if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
                else "",
            ),
        )
        for name, node in info.defs.items()
    )
    imports = tuple((name, digest("import", target)) for name, target in info.imports.items())
    return defs + imports


# Names Django or djreview read from a module by convention, without any code spelling
# them: URLconfs, template tag libraries, error handlers, settings (upper case), dunders.
_CONVENTIONAL = frozenset({"urlpatterns", "app_name", "register", "default_app_config"})


def _read(name: str, spelled: Container[str]) -> bool:
    return (
        name in spelled
        or name in _CONVENTIONAL
        or name.isupper()
        or name.startswith(("__", "handler"))
    )


def names_fingerprint(project: Project, modules: Iterable[ModuleInfo]) -> str:
    """The names the modules bind that some file spells: equal while none of those change.

    A binding nobody spells (a new helper not yet used elsewhere) cannot
    change another module's resolution (see `project.referenced`).
    """
    spelled = referenced(project)
    return digest(tuple(_module_names(project, info, spelled) for info in modules))


def index_names(project: Project, index: ProjectModel) -> str:
    """`names_fingerprint` of the project model's modules, once per build."""
    found = _NAMES.get(index)
    if found is None:
        found = _NAMES[index] = names_fingerprint(project, index.modules.values())
    return found


def _module_names(project: Project, info: ModuleInfo, spelled: Referenced) -> str:
    """A module's names digest, kept while the file, its name and the spelled names stay."""
    kept = project.per_file(
        "names", info.file, info.name, lambda _f: _KeptNames(_bindings_of(info))
    )
    return kept.digest(spelled)


class _KeptNames:
    """A module's bindings and their digest under the spelled names of a token.

    When the spelled names change (a new identifier somewhere), only a module
    that binds one of the names that changed digests again.
    """

    def __init__(self, bindings: _Bindings) -> None:
        self.bindings = bindings
        self.token = 0
        self.value = ""

    def digest(self, spelled: Referenced) -> str:
        if self.token != spelled.token:
            names = (name for name, _ in self.bindings.names)
            if not self.token or spelled.flipped_since(self.token, names):
                self.value = self.bindings.digest(spelled)
            self.token = spelled.token
        return self.value


def model_context(project: Project, index: ProjectModel) -> str:
    """Every module's names and every model's facts (fields, managers, methods), once per build."""
    if project.memo is None:
        return ""  # nothing is kept across runs: no context to tell them apart
    found = _MODEL_CONTEXTS.get(index)
    if found is None:
        found = _MODEL_CONTEXTS[index] = digest(
            index_names(project, index),
            index.models_shape(),
            index.user_model_label,
        )
    return found


def located(value: object) -> str:
    """A digest of `value` with its places: locations, node positions, files' digests.

    For an analysis' output (problems, needs, flows): equal digests mean the
    same facts at the same places, so what a rule reports from them is too.
    """
    return digest(_plain(value, places=True))
