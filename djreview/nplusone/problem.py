"""One per-row query the N+1 analysis found, as typed facts the rule for its kind words.

The analysis says what happens (kind, relation, path, cure, origin, trigger);
each DJR1xx rule turns those facts into its own message template.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from djreview.model import Fix, Location, RelatedLocation
from djreview.nplusone.querysets import Origin


@dataclass(frozen=True, slots=True)
class Trigger:
    """The line that actually queries, when a method or helper does it for the loop."""

    at: str  # `models.py:52`
    code: str = ""  # the expression that queries, `self.author.name`
    method: str = ""  # the method the loop calls that reaches it, `display_name`


@dataclass
class Problem:
    """One per-row query, ready to become a finding of the rule for its kind.

    `kind` names the rule: select (DJR101), prefetch (DJR102), bypass
    (DJR103), query (DJR104), save (DJR105), deferred (DJR106), template
    (DJR110), drf (DJR120), admin (DJR130), graphql (DJR150).
    """

    kind: str
    location: Location
    relation: str  # the code that queries per row: `post.author`, `order.items.count()`
    path: str = ""  # the relation path from the row: `author__profile`
    cure: str = ""  # the code that loads it with the rows: `select_related("author")`
    origin: str = ""  # where the iterated queryset is built, `views.py:12`; "" if unknown
    trigger: Trigger | None = None
    many: bool = False  # a to-many path (prefetch_related), or a `.count()`-style read
    filtered: bool = False  # a manager filtered per row, nothing prefetched (Prefetch cures it)
    bypassed: bool = False  # a prefetched relation queried anew per row (templates, DRF)
    loop_line: int = 0  # the line of the loop (query, save)
    owner: str = ""  # the list view (drf) or ModelAdmin (admin) the rows are listed by
    library: str = ""  # graphql: "graphene" or "strawberry", the schema's library
    # graphql: where a nested list's rows are queried, when not at a known queryset:
    # "the queryset that lists Workspace" (Workspace.boards), "the DataLoader's batch query".
    lister: str = ""
    related: tuple[RelatedLocation, ...] = ()
    queryset: Origin | None = None
    model: str = ""
    # What the origin lacks, for the fix: ("select_related", "author"), ("only", "title")...
    needs: tuple[str, str] | None = None
    safe: bool = True
    fix: Fix | None = field(default=None, compare=False)
