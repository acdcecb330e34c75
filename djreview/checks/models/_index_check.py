"""Turning ranked index needs into findings for DJR201-DJR203."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from djreview.checks.base import Check
from djreview.indexes.analysis import IndexAnalysis
from djreview.indexes.ranking import Need
from djreview.model import Finding
from djreview.source.project import Project


class IndexCheck(Check):
    """Base of the index rules: DJR201-DJR203 share one missing-index analysis."""

    uses = (IndexAnalysis,)


def index_findings(
    check: Check, project: Project, kind: str, advice: Callable[[Need], str]
) -> list[Finding]:
    """One finding per need of `kind`, at the field where the index goes; the hottest
    query site is the first related location, every other site follows."""
    result = project.analysis(IndexAnalysis)
    out = []
    for rank, need in enumerate(result.needs, start=1):
        if need.kind != kind:
            continue
        model = need.model
        count = len(need.sites)
        finding = check.finding(
            result.location(need),
            related=result.related(need),
            fix=result.fix_for(need),
            properties={
                "model": model.key,
                "fields": ",".join(need.fields),
                "score": str(need.score),
                "rank": str(rank),
                "sites": str(count),
                "table_size": need.size,
            },
            model=model.name,
            fields="+".join(need.fields),
            lookup=need.lookup,
            places=f"{count} place{'s' if count > 1 else ''}: {need.where()}",
            table=model.table,
            size=need.size,
            advice=advice(need),
        )
        out.append(dataclasses.replace(finding, severity=need.severity))
    return out
