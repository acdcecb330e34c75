"""One per-row query the N+1 analysis found: what queries, where, and what would cure it."""

from __future__ import annotations

from dataclasses import dataclass, field

from djreview.model import Fix, Location, RelatedLocation
from djreview.nplusone.querysets import Origin


@dataclass
class Problem:
    """One per-row query, ready to become a finding of the rule for its kind."""

    kind: str
    location: Location
    message: str
    related: tuple[RelatedLocation, ...] = ()
    origin: Origin | None = None
    model: str = ""
    # What the origin lacks: ("select_related", "author"), ("list_select_related", "author")...
    cure: tuple[str, str] | None = None
    safe: bool = True
    fix: Fix | None = field(default=None, compare=False)
