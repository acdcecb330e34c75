"""DJR150 problems: per-object GraphQL resolver queries, with the list field and the cure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from djreview.model import RelatedLocation
from djreview.nplusone.graphql_lists import GraphQLReader, Listing, Read
from djreview.nplusone.loop_problems import origin_location
from djreview.nplusone.problem import Problem

if TYPE_CHECKING:
    from djreview.nplusone.analysis import NPlusOne
    from djreview.source.project import Project


def _related(listing: Listing, read: Read) -> tuple[RelatedLocation, ...]:
    owner, field = listing.owner, listing.field
    related = []
    resolver = read.field.resolver
    if resolver is not None:
        related.append(
            RelatedLocation(
                read.file.node_location(resolver.function), f"the resolver of {read.text}"
            )
        )
    related.append(
        RelatedLocation(field.location, f"the list field {owner.node.name}.{field.name}")
    )
    if listing.state is not None and listing.state.origin is not None:
        related.append(RelatedLocation(origin_location(listing.state.origin), "the list queryset"))
    return tuple(related)


def _relation(read: Read) -> str:
    if read.default:
        return f"{read.text} (the default resolver reads {read.path})"
    return read.text


def _cure(read: Read) -> str:
    if read.kind == "query":
        root = read.field.resolver.root if read.field.resolver else "root"
        return f"a DataLoader keyed by {root}.pk (info.context.loaders...)"
    method = "prefetch_related" if read.kind == "prefetch" else "select_related"
    return f'{method}("{read.path}")'


def graphql_problems(analysis: NPlusOne, project: Project, files: list[str]) -> Iterator[Problem]:
    """DJR150: per-object resolver reads that a list field's queryset does not cover."""
    graphql = analysis.schema.index.graphql
    if not graphql.types:
        return
    analysed = set(files)
    reader = GraphQLReader(analysis.schema, analysis.evaluator, graphql)
    seen: set[tuple[object, ...]] = set()
    for listing in reader.listings():
        for read in reader.reads(listing):
            # A query keyed by the root runs per object whatever the list: report it once;
            # a relation once per resolver and list (the first line that reads it).
            key = (
                (id(read.node),)
                if read.kind == "query"
                else (id(listing.field), id(read.field), read.path)
            )
            if read.file.rel not in analysed or key in seen:
                continue
            seen.add(key)
            state = listing.state
            origin = state.origin if state is not None else None
            resolver = listing.field.resolver
            curable = read.kind != "query" and origin is not None
            method = "prefetch_related" if read.kind == "prefetch" else "select_related"
            yield Problem(
                kind="graphql",
                location=read.file.node_location(read.node),
                relation=_relation(read),
                path=read.path,
                cure=_cure(read),
                origin=origin.where() if origin is not None else "",
                many=read.kind == "prefetch",
                filtered=read.kind == "query",
                owner=(
                    f"{listing.element.node.name} listed by "
                    f"{listing.owner.node.name}.{listing.field.name}"
                ),
                library=listing.element.library if read.default else "",
                related=_related(listing, read),
                queryset=origin if curable else None,
                model=state.model if state is not None else "",
                needs=(method, read.path) if curable else None,
                safe=origin is not None
                and resolver is not None
                and origin.file.rel == resolver.rel
                and origin.function == resolver.function.name,
            )
