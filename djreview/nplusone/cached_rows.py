"""A second loop over the rows of a queryset an earlier loop already ran.

Iterating a QuerySet object fills its result cache, and iterating the same
object again yields the same model instances; a forward relation read on an
instance stays cached on it. So when an earlier loop over the same name read
`row.author` on every row, a later loop's `row.author` queries nothing: the
per-row cost is the earlier loop's, reported there with the same cure.

Only what is sure is read this way: the name is assigned once in the
function and not used between the two loops (`qs.update()` empties the
cache), the earlier loop is a `for` statement of a block the later loop is
in (so it has run), it never leaves early (`break`, `continue`, `return`,
`raise`), and the read is a top-level statement of its body, outside any
condition.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from djreview.nplusone.rows import Access

_LEAVES = (ast.Break, ast.Continue, ast.Return, ast.Raise)
# Expressions whose parts may not run: a read inside them is conditional.
_CONDITIONAL = (
    ast.IfExp,
    ast.BoolOp,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.GeneratorExp,
    ast.DictComp,
)


@dataclass(frozen=True)
class _Loaded:
    loop: ast.For
    paths: frozenset[str]


class CachedRows:
    """Forward relations earlier loops of one function loaded on every row of a queryset name."""

    def __init__(self, function: ast.AST) -> None:
        self.parents: dict[int, ast.AST] = {}
        self.stores: dict[str, int] = {}
        self.uses: dict[str, list[int]] = {}
        # Nested functions count too: their names and exits only make this more careful.
        for node in ast.walk(function):
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Store | ast.Del):
                    self.stores[node.id] = self.stores.get(node.id, 0) + 1
                else:
                    self.uses.setdefault(node.id, []).append(node.lineno)
        self.loaded: dict[str, list[_Loaded]] = {}

    def covered(self, loop: ast.stmt | ast.expr, iterable: ast.expr) -> frozenset[str]:
        """The relation paths an earlier loop over `iterable` loaded on every row."""
        if not isinstance(iterable, ast.Name) or self.stores.get(iterable.id) != 1:
            return frozenset()
        name = iterable.id
        found: set[str] = set()
        for earlier in self.loaded.get(name, []):
            end = earlier.loop.end_lineno or earlier.loop.lineno
            if end >= loop.lineno or not self._runs_before(earlier.loop, loop):
                continue
            if any(end < line < loop.lineno for line in self.uses.get(name, [])):
                continue
            found |= earlier.paths
        return frozenset(found)

    def note(self, loop: ast.AST, iterable: ast.expr, accesses: list[Access]) -> None:
        """Remember the forward relations `loop` reads on every row of the name it iterates."""
        if not isinstance(loop, ast.For) or not isinstance(iterable, ast.Name):
            return
        if any(isinstance(n, _LEAVES) for s in loop.body for n in ast.walk(s)):
            return
        paths = frozenset(
            a.path
            for a in accesses
            if a.kind == "select" and not a.many and self._every_pass(a.node, loop)
        )
        if paths:
            self.loaded.setdefault(iterable.id, []).append(_Loaded(loop, paths))

    def _every_pass(self, node: ast.AST, loop: ast.For) -> bool:
        """Whether `node` runs on every pass of `loop`: in a top-level statement, unconditioned."""
        current = node
        while True:
            parent = self.parents.get(id(current))
            if parent is None:
                return False
            if parent is loop:
                return current in loop.body
            first_operand = isinstance(parent, ast.BoolOp) and parent.values[0] is current
            if (isinstance(current, ast.stmt) or isinstance(parent, _CONDITIONAL)) and not (
                first_operand
            ):
                return False
            current = parent

    def _runs_before(self, earlier: ast.For, later: ast.AST) -> bool:
        """Whether `earlier` is a statement of a block that `later` is inside (after it)."""
        block = self._block_of(earlier)
        current: ast.AST | None = later
        while current is not None:
            if block is not None and any(s is current for s in block):
                return True
            current = self.parents.get(id(current))
        return False

    def _block_of(self, statement: ast.stmt) -> list[ast.stmt] | None:
        parent = self.parents.get(id(statement))
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and any(s is statement for s in block):
                return block
        return None
