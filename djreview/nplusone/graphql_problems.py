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


def _related(listing: Listing, read: Read, anchor: Listing) -> tuple[RelatedLocation, ...]:
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
    if anchor is not listing:
        outer = anchor.field
        related.append(
            RelatedLocation(outer.location, f"the list field {anchor.owner.node.name}.{outer.name}")
        )
    if anchor.state is not None and anchor.state.origin is not None:
        related.append(RelatedLocation(origin_location(anchor.state.origin), "the list queryset"))
    return tuple(related)


def _relation(read: Read) -> str:
    if read.default:
        return f"{read.text} (the default resolver reads {read.path})"
    return read.text


def _cure(read: Read, anchor: Listing, path: str) -> str:
    hints = read.field.hints or (read.field.resolver.hints if read.field.resolver else None)
    if read.kind == "query" and read.hinted and hints and read.path in hints:
        # The hint prefetches the relation; the resolver's own filter or ordering re-queries it.
        return (
            f'a Prefetch("{read.path}", queryset=...) carrying the filter or ordering in the '
            "field's hints, or filter or sort the prefetched rows in Python"
        )
    if read.kind == "query":
        root = read.field.resolver.root if read.field.resolver else "root"
        return f"a DataLoader keyed by {root}.pk (info.context.loaders...)"
    nested = path != read.path
    method = "prefetch_related" if read.kind == "prefetch" or nested else "select_related"
    return f'{method}("{path}")'


def _lister(listing: Listing, anchor: Listing) -> str:
    """Where a nested list's rows are queried when no queryset is known ("" when one is)."""
    if anchor.state is not None and anchor.state.origin is not None:
        return ""
    if listing.through:
        return f"the queryset that lists {listing.owner.node.name}"
    if listing.loaded:
        return "the DataLoader's batch query"
    return ""


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
                if read.kind == "query" or read.hinted
                else (id(listing.field), id(read.field), read.path)
            )
            if read.file.rel not in analysed or key in seen:
                continue
            seen.add(key)
            anchor, path = listing.anchor(read.path)
            state = anchor.state
            origin = state.origin if state is not None else None
            resolver = anchor.field.resolver
            curable = read.kind != "query" and origin is not None
            nested = path != read.path
            method = "prefetch_related" if read.kind == "prefetch" or nested else "select_related"
            yield Problem(
                kind="graphql",
                location=read.file.node_location(read.node),
                relation=_relation(read),
                path=path,
                cure=_cure(read, anchor, path),
                origin=origin.where() if origin is not None else "",
                many=read.kind == "prefetch" or nested,
                filtered=read.kind == "query",
                owner=(
                    f"{listing.element.node.name} listed by "
                    f"{listing.owner.node.name}.{listing.field.name}"
                ),
                library=listing.element.library if read.default else "",
                lister=_lister(listing, anchor),
                related=_related(listing, read, anchor),
                queryset=origin if curable else None,
                model=state.model if state is not None else "",
                needs=(method, path) if curable else None,
                safe=origin is not None
                and resolver is not None
                and origin.file.rel == resolver.rel
                and origin.function == resolver.function.name,
            )
