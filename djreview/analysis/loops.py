"""Loops of the project: over querysets (rows read per iteration) and queries run per iteration.

`find_loop_accesses` walks every function of a Python file, evaluates each
loop's iterable (for statements and comprehensions) and hands the body to the
`RowReader` when it is a queryset of model rows. Separately, any loop that is
not over a literal runs its body's queries once per iteration: hand-written
queries (`Model.objects.get(...)`, `.count()`, `get_object_or_404`) and
single-row writes (`save()`, `objects.create()`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from djreview.analysis.evaluate import Evaluator, ModelRef, Scope
from djreview.analysis.querysets import EVALUATING, Instance, QuerySetState
from djreview.analysis.rows import Access, RowReader
from djreview.engine.source import SourceFile

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


_WRITES = frozenset({"save"})
_CREATES = frozenset({"create", "get_or_create", "update_or_create"})


@dataclass(frozen=True)
class LoopAccess:
    """A per-row access with the loop it happens in."""

    access: Access
    loop: ast.AST
    loop_file: SourceFile
    function: str = ""


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
    lines = file.lines
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
                span = lines[child.lineno - 1 : child.end_lineno or child.lineno]
                if any("for" in line or "map(" in line for line in span):
                    current.loops.extend(
                        n
                        for n in ast.walk(child)
                        if isinstance(n, _COMPREHENSIONS)
                        or (isinstance(n, ast.Call) and _is_map(n))
                    )
    return found


def _own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function body, without nested functions and classes."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _iterables(loop: Loop) -> list[tuple[ast.expr, ast.expr, list[ast.AST]]]:
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


def _literal(node: ast.expr) -> bool:
    """A loop over a literal or `range(<number>)`: a bounded, small iteration."""
    if isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict | ast.Constant):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        return all(isinstance(arg, ast.Constant) for arg in node.args)
    return False


def _row_target(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    return None


def _enumerated(iterable: ast.expr, target: ast.expr) -> tuple[ast.expr, ast.expr]:
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


def find_loop_accesses(
    evaluator: Evaluator, reader: RowReader, file: SourceFile, functions: list[FunctionLoops]
) -> Iterator[LoopAccess]:
    """Per-row accesses of every loop over a queryset in `file`."""
    for entry in functions:
        function = entry.function
        scope = evaluator.scope_for(file, function, entry.cls)
        for node in entry.loops:
            for iterable, target, body in _iterables(node):
                iterable, target = _enumerated(iterable, target)
                name = _row_target(target)
                if name is None:
                    continue
                state = evaluator.value(iterable, scope)
                if not isinstance(state, QuerySetState) or state.values:
                    continue
                accesses = list(reader.scan(file, body, {name: Instance(state.model, state)}))
                for access in deepest(accesses):
                    yield LoopAccess(access, node, file, function.name)


def find_queries_in_loops(
    evaluator: Evaluator, file: SourceFile, functions: list[FunctionLoops]
) -> Iterator[LoopAccess]:
    """Queries and single-row writes run once per iteration of a loop (innermost loop named)."""
    reported: set[int] = set()
    for entry in functions:
        function = entry.function
        scope = evaluator.scope_for(file, function, entry.cls)
        loops = list(entry.loops)
        # Innermost first, so a query is reported against the loop that repeats it most.
        loops.sort(key=lambda n: (n.lineno, n.col_offset), reverse=True)
        for loop in loops:
            for iterable, target, body in _iterables(loop):
                if _literal(iterable) or _batched(iterable, target):
                    continue
                iterable, target = _enumerated(iterable, target)
                row = _row_target(target)
                rows = (
                    {row}
                    if row and isinstance(evaluator.value(iterable, scope), QuerySetState)
                    else set()
                )
                span = (loop.lineno, loop.end_lineno or loop.lineno)
                for access in _queries(evaluator, scope, file, body, rows, span):
                    if id(access.node) not in reported:
                        reported.add(id(access.node))
                        yield LoopAccess(access, loop, file, function.name)


def _batched(iterable: ast.expr, target: ast.expr) -> bool:
    """A loop over batches or chunks: one query per batch is the cure, not the smell."""
    text = f"{ast.unparse(iterable)} {ast.unparse(target)}".lower()
    return "batch" in text or "chunk" in text


def _built_in_loop(
    evaluator: Evaluator, scope: Scope, expr: ast.expr, span: tuple[int, int]
) -> bool:
    """Whether the queryset `expr` is made inside the loop (a new query each time).

    A queryset variable made before the loop caches its rows once iterated,
    so iterating it again per item costs nothing.
    """
    root = expr
    while isinstance(root, ast.Call | ast.Attribute | ast.Subscript):
        root = root.func if isinstance(root, ast.Call) else root.value
    if not isinstance(root, ast.Name):
        return False
    if isinstance(evaluator.value(root, scope), ModelRef):
        return True
    if scope.function is None:
        return False
    assigned = evaluator.assignments(scope.function).get(root.id, [])
    return any(span[0] <= line <= span[1] for line, _ in assigned)


def _queries(
    evaluator: Evaluator,
    scope: Scope,
    file: SourceFile,
    body: list[ast.AST],
    rows: set[str],
    span: tuple[int, int],
) -> Iterator[Access]:
    for top in body:
        for node in (top, *_own_nodes(top)):
            if isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
                value = evaluator.value(node.iter, scope)
                if (
                    isinstance(value, QuerySetState)
                    and not value.evaluated
                    and _built_in_loop(evaluator, scope, node.iter, span)
                ):
                    yield Access(
                        "query", file, node.iter, f"iterating {_clip(node.iter)}", "", value
                    )
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("get_object_or_404", "get_list_or_404"):
                yield Access("query", file, node, _clip(node), "", None)
            if not isinstance(func, ast.Attribute):
                continue
            if func.attr in EVALUATING:
                receiver = evaluator.value(func.value, scope)
                if (
                    isinstance(receiver, QuerySetState)
                    and not receiver.evaluated
                    and _built_in_loop(evaluator, scope, func.value, span)
                ):
                    yield Access("query", file, node, _clip(node), "", receiver)
            elif func.attr in _CREATES:
                receiver = evaluator.value(func.value, scope)
                if isinstance(receiver, QuerySetState):
                    yield Access(
                        "save", file, node, f"{receiver.model}.objects.{func.attr}()", "", receiver
                    )
            elif func.attr in _WRITES:
                target = evaluator.value(func.value, scope)
                is_row = isinstance(func.value, ast.Name) and func.value.id in rows
                if (
                    is_row
                    or isinstance(target, Instance)
                    or _constructed(evaluator, scope, func.value, body)
                ):
                    yield Access("save", file, node, f"{ast.unparse(func.value)}.save()", "", None)


def _constructed(
    evaluator: Evaluator, scope: Scope, node: ast.expr, body: list[ast.AST]
) -> str | None:
    """The model of `obj` in `obj.save()` when the loop body built it as `obj = Model(...)`."""
    if not isinstance(node, ast.Name):
        return None
    for top in body:
        for item in (top, *_own_nodes(top)):
            if (
                isinstance(item, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == node.id for t in item.targets)
                and isinstance(item.value, ast.Call)
            ):
                model = evaluator.value(item.value.func, scope)
                if isinstance(model, ModelRef):
                    return model.model
    return None


def _clip(node: ast.AST, limit: int = 60) -> str:
    """Source of an expression for a message, shortened."""
    text = ast.unparse(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."
