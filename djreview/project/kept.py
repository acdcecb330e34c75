"""Project-model tables a language-server session keeps while nothing they were read from changes.

A table (the GraphQL schema, one module's views) is derived from the modules.
What it reads of other modules falls in two parts: what they bind and the
heads of their classes (names, bases, keywords, decorators) and module-level
calls, fingerprinted with the models' facts in `heads_context`; and the
bodies of the classes it opened, recorded as it runs (`ClassTable.touched`)
and checked to be the same files on reuse (`Tracked.valid_in`). A table holds
models of the build that found it, so a kept one takes its models from the
current project model by label (`with_current_models`).
"""

from __future__ import annotations

import ast
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from djreview.project import facts_context
from djreview.project.model_types import ModelInfo
from djreview.project.modules import ModuleInfo, module_statements
from djreview.source.file import SourceFile
from djreview.source.project import Project

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel

T = TypeVar("T")
_CONTEXTS: weakref.WeakKeyDictionary[ProjectModel, str] = weakref.WeakKeyDictionary()
_HEADS: weakref.WeakKeyDictionary[ProjectModel, str] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Tracked(Generic[T]):
    """A table, the files it was read from, and (name, model label) for its models."""

    value: T
    reads: tuple[SourceFile, ...]
    models: tuple[tuple[str, str], ...] = ()

    def valid_in(self, project: Project) -> bool:
        """Whether every file the table was read from is still the project's file."""
        return all(project.by_rel.get(file.rel) is file for file in self.reads)


def tracked(
    project: Project,
    index: ProjectModel,
    compute: Callable[[], T],
    rels: Callable[[T], Iterable[str]],
) -> tuple[T, tuple[SourceFile, ...]]:
    """`compute()` and the files it read: the class bodies it opened and `rels(value)`."""
    outer = index.classes.touched
    index.classes.touched = set()
    try:
        value = compute()
        read = set(index.classes.touched)
    finally:
        if outer is not None:
            outer |= index.classes.touched
        index.classes.touched = outer
    read.update(rels(value))
    return value, tuple(project.by_rel[rel] for rel in sorted(read) if rel in project.by_rel)


def with_current_models(
    kept: Tracked[T], index: ProjectModel, fresh: Callable[[], Tracked[T]]
) -> tuple[T, dict[str, ModelInfo]]:
    """A kept table and each of its names' model in the current build, by label.

    When a label is no longer a model, the table is computed afresh (`fresh()`).
    """
    models = _current_models(kept.models, index)
    if models is None:
        kept = fresh()
        models = _current_models(kept.models, index) or {}
    return kept.value, models


def _current_models(
    labels: Iterable[tuple[str, str]], index: ProjectModel
) -> dict[str, ModelInfo] | None:
    found: dict[str, ModelInfo] = {}
    for name, label in labels:
        model = index.models.get(label)
        if model is None:
            return None
        found[name] = model
    return found


def heads_context(project: Project, index: ProjectModel) -> str:
    """The models' facts, every module's bindings, class heads and module-level calls."""
    found = _CONTEXTS.get(index)
    if found is None:
        found = _CONTEXTS[index] = facts_context.digest(
            facts_context.model_context(project, index), heads_fingerprint(project, index)
        )
    return found


def heads_fingerprint(project: Project, index: ProjectModel) -> str:
    """Every module's class heads and module-level calls (each kept per file), once per build."""
    found = _HEADS.get(index)
    if found is None:
        found = _HEADS[index] = facts_context.digest(
            tuple(_module_heads(project, info) for info in index.modules.values())
        )
    return found


def _module_heads(project: Project, info: ModuleInfo) -> str:
    return project.per_file("class-heads", info.file, info.name, lambda _file: _heads(info))


def _heads(info: ModuleInfo) -> str:
    """What a scan for models, views or types reads of a module besides its bindings."""
    tree = info.file.tree
    classes = tuple(
        (
            node.name,
            tuple(ast.dump(base) for base in node.bases),
            tuple(ast.dump(keyword) for keyword in node.keywords),
            tuple(ast.dump(decorator) for decorator in node.decorator_list),
        )
        for node in info.classes()
    )
    calls = tuple(
        ast.dump(statement.value)
        for statement in (module_statements(tree.body) if tree is not None else ())
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
    )
    return facts_context.digest(classes, calls)
