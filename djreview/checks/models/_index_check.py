"""Turning ranked index needs into findings for DJR201-DJR203."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from djreview.checks.base import Check
from djreview.indexes.analysis import IndexAnalysis
from djreview.indexes.ranking import Need
from djreview.model import Finding, Location
from djreview.source.project import Project


class IndexCheck(Check):
    """Base of the index rules: DJR201-DJR203 share one missing-index analysis."""

    uses = (IndexAnalysis,)


def index_findings(
    check: Check, project: Project, kind: str, advice: Callable[[Need], str]
) -> list[Finding]:
    """One finding per query: its best need, at the field where the index goes.

    The hottest query site is the first related location, every other site
    follows. Needs whose hottest site is the same query (the branches of an
    OR, or two columns one expression filters on) are one defect, so they
    make one finding: the best-ranked need leads, the others are named in
    its advice and their sites related.
    """
    result = project.analysis(IndexAnalysis)
    groups: dict[tuple[str, Location], list[tuple[int, Need]]] = {}
    for rank, need in enumerate(result.needs, start=1):
        if need.kind == kind:
            groups.setdefault((need.model.key, need.primary().location), []).append((rank, need))
    out = []
    for members in groups.values():
        group = _shared_first(members)
        rank, need = group[0]
        others = [other for _, other in group[1:]]
        model = need.model
        count = len(need.places())
        related = result.related(need)
        for other in others:
            related.extend(r for r in result.related(other) if r not in related)
        finding = check.finding(
            result.location(need),
            related=related,
            fix=result.fix_for(need),
            properties={
                "model": model.key,
                "fields": ",".join(need.fields),
                "score": str(need.score),
                "rank": str(rank),
                "sites": str(count),
                "table_size": need.size,
                **({"also": ";".join(",".join(o.fields) for o in others)} if others else {}),
            },
            model=model.name,
            fields=(", " if need.options else "+").join(need.fields),
            lookup=need.lookup,
            places=f"{count} place{'s' if count > 1 else ''}: {need.where()}",
            table=model.table,
            size=need.size,
            advice=(_options_advice(need, advice) if need.options else advice(need))
            + _also(others),
        )
        out.append(dataclasses.replace(finding, severity=need.severity))
    return out


def _shared_first(group: list[tuple[int, Need]]) -> list[tuple[int, Need]]:
    """The group with a need whose columns every other need of the query reads put first.

    OR branches ANDed with one range (`date_created__lt=t` AND (`Exists(...)`
    | `asset_version=None`)) each ask for an index; one on the shared column
    serves every branch, while a branch's composite serves only its own.
    """
    for at, (_, need) in enumerate(group):
        columns = set(need.fields)
        if at and all(columns <= set(other.fields) for _, other in group if other is not need):
            return [group[at], *group[:at], *group[at + 1 :]]
    return group


def _options_advice(need: Need, advice: Callable[[Need], str]) -> str:
    """Advice for a note only options make: weak evidence; several columns, each alone."""
    if len(need.fields) == 1:
        weak = "only client options name this column and no query in the code runs it"
        return f"{weak} (weak evidence, worth it if clients use it): {advice(need)}"
    weak = "only client options name these columns and no query in the code runs them"
    if need.kind == "text":
        # A search a B-tree cannot serve: the rule's own (trigram, GIN) advice applies.
        return f"{weak} (weak evidence, no fix): {advice(need)}"
    return (
        f"{weak} (weak evidence, no fix): index, each on its own, those the clients of this "
        "large table use; a list narrowed by a key first wants the key before the column"
    )


def _also(others: list[Need]) -> str:
    """The other needs of the same query, named after the leading one's advice."""
    if not others:
        return ""
    names = ", ".join(f"{o.model.name}.{'+'.join(o.fields)}" for o in others)
    return f"; the same query also reads {names} with no index (an OR branch or another lookup)"
