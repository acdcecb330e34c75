"""One defect, one finding: a serializer read listed by several views is reported once.

A serializer line runs for every list that uses the serializer; reported
once per list view it made one defect into many findings (131 results on
about 40 lines in one project). The problems of one read (same line and
column) become one: the first list names the finding, the others are
related locations, the message names each list's cure, and the fix carries
every list's queryset edit.
"""

from __future__ import annotations

from dataclasses import replace

from djreview.model import Applicability, Edit, Fix, RelatedLocation
from djreview.nplusone.problem import Problem

_SAFETY = (Applicability.SAFE, Applicability.UNSAFE, Applicability.SUGGESTION)
# Owners named in the message before "and N more".
_NAMED = 2


def one_per_read(problems: list[Problem], kind: str = "drf") -> list[Problem]:
    """`problems` with the `kind` problems of one read merged (others untouched, in order)."""
    groups: dict[tuple[str, int, int], list[Problem]] = {}
    out: list[Problem | tuple[str, int, int]] = []
    for problem in problems:
        if problem.kind != kind:
            out.append(problem)
            continue
        where = problem.location
        key = (where.path, where.start_line, where.start_column)
        if key not in groups:
            groups[key] = []
            out.append(key)
        groups[key].append(problem)
    return [groups_merged(groups[item]) if isinstance(item, tuple) else item for item in out]


def groups_merged(members: list[Problem]) -> Problem:
    """One problem standing for every list that reads the same line."""
    first = members[0]
    if len(members) == 1:
        return first
    owners = list(dict.fromkeys(p.owner for p in members if p.owner))
    owner = ", ".join(owners[:_NAMED])
    if len(owners) > _NAMED:
        owner += f" and {len(owners) - _NAMED} more"
    related: list[RelatedLocation] = []
    for problem in members:
        related.extend(r for r in problem.related if r not in related)
    cures = list(dict.fromkeys((p.cure, p.origin) for p in members))
    if len({cure for cure, _ in cures}) == 1:
        cure, origin = first.cure, ", ".join(o for _, o in cures if o)
    else:
        # Each list needs its own path: `prefetch_related("alerts__x")` on one, `x` on the other.
        cure = " and ".join(f"{c} to the queryset at {o}" if o else c for c, o in cures)
        origin = ""
    merged = replace(first, owner=owner, cure=cure, origin=origin, related=tuple(related), fix=None)
    merged.fix = joined_fix([p.fix for p in members])
    return merged


def joined_fix(fixes: list[Fix | None]) -> Fix | None:
    """The edits of every list's fix, each once, as safe as the least safe of them.

    None when one list has no fix (a fix must remove the finding: the edits of
    some lists alone would not), or when two lists' edits replace the same
    place differently (no one fix cures both).
    """
    if not fixes or any(f is None for f in fixes):
        return None
    distinct = list({id(f): f for f in fixes if f is not None}.values())
    if len(distinct) == 1:
        return distinct[0]
    edits: list[Edit] = []
    for fix in distinct:
        taken = {edit.location: edit for edit in edits}
        if any(taken.get(e.location, e) != e for e in fix.edits):
            return None
        edits.extend(e for e in fix.edits if e not in edits)
    safety = max((f.applicability for f in distinct), key=_SAFETY.index)
    description = "; ".join(dict.fromkeys(f.description for f in distinct))
    return Fix(description, tuple(edits), safety)
