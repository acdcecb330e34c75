"""A language-server session's views, kept per module while nothing they were read from changes.

Finding one module's views reads its own functions and classes, and through
the class table its views' bases (template names, models, context names):
kept per module on `kept.heads_context` and the class bodies opened (see
`kept`). On saleor the views were a tenth of the step after an edit.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from djreview.project.kept import Tracked, heads_context, tracked, with_current_models
from djreview.project.modules import ModuleInfo
from djreview.project.views import ViewCollector, ViewInfo, may_hold_views
from djreview.source.project import Project

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel


def kept_views(project: Project, index: ProjectModel) -> dict[str, ViewInfo]:
    """Every view by qualified name: each module's found afresh, or kept from the last run."""
    collector = ViewCollector(index)
    if project.memo is None:
        return collector.collect()
    context = heads_context(project, index)
    views: dict[str, ViewInfo] = {}
    for module in index.modules.values():
        kept = _kept_module_views(project, index, collector, module, context)
        fresh = partial(_module_views, project, index, collector, module)
        found, models = with_current_models(kept, index, fresh)
        for name, view in found.items():
            view.model = models.get(name)
        views.update(found)
    return views


def _kept_module_views(
    project: Project,
    index: ProjectModel,
    collector: ViewCollector,
    module: ModuleInfo,
    context: str,
) -> Tracked[dict[str, ViewInfo]]:
    return project.per_file(
        "views",
        module.file,
        context,
        lambda _file: _module_views(project, index, collector, module),
        still_valid=lambda kept: kept.valid_in(project),
    )


def _module_views(
    project: Project, index: ProjectModel, collector: ViewCollector, module: ModuleInfo
) -> Tracked[dict[str, ViewInfo]]:
    if not may_hold_views(module):  # asked once per file: the text search is not free
        return Tracked({}, ())
    found, reads = tracked(
        project, index, lambda: collector.module_views(module), lambda _v: [module.rel]
    )
    models = tuple((name, v.model.label) for name, v in found.items() if v.model is not None)
    return Tracked(found, reads, models)
