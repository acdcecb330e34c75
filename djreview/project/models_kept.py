"""A language-server session's models, kept while nothing they were read from changes.

Which classes are models follows from the modules' bindings and class heads;
a model's fields, managers and Meta from the bodies of the classes the
collector opened (its own, its abstract bases, its managers and field
classes), recorded as it runs (see `kept`); its app label from the apps'
configs and its relations' targets from the settings (the user model, the
contrib apps installed). While all of those are the same, the models of the
last build are the models of this one: the same objects, so facts other
analyses keep about them stay theirs. Building them was a fifth of the step
after an edit on saleor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from djreview.project import facts_context
from djreview.project.kept import Tracked, heads_fingerprint, tracked
from djreview.project.model_types import ModelInfo
from djreview.project.relations import ModelLookup
from djreview.source.project import Project

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel


@dataclass
class ModelBlock:
    """The models by class and by label, their lookup, and their shape once computed."""

    by_class: dict[str, ModelInfo]
    models: dict[str, ModelInfo]
    lookup: ModelLookup
    shape_digest: str | None = None


def kept_models(project: Project, index: ProjectModel) -> ModelBlock:
    """The models of `index`: built, or the session's earlier ones while they still hold."""
    if project.memo is None:
        return index.build_models()
    context = facts_context.digest(
        facts_context.index_names(project, index),
        heads_fingerprint(project, index),
        facts_context.shape(index.apps.apps),
        index.default_auto_field,
        index.user_model_label,
        sorted(index.installed_builtin_apps),
    )
    kept = project.joined(
        "project-models", context, lambda: _build(project, index), lambda k: k.valid_in(project)
    )
    return kept.value


def _build(project: Project, index: ProjectModel) -> Tracked[ModelBlock]:
    block, reads = tracked(
        project, index, index.build_models, lambda b: [m.file for m in b.models.values()]
    )
    return Tracked(block, reads)
