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
from collections.abc import Iterable
from typing import TYPE_CHECKING

from djreview.model import Location
from djreview.project.modules import ModuleInfo
from djreview.source.file import SourceFile
from djreview.source.project import Project

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel

_MODEL_CONTEXTS: weakref.WeakKeyDictionary[ProjectModel, str] = weakref.WeakKeyDictionary()


def shape(value: object) -> object:
    """`value` as nested tuples of plain values; trees, files and locations left out."""
    if isinstance(value, ast.AST | SourceFile | Location):
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple(shape(getattr(value, f.name)) for f in dataclasses.fields(value)),
        )
    if isinstance(value, dict):
        return tuple((shape(k), shape(v)) for k, v in value.items())
    if isinstance(value, set | frozenset):
        return tuple(sorted(repr(shape(item)) for item in value))
    if isinstance(value, list | tuple):
        return tuple(shape(item) for item in value)
    return repr(type(value))


def digest(*parts: object) -> str:
    """A short digest of the repr of `parts`."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _names_of(info: ModuleInfo) -> str:
    """What a module's top level binds, for name resolution from other modules."""
    defs = tuple(
        (
            name,
            type(node).__name__,
            ast.dump(node.value)
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
            else "",
        )
        for name, node in info.defs.items()
    )
    return digest(
        info.name,
        info.is_package,
        tuple(info.imports.items()),
        tuple(info.star_imports),
        info.all_names,
        defs,
    )


def names_fingerprint(project: Project, modules: Iterable[ModuleInfo]) -> str:
    """The names every module binds: equal as long as no module's bindings change."""
    return digest(tuple(_module_names(project, info) for info in modules))


def _module_names(project: Project, info: ModuleInfo) -> str:
    """A module's names digest, kept per file (it depends on the file and its module name)."""
    return project.per_file("names", info.file, info.name, lambda _file: _names_of(info))


def model_context(project: Project, index: ProjectModel) -> str:
    """Every module's names and every model's facts (fields, managers, methods), once per build."""
    found = _MODEL_CONTEXTS.get(index)
    if found is None:
        found = _MODEL_CONTEXTS[index] = digest(
            names_fingerprint(project, index.modules.values()),
            shape(index.models),
            index.user_model_label,
        )
    return found
