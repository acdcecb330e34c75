"""Loops over querysets: the rows each iteration reads (DJR101-DJR103, DJR106).

`function_loops` finds every function's loops (for statements,
comprehensions, `map(lambda ...)`); `find_loop_accesses` evaluates each
loop's iterable and hands the body to the `RowReader` when it is a queryset
of model rows. Queries written by hand in loops are in `queries.py`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from djreview.nplusone.cached_rows import CachedRows
from djreview.nplusone.evaluate import Evaluator
from djreview.nplusone.querysets import Instance, QuerySetState
from djreview.nplusone.rows import Access, RowReader
from djreview.source.file import SourceFile

# `map(lambda row: ..., rows)` is a loop too (an ast.Call).
Loop = (
    ast.For | ast.AsyncFor | ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp | ast.Call
)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def _is_map(node: ast.AST) -> bool:
    """`map(lambda row: ..., iterable)`."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "map"
        and len(node.args) == 2
        and isinstance(node.args[0], ast.Lambda)
        and len(node.args[0].args.args) == 1
    )


@dataclass(frozen=True)
class LoopAccess:
    """A per-row access with the loop it happens in."""

    access: Access
    loop: ast.AST
    loop_file: SourceFile
    function: str = ""
    # The function the loop is in, for the names it assigns (`keys = [...]`).
    function_node: ast.AST | None = None


Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class FunctionLoops:
    """One function, the class it is a method of, and its loops (nested functions excluded)."""

    function: Function
    cls: ast.ClassDef | None
    loops: list[Loop]


def function_loops(file: SourceFile) -> list[FunctionLoops]:
    """Every function of a module with its loops.

    Walks statements only; expressions are searched for comprehensions when
    their source lines contain the word `for` (most expressions do not, and
    walking every expression node dominated the run time on large projects).
    """
    found: list[FunctionLoops] = []
    tree = file.tree
    if tree is None:
        return found
    stack: list[tuple[ast.stmt, FunctionLoops | None, ast.ClassDef | None]] = [
        (node, None, None) for node in tree.body
    ]
    while stack:
        node, current, cls = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            entry = FunctionLoops(node, cls, [])
            found.append(entry)
            stack.extend((child, entry, None) for child in node.body)
            continue
        if isinstance(node, ast.ClassDef):
            stack.extend((child, current, node) for child in node.body)
            continue
        if current is not None and isinstance(node, ast.For | ast.AsyncFor):
            current.loops.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                stack.append((child, current, cls))
            elif isinstance(child, ast.ExceptHandler | ast.match_case):
                stack.extend((grand, current, cls) for grand in child.body)
            elif current is not None and isinstance(child, ast.expr):
                span = file.text_of_lines(child.lineno, child.end_lineno or child.lineno)
                if "for" in span or "map(" in span:
                    current.loops.extend(
                        n
                        for n in ast.walk(child)
                        if isinstance(n, _COMPREHENSIONS)
                        or (isinstance(n, ast.Call) and _is_map(n))
                    )
    return found


def own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function body, without nested functions and classes."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def iterables(loop: Loop) -> list[tuple[ast.expr, ast.expr, list[ast.AST]]]:
    """(iterable, target, body run per item) of a loop; comprehensions give one per generator."""
    if isinstance(loop, ast.For | ast.AsyncFor):
        return [(loop.iter, loop.target, list(loop.body))]
    if isinstance(loop, ast.Call):
        function = loop.args[0]
        assert isinstance(function, ast.Lambda)
        target = ast.Name(function.args.args[0].arg, ast.Store())
        return [(loop.args[1], target, [function.body])]
    parts: list[ast.AST] = [loop.key, loop.value] if isinstance(loop, ast.DictComp) else [loop.elt]
    out = []
    for index, generator in enumerate(loop.generators):
        later: list[ast.AST] = [*generator.ifs]
        for after in loop.generators[index + 1 :]:
            later.extend([after.iter, *after.ifs])
        out.append((generator.iter, generator.target, [*later, *parts]))
    return out


def literal(node: ast.expr) -> bool:
    """A loop over a literal or `range(<number>)`: a bounded, small iteration."""
    if isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict | ast.Constant):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        return all(isinstance(arg, ast.Constant) for arg in node.args)
    return False


def row_target(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    return None


def enumerated(iterable: ast.expr, target: ast.expr) -> tuple[ast.expr, ast.expr]:
    """`for i, row in enumerate(qs)` reads like `for row in qs`."""
    if (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Name)
        and iterable.func.id == "enumerate"
        and iterable.args
        and isinstance(target, ast.Tuple)
        and len(target.elts) == 2
    ):
        return iterable.args[0], target.elts[1]
    return iterable, target


def deepest(accesses: list[Access]) -> list[Access]:
    """One access per path, and none whose path a deeper one at the same place covers.

    `post.author.profile` read in a method needs `author__profile`, which
    also joins `author`: one finding, not two.
    """
    kept: list[Access] = []
    seen: set[tuple[str, str]] = set()
    for access in accesses:
        key = (access.kind, access.path)
        deeper = any(
            other.kind == access.kind
            and other.node is access.node
            and other.path.startswith(access.path + "__")
            for other in accesses
        )
        if key not in seen and not deeper:
            seen.add(key)
            kept.append(access)
    return kept


def _loaded(path: str, loaded: frozenset[str]) -> bool:
    return any(p == path or p.startswith(path + "__") for p in loaded)


def find_loop_accesses(
    evaluator: Evaluator, reader: RowReader, file: SourceFile, functions: list[FunctionLoops]
) -> Iterator[LoopAccess]:
    """Per-row accesses of every loop over a queryset in `file`."""
    for entry in functions:
        function = entry.function
        scope = evaluator.scope_for(file, function, entry.cls)
        cached = CachedRows(function)
        for node in sorted(entry.loops, key=lambda n: (n.lineno, n.col_offset)):
            for iterable, target, body in iterables(node):
                iterable, target = enumerated(iterable, target)
                name = row_target(target)
                if name is None:
                    continue
                state = evaluator.value(iterable, scope)
                if not isinstance(state, QuerySetState) or state.values or state.empty or state.few:
                    continue
                accesses = list(reader.scan(file, body, {name: Instance(state.model, state)}))
                loaded = cached.covered(node, iterable)
                cached.note(node, iterable, accesses)
                for access in deepest(accesses):
                    if access.kind == "select" and _loaded(access.path, loaded):
                        continue  # the same instances, loaded by an earlier loop
                    yield LoopAccess(access, node, file, function.name, function)
