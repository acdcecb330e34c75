"""The whole missing-index analysis of one project, computed once and shared by DJR201-203."""

from __future__ import annotations

from dataclasses import dataclass, field

from djreview.indexes.changes import plan_changes
from djreview.indexes.coverage import Coverage
from djreview.indexes.lookups import Collector
from djreview.indexes.migration_leaf import AppMigrations, read_migrations
from djreview.indexes.model_defs import Schema, read_schema
from djreview.indexes.model_edit import release_caches
from djreview.indexes.ranking import Need, Ranker
from djreview.indexes.table_size import read_sizes
from djreview.model import Fix, Location, RelatedLocation
from djreview.source.project import Project

SOURCE_LABEL = {
    "queryset": "queryset lookup",
    "get_object_or_404": "get_object_or_404",
    "get_list_or_404": "get_list_or_404",
    "slug_field": "DetailView slug_field",
    "lookup_field": "DRF lookup_field",
    "filterset_fields": "DRF filterset_fields",
    "filter_fields": "DRF filter_fields",
    "filterset": "django-filter FilterSet",
    "search_fields": "search_fields",
    "ordering_fields": "DRF ordering_fields",
    "ordering": "ordering",
    "list_filter": "admin list_filter",
    "Meta.ordering": "Meta.ordering",
}


@dataclass
class IndexAnalysis:
    """Needs (best first) and the fix of each fixable one."""

    schema: Schema
    needs: list[Need]
    fixes: dict[int, Fix] = field(default_factory=dict)
    # The project's own file paths: a finding points only at code the project can edit.
    files: frozenset[str] = frozenset()

    @classmethod
    def build(cls, project: Project) -> IndexAnalysis:
        """The missing-index analysis of `project` (once per run, by `Project.analysis`)."""
        return _analyse(project)

    def fix_for(self, need: Need) -> Fix | None:
        """The fix of a need, when djreview can write one."""
        return self.fixes.get(id(need))

    def location(self, need: Need) -> Location:
        """Where the finding points: the declaration of the need's first field, where the
        index goes (in the abstract base for an inherited field); the hottest query site
        when the field has no declaration in the project (an implicit `id`, a field of
        Django's own `AbstractUser`: the fix goes on the model, not there)."""
        found = need.model.field(need.fields[0])
        where = found.location if found is not None else None
        if where is not None and where.path in self.files:
            return where
        return need.primary().location

    def related(self, need: Need) -> list[RelatedLocation]:
        """The hottest query site first, then the other sites and the model class.

        When the finding points at a query site (no field declaration), that
        site is not repeated.
        """
        primary = need.primary()
        at_field = self.location(need) != primary.location
        hottest = [
            RelatedLocation(
                primary.location,
                f"hottest query site: {SOURCE_LABEL.get(primary.source, primary.source)} "
                f"({primary.context})",
            )
        ]
        out = (hottest if at_field else []) + [
            RelatedLocation(
                site.location, f"{SOURCE_LABEL.get(site.source, site.source)} ({site.context})"
            )
            for site in need.sites
            if site is not primary
        ]
        model = need.model
        out.append(RelatedLocation(model.file.node_location(model.node), f"model {model.key}"))
        return list(dict.fromkeys(out))


def _analyse(project: Project) -> IndexAnalysis:
    """Lookup sites, ranked needs and their fixes."""
    schema = read_schema(project)
    migrations: dict[str, AppMigrations] = {
        app: read_migrations(project, app, folder) for app, folder in schema.app_dirs.items()
    }
    collector = Collector(project, schema)
    sites = collector.collect()
    sizes = read_sizes(project, schema, collector.base, collector.context)
    ranker = Ranker(schema, Coverage(schema.index.migration_indexes), collector.listed, sizes)
    for site in sites:
        ranker.add(site)
    needs = ranker.result()
    result = IndexAnalysis(
        schema, needs, plan_changes(project, needs, migrations), frozenset(project.by_rel)
    )
    release_caches()
    return result
