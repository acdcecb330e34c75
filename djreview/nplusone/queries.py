"""Queries and single-row writes run once per iteration of any loop (DJR104, DJR105).

Any loop not over a literal or over batches runs its body's queries once per
iteration: hand-written queries (`Model.objects.get(...)`, `.count()`,
`get_object_or_404`) on querysets made inside the loop, and single-row writes
(`save()`, `objects.create()`). A queryset made before the loop caches its
rows once iterated, so iterating it again is free and not reported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from djreview.nplusone.code_defined import code_defined
from djreview.nplusone.evaluate import Evaluator, ModelRef, Scope
from djreview.nplusone.loops import (
    FunctionLoops,
    LoopAccess,
    enumerated,
    iterables,
    literal,
    own_nodes,
    row_target,
)
from djreview.nplusone.once import runs_once
from djreview.nplusone.querysets import EVALUATING, SAME_ROWS, Instance, QuerySetState
from djreview.nplusone.rows import Access
from djreview.source.file import SourceFile

_WRITES = frozenset({"save"})
# The keywords of Django's Model.save().
_SAVE_ARGUMENTS = frozenset({"force_insert", "force_update", "using", "update_fields"})
_CREATES = frozenset({"create", "get_or_create", "update_or_create"})
_RELATION_WRITES = frozenset({"add", "remove"})
# Queryset methods that keep a queryset's rows (besides SAME_ROWS).
_NARROWING = frozenset({"only", "defer", "select_related", "prefetch_related", "annotate"})


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
            for iterable, target, body in iterables(loop):
                if (
                    literal(iterable)
                    or _batched(iterable, target)
                    or _command_line(evaluator, function, iterable)
                    or code_defined(evaluator, scope, iterable)
                ):
                    continue
                iterable, target = enumerated(iterable, target)
                row = row_target(target)
                iterated = evaluator.value(iterable, scope)
                if isinstance(iterated, QuerySetState) and (iterated.few or iterated.empty):
                    continue
                rows = {row} if row and isinstance(iterated, QuerySetState) else set()
                # What the loop hands out, even when its type is unknown (for M2M adds).
                handed = _Handed(
                    row,
                    iterated.model if isinstance(iterated, QuerySetState) else None,
                    isinstance(iterated, QuerySetState)
                    or _queryset_shaped(evaluator, function, iterable),
                )
                span = (loop.lineno, loop.end_lineno or loop.lineno)
                for access in _queries(evaluator, scope, file, body, rows, span, handed):
                    if access.kind == "query" and _fetches_a_batch(
                        evaluator, function, access.node, target, span
                    ):
                        continue
                    if runs_once(loop, access.node):
                        # Judged here too, so that an outer loop that resets the
                        # guard (`x = None` per row) still reports it, once per row.
                        continue
                    if id(access.node) not in reported:
                        reported.add(id(access.node))
                        yield LoopAccess(access, loop, file, function.name, function)


def _fetches_a_batch(
    evaluator: Evaluator,
    function: ast.AST,
    node: ast.AST,
    target: ast.expr,
    span: tuple[int, int],
) -> bool:
    """A query filtered `field__in=` a batch: a collection the loop hands out, or a slice of one.

    `for (start, end), uids in windows.items(): ...filter(user_id__in=uids)` or
    `chunk = ids[i : i + size]; ...filter(user_id__in=chunk)`: each query
    already fetches a batch of rows, which is the cure DJR104 would advise.
    A collection derived from one row (`ids_of[row.pk]`, a list built per
    row) is no batch: the loop still runs a query per row.
    """
    table = evaluator.assignments(function)
    in_loop = {
        name: [value for line, value in values if span[0] <= line <= span[1]]
        for name, values in table.items()
    }
    handed = {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    sliced = {name for name, values in in_loop.items() if values and all(map(_a_slice, values))}
    queried = node.iter if isinstance(node, ast.comprehension | ast.For) else node
    shapes = [queried]
    for name in {n.id for n in ast.walk(queried) if isinstance(n, ast.Name)}:
        shapes += in_loop.get(name, [])
    return any(
        isinstance(keyword, ast.keyword)
        and (keyword.arg or "").endswith("__in")
        and (
            _a_slice(keyword.value)
            or (isinstance(keyword.value, ast.Name) and keyword.value.id in handed | sliced)
        )
        for shape in shapes
        for keyword in ast.walk(shape)
    )


def _a_slice(expr: ast.expr) -> bool:
    """`ids[start:end]`: a chunk of a sequence."""
    return isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Slice)


def _batched(iterable: ast.expr, target: ast.expr) -> bool:
    """A loop over batches, chunks or a Paginator's pages: one query per batch is the cure."""
    text = f"{ast.unparse(iterable)} {ast.unparse(target)}".lower()
    return "batch" in text or "chunk" in text or "page_range" in text or "paginator" in text


def _command_line(evaluator: Evaluator, function: ast.AST, iterable: ast.expr) -> bool:
    """A loop over a management command's arguments (`options["ids"]`): a few typed values.

    The values a person types on the command line are a handful, not rows;
    one query per value is how such a command reads them.
    """
    if not isinstance(function, ast.FunctionDef) or function.name != "handle":
        return False
    given = {a.arg for a in (function.args.vararg, function.args.kwarg) if a is not None}
    root = _root(iterable)
    if isinstance(root, ast.Name) and root.id not in given:
        assigned = [
            value
            for line, value in evaluator.assignments(function).get(root.id, [])
            if line < iterable.lineno
        ]
        root = _root(assigned[-1]) if assigned else root
    return isinstance(root, ast.Name) and root.id in given


def _root(expr: ast.expr) -> ast.expr:
    """`options` of `options["ids"]` / `options.get("ids", [])`."""
    while isinstance(expr, ast.Call | ast.Attribute | ast.Subscript):
        expr = expr.func if isinstance(expr, ast.Call) else expr.value
    return expr


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
    handed: _Handed | None = None,
) -> Iterator[Access]:
    for top in body:
        for node in (top, *own_nodes(top)):
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
                if (
                    isinstance(receiver, QuerySetState)
                    and not _custom_create(evaluator, receiver.model, node)
                    and not _signalled(evaluator, receiver.model, created=True)
                ):
                    yield Access(
                        "save", file, node, f"{receiver.model}.objects.{func.attr}()", "", receiver
                    )
            elif func.attr in _RELATION_WRITES and _one_object(node):
                # `config.templates.add(template)`: only a related manager has add() and
                # remove(); each call is its own INSERT/DELETE (an M2M add first SELECTs).
                receiver = evaluator.value(func.value, scope)
                if (
                    handed is not None
                    and handed.rows_from_database
                    and (
                        isinstance(receiver, QuerySetState)
                        or _adds_the_row(evaluator, func.value, node.args[0], handed)
                    )
                ):
                    text = f"{ast.unparse(func.value)}.{func.attr}()"
                    yield Access("save", file, node, text, "", None)
            elif func.attr in _WRITES and not _custom_save(node):
                target = evaluator.value(func.value, scope)
                is_row = isinstance(func.value, ast.Name) and func.value.id in rows
                built = _constructed(evaluator, scope, func.value, body)
                model = (
                    target.model
                    if isinstance(target, Instance)
                    else built or (handed.model if is_row and handed is not None else None)
                )
                if (is_row or isinstance(target, Instance) or built) and not _signalled(
                    evaluator, model, created=built is not None
                ):
                    text = f"{ast.unparse(func.value)}.save()"
                    # A row built in the loop is new: bulk_create(), not bulk_update().
                    yield Access("save", file, node, text, "", None, built=built is not None)


@dataclass(frozen=True)
class _Handed:
    """What a loop hands its body: its row (name, model) and whether the rows are the database's.

    Relation writes are reported only in loops over database rows: a loop over
    the few tags a form or a factory was given is the caller's short list.
    """

    row: str | None
    model: str | None
    rows_from_database: bool


def _queryset_shaped(evaluator: Evaluator, function: ast.AST, iterable: ast.expr) -> bool:
    """`qs.filter(...).only("id").distinct()`, also through a name: a queryset of unknown model."""
    if isinstance(iterable, ast.Name):
        values = evaluator.assignments(function).get(iterable.id, [])
        if len(values) != 1:
            return False
        iterable = values[0][1]
    return (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Attribute)
        and iterable.func.attr in SAME_ROWS | _NARROWING
    )


def _adds_the_row(
    evaluator: Evaluator, manager: ast.expr, argument: ast.expr, handed: _Handed
) -> bool:
    """`owner.templates.add(row)`: one owner given each row of the loop, one call per row.

    The owner is often a parameter; the call is a relation write when some
    project model has a many-to-many field of that name (to the row's model,
    when known). A Python set's `seen.add(row)` or `self.seen.add(row)` names
    no such field. `row.tags.add(x)`, the row as the owner, is not reported:
    its batch is a `bulk_create()` on the through model, and in the triage
    such loops were batch jobs where the one write per row did not matter.
    """
    if not (
        handed.row
        and isinstance(manager, ast.Attribute)
        and isinstance(argument, ast.Name)
        and argument.id == handed.row
    ):
        return False
    return any(
        field.relation == "m2m" and (handed.model is None or field.target == handed.model)
        for model in evaluator.schema.index.models.values()
        if (field := model.fields.get(manager.attr)) is not None
    )


def _signalled(evaluator: Evaluator, model: str | None, *, created: bool) -> bool:
    """Whether a receiver of `pre_save`/`post_save` for `model` acts on this write.

    bulk_create()/bulk_update() send neither signal, so the batch the rule
    would advise drops the receivers' work (in the triage: django-guardian
    permissions kept by a post_save receiver, the code saying so). A receiver
    that acts only on created rows does not stop advice on updates.
    """
    if model is None:
        return False
    receivers = evaluator.schema.index.save_receivers
    return receivers.on_create(model) if created else receivers.on_update(model)


def _one_object(call: ast.Call) -> bool:
    """`m2m.add(obj)`: one positional object; `add(*objs)` is already the batch."""
    return len(call.args) == 1 and not isinstance(call.args[0], ast.Starred) and not call.keywords


def _custom_save(call: ast.Call) -> bool:
    """`obj.save(created_by_id=...)`: arguments Django's save() does not take.

    They belong to the project's own save(), which bulk_create()/bulk_update()
    skip: the per-row write is how that code runs, so the batch advice is wrong.
    """
    return any(k.arg is not None and k.arg not in _SAVE_ARGUMENTS for k in call.keywords)


def _custom_create(evaluator: Evaluator, model: str, call: ast.Call) -> bool:
    """`Model.objects.create(update_parent_languages=False, ...)`: a keyword that is no field.

    Such a keyword goes to the model's own `__init__`/save(), which a bulk
    write would skip.
    """
    info = evaluator.schema.info(model)
    if info is None:
        return False
    for keyword in call.keywords:
        if keyword.arg is None:
            continue
        name = keyword.arg.split("__", 1)[0]  # get_or_create(name__iexact=...) looks up `name`
        if name in ("defaults", "create_defaults", "pk", "id"):
            continue
        if info.attribute(name) is None and evaluator.schema.relation(model, name) is None:
            return True
    return False


def _constructed(
    evaluator: Evaluator, scope: Scope, node: ast.expr, body: list[ast.AST]
) -> str | None:
    """The model of `obj` in `obj.save()` when the loop body built it as `obj = Model(...)`."""
    if not isinstance(node, ast.Name):
        return None
    for top in body:
        for item in (top, *own_nodes(top)):
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
