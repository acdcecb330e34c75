"""The GraphQL schema of a language-server session, kept while nothing it was read from changes.

Collecting the schema scans every class of every module (is it an object
type?) and reads each type's fields through its bases: on saleor, the largest
part of the step after an edit to a file no type lives in. The scan's answer
is fixed by `kept.heads_context`; the fields by the class bodies opened and
the resolvers' modules (see `kept`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from djreview.project.graphql import GraphQLCollector, GraphQLSchema
from djreview.project.kept import Tracked, heads_context, tracked, with_current_models
from djreview.source.project import Project

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel


def kept_schema(project: Project, index: ProjectModel) -> GraphQLSchema:
    """The schema of `index`: collected, or the session's earlier one while it still holds."""
    if project.memo is None:
        return GraphQLCollector(index).collect()
    kept = project.joined(
        "graphql-schema",
        heads_context(project, index),
        lambda: _collect(project, index),
        lambda k: k.valid_in(project),
    )
    schema, models = with_current_models(kept, index, lambda: _collect(project, index))
    for name, graphql_type in schema.types.items():
        graphql_type.model = models.get(name)
    return schema


def _collect(project: Project, index: ProjectModel) -> Tracked[GraphQLSchema]:
    schema, reads = tracked(project, index, GraphQLCollector(index).collect, _files_of)
    models = tuple(
        (name, graphql_type.model.label)
        for name, graphql_type in schema.types.items()
        if graphql_type.model is not None
    )
    return Tracked(schema, reads, models)


def _files_of(schema: GraphQLSchema) -> list[str]:
    """The types' modules, their resolvers' modules and the optimizer installs'."""
    rels = [location.path for location in schema.optimizer]
    for graphql_type in schema.types.values():
        rels.append(graphql_type.file)
        resolvers = [field.resolver for field in graphql_type.fields.values()]
        rels.extend(r.rel for r in [*resolvers, graphql_type.get_queryset] if r is not None)
    return rels
