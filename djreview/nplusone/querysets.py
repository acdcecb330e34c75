"""Queryset-state tracking: what a queryset expression joins, prefetches and defers.

`QuerySetState` is a value: the model, where the queryset was built (its
origin, where a fix adds `select_related`), and the effect of every chained
call (`select_related`, `prefetch_related`, `Prefetch(to_attr=...)`,
`only`/`defer`, `values`, `annotate`). Instances read from it (loop variables)
carry the same state and a path prefix, so `post.author.profile` is checked
against `author__profile`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from djreview.source.file import SourceFile

# Calls that return a queryset of the same rows with the state unchanged.
SAME_ROWS = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "order_by",
        "distinct",
        "reverse",
        "using",
        "alias",
        "select_for_update",
        "complex_filter",
        "extra",
        "get_queryset",
        "iterator",
    }
)
# Calls that return one model instance of the queryset.
ONE_ROW = frozenset({"get", "first", "last", "latest", "earliest"})
# Calls that run a query and return something that is not a row.
EVALUATING = frozenset({"count", "exists", "aggregate", "in_bulk", "contains"}) | ONE_ROW
ROW_FREE = frozenset({"values", "values_list", "dates", "datetimes"})


@dataclass(frozen=True)
class Origin:
    """Where a queryset is built: the expression a fix extends, or a class to give one.

    `node` is the expression (`Post.objects.filter(...)`); for a view that only
    names `model = Post`, `node` is None and `class_node`/`model_line` say
    where a `queryset = ...` line may go.
    """

    file: SourceFile
    node: ast.expr | None
    function: str = ""
    class_node: ast.ClassDef | None = None
    model_stmt: ast.stmt | None = None

    def line(self) -> int:
        """The 1-based line of the origin."""
        if self.node is not None:
            return self.node.lineno
        if self.model_stmt is not None:
            return self.model_stmt.lineno
        return self.class_node.lineno if self.class_node is not None else 1

    def where(self) -> str:
        """`views.py:12`, the short form messages use."""
        return f"{self.file.rel.rsplit('/', 1)[-1]}:{self.line()}"


@dataclass(frozen=True)
class QuerySetState:
    """The joins, prefetches and deferrals of one queryset expression."""

    model: str
    origin: Origin | None
    select: frozenset[str] = frozenset()
    select_all: bool = False
    prefetch: frozenset[str] = frozenset()
    to_attr: tuple[tuple[str, str], ...] = ()
    only: frozenset[str] | None = None
    defer: frozenset[str] = frozenset()
    values: bool = False
    annotations: frozenset[str] = frozenset()
    # Paths covered by the querysets of Prefetch(...) objects: "comments__author".
    nested: frozenset[str] = frozenset()
    # Already run (`list(qs)`): iterating it again costs no query.
    evaluated: bool = False
    # `.none()`: no rows (a single-object viewset's placeholder queryset).
    empty: bool = False
    # Sliced to a handful of rows by code (`qs[:2]`): a per-row read is not an N+1.
    few: bool = False
    # Relations Django fills without a query: `comment.post` of `post.comments.all()`.
    known: frozenset[str] = frozenset()

    def covered(self, path: str, *, forward: bool, null: bool) -> bool:
        """Whether reading relation `path` per row costs no query."""
        if path in self.known:
            return True
        for group in (self.select, self.prefetch, self.nested):
            if any(p == path or p.startswith(path + "__") for p in group):
                return True
        # select_related() with no argument follows every non-null forward FK.
        return self.select_all and forward and not null and "__" not in path

    def to_attr_path(self, name: str) -> str | None:
        """The relation a `Prefetch(to_attr=name)` loaded, if any."""
        return dict(self.to_attr).get(name)


@dataclass(frozen=True)
class Instance:
    """A model object read from a queryset: its model, the queryset and its path."""

    model: str
    state: QuerySetState
    prefix: str = ""
    # True when the object came through a relation that queried on its own.
    fresh: bool = False
    # True when the path crosses a to-many relation (prefetch_related territory).
    many: bool = False
    # The attribute Django filled with `parent`, the object this one was reached from.
    back: str = ""
    parent: Instance | None = None
    # Relations the code set on this object from memory (`poll.thread = threads[id]`):
    # reading them queries nothing, and what they hold is not this queryset's.
    assigned: frozenset[str] = frozenset()

    def path(self, attribute: str) -> str:
        """The lookup path of `attribute` from the queryset's model."""
        return f"{self.prefix}__{attribute}" if self.prefix else attribute


@dataclass
class Callbacks:
    """State changes one call makes, collected while reading the call's arguments."""

    select: set[str] = field(default_factory=set)
    prefetch: set[str] = field(default_factory=set)
    to_attr: dict[str, str] = field(default_factory=dict)
    nested: set[str] = field(default_factory=set)


def string_args(call: ast.Call) -> list[str] | None:
    """The string-literal positional arguments, or None when one is not a literal."""
    out = []
    for arg in call.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            out.append(arg.value)
        else:
            return None
    return out


def apply_call(
    state: QuerySetState, call: ast.Call, method: str, prefetch_state: PrefetchReader
) -> QuerySetState | None:
    """The state after `.method(...)`; None when the call makes it unknown."""
    if method in SAME_ROWS:
        return state
    if method == "none":
        return replace(state, empty=True)
    if method == "select_related":
        names = string_args(call)
        if names is None:
            return None
        if not names and not call.keywords:
            return replace(state, select_all=True)
        return replace(state, select=state.select | frozenset(names))
    if method == "prefetch_related":
        found = Callbacks()
        for arg in call.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.prefetch.add(arg.value)
            elif not prefetch_state(arg, found):
                return None
        return replace(
            state,
            prefetch=state.prefetch | frozenset(found.prefetch),
            to_attr=state.to_attr + tuple(sorted(found.to_attr.items())),
            nested=state.nested | frozenset(found.nested),
        )
    if method in ("only", "defer"):
        names = string_args(call)
        if names is None:
            return None
        plain = frozenset(n for n in names if "__" not in n)
        if method == "only":
            return replace(state, only=(state.only or frozenset()) | plain)
        return replace(state, defer=state.defer | plain)
    if method in ROW_FREE:
        return replace(state, values=True)
    if method in ("annotate", "alias"):
        return replace(
            state, annotations=state.annotations | frozenset(k.arg for k in call.keywords if k.arg)
        )
    return None


class PrefetchReader:
    """Reads one `Prefetch(...)` argument into a `Callbacks`; callable."""

    def __init__(self, evaluate_queryset: Callable[[ast.expr], object]) -> None:
        self._evaluate = evaluate_queryset

    def __call__(self, node: ast.expr, found: Callbacks) -> bool:
        if not (isinstance(node, ast.Call) and _callee(node.func) == "Prefetch"):
            return False
        lookup = node.args[0] if node.args else None
        if not (isinstance(lookup, ast.Constant) and isinstance(lookup.value, str)):
            return False
        to_attr = next((k.value for k in node.keywords if k.arg == "to_attr"), None)
        inner = next((k.value for k in node.keywords if k.arg == "queryset"), None)
        if len(node.args) > 1:
            inner = node.args[1]
        if len(node.args) > 2:
            to_attr = node.args[2]
        if isinstance(to_attr, ast.Constant) and isinstance(to_attr.value, str):
            found.to_attr[to_attr.value] = lookup.value
            if "__" in lookup.value:
                # `Prefetch("group__user_set", to_attr=...)` fetches `group` on the way.
                found.prefetch.add(lookup.value.rsplit("__", 1)[0])
        else:
            found.prefetch.add(lookup.value)
        if inner is not None:
            inner_state = self._evaluate(inner)
            if isinstance(inner_state, QuerySetState):
                base = str(to_attr.value) if isinstance(to_attr, ast.Constant) else lookup.value
                for path in (*inner_state.select, *inner_state.prefetch, *inner_state.nested):
                    found.nested.add(f"{base}__{path}")
        return True


def _callee(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""
