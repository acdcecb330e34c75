"""What a loop body does with each row: relation reads, method calls, deferred fields.

`RowReader.scan` walks the statements or expressions run once per row with
the loop variable bound to an `Instance`, and yields an `Access` for every
read that issues a query per row: an uncovered forward relation, a reverse or
many-to-many manager, a prefetched manager re-queried, a deferred field.
Properties, methods and `__str__` are followed (bounded) with `self` bound to
the row, and the access names the line inside them that queries.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, replace

from djreview.nplusone.expr_shapes import function_imports
from djreview.nplusone.prefetch_probe import ends, probe_of
from djreview.nplusone.querysets import Instance, QuerySetState
from djreview.nplusone.relation_map import FORWARD, MANY, Function, Relation, Schema
from djreview.project.modules import dotted_name
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile

MAX_FOLLOW = 3
# Not followed: writes (reported by save-in-loop) and validation, whose reads
# are conditional and belong to the write path.
_NOT_FOLLOWED = frozenset(
    {"save", "delete", "clean", "full_clean", "clean_fields", "validate_unique", "refresh_from_db"}
)
# Calls on a related manager that run a query every time (even when prefetched).
REQUERY = frozenset(
    {
        "filter",
        "exclude",
        "order_by",
        "annotate",
        "values",
        "values_list",
        "get",
        "latest",
        "earliest",
        "aggregate",
        "select_related",
        "only",
        "defer",
        "distinct",
    }
)
# Calls on a related manager that read the rows: served by a prefetch, a query otherwise.
READ = frozenset({"all", "count", "exists", "first", "last", "iterator"})
_CACHES = frozenset({"django.core.cache.cache", "django.core.cache.caches"})
_WRITES = frozenset({"delete", "update", "create", "add", "remove", "set", "clear", "bulk_create"})


@dataclass(frozen=True)
class Via:
    """A method or property followed from the loop to the line that queries."""

    file: SourceFile
    node: ast.AST
    name: str


@dataclass(frozen=True)
class Access:
    """One per-row query: what triggers it and how to cure it."""

    kind: str
    file: SourceFile
    node: ast.AST
    text: str
    path: str
    state: QuerySetState | None
    via: tuple[Via, ...] = ()
    trigger: tuple[SourceFile, ast.AST] | None = None
    # The path crosses a to-many relation: only prefetch_related can cover it.
    many: bool = False
    # A manager call that builds a new query (filter, order_by...): a plain
    # prefetch_related would not serve it; Prefetch(queryset=...) would.
    filtered: bool = False
    # A write of a row the loop itself built (`obj = Model(...)`; `obj.save()`).
    built: bool = False


def _callee_name(call: ast.Call) -> str:
    func = call.func
    return (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )


def _writes(function: ast.AST, file: SourceFile, index: ProjectModel) -> bool:
    """Whether a method body saves, deletes, updates or creates rows.

    `data.update({...})` with a positional argument is a dict's update:
    QuerySet.update() takes keyword arguments only. `cache.set(key, value)`
    writes to Django's cache, not to a table: a method that memoises its
    result there is still a read.
    """
    module = index.module_for(file)
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _WRITES | {"save", "bulk_update"}
        and not (node.func.attr == "update" and node.args)
        and not (module is not None and _is_cache(node.func.value, module.name, index))
        for node in ast.walk(function)
    )


def _has_to_attr(row: Instance, attr: str) -> bool:
    """Whether the row's queryset sets `attr` on it: `Prefetch("<row path>__x", to_attr=attr)`."""
    for name, lookup in row.state.to_attr:
        parent = lookup.rsplit("__", 1)[0] if "__" in lookup else ""
        if name == attr and parent == row.prefix:
            return True
    return False


def _enclosing_function(file: SourceFile, node: ast.AST) -> ast.AST | None:
    """The innermost function of `file` holding `node`."""
    line = getattr(node, "lineno", 0)
    holding = [
        function
        for function in file.functions()
        if function.lineno <= line <= (function.end_lineno or function.lineno)
    ]
    return max(holding, key=lambda function: function.lineno, default=None)


def _is_cache(receiver: ast.expr, module: str, index: ProjectModel) -> bool:
    """`cache` / `caches["name"]` of django.core.cache, as the module imports them."""
    if isinstance(receiver, ast.Subscript):
        receiver = receiver.value
    name = dotted_name(receiver)
    return name is not None and index.resolve_name(module, name) in _CACHES


def chain(node: ast.expr) -> tuple[str, list[tuple[str, ast.expr]]] | None:
    """`post.author.name` -> ("post", [("author", node), ("name", node)]); calls are "()" steps."""
    steps: list[tuple[str, ast.expr]] = []
    while True:
        if isinstance(node, ast.Attribute):
            steps.append((node.attr, node))
            node = node.value
        elif isinstance(node, ast.Call):
            steps.append(("()", node))
            node = node.func
        elif isinstance(node, ast.Name):
            return node.id, list(reversed(steps))
        else:
            return None


def _note_assigned(statement: ast.AST, rows: dict[str, Instance]) -> None:
    """`row.rel = value` as a statement of the block: later reads of `row.rel` are from memory.

    Only statements run on every pass count (not ones nested in an `if`), so
    a read the assignment may not precede stays reported.
    """
    if not isinstance(statement, ast.Assign | ast.AnnAssign):
        return
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    for target in targets:
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id in rows
        ):
            row = rows[target.value.id]
            rows[target.value.id] = replace(row, assigned=row.assigned | {target.attr})


def _through(row: Instance, relation: Relation) -> Instance:
    """The object a one-to-one or forward relation of `row` leads to."""
    path = row.path(relation.name)
    if relation.back:
        return Instance(relation.target, row.state, path, row.fresh, row.many, relation.back, row)
    return Instance(relation.target, row.state, path, row.fresh, row.many)


class RowReader:
    """Finds per-row queries in code run once per row of a queryset."""

    def __init__(self, schema: Schema, *, implicit_calls: bool = False) -> None:
        self.schema = schema
        # Templates call methods without parentheses: `{{ post.get_url }}`.
        self.implicit_calls = implicit_calls

    def scan(
        self,
        file: SourceFile,
        nodes: list[ast.AST],
        rows: dict[str, Instance],
        via: tuple[Via, ...] = (),
        depth: int = 0,
    ) -> Iterator[Access]:
        """Every per-row access in `nodes`, with `rows` binding names to row instances."""
        self.schema.touch(file)
        yield from self._block(file, nodes, dict(rows), via, depth)

    def _block(
        self,
        file: SourceFile,
        nodes: list[ast.AST] | list[ast.stmt],
        rows: dict[str, Instance],
        via: tuple[Via, ...],
        depth: int,
    ) -> Iterator[Access]:
        """The accesses of consecutive statements, up to one that always leaves for these rows."""
        for node in nodes:
            yield from self._visit(file, node, rows, via, depth)
            _note_assigned(node, rows)
            if isinstance(node, ast.If):
                taken = self._taken_branch(file, node, rows)
                if taken is not None and ends(node.body if taken else node.orelse):
                    return

    def _taken_branch(
        self, file: SourceFile, node: ast.If, rows: dict[str, Instance]
    ) -> bool | None:
        """The branch of `if` that runs for these rows, when it tests a prefetched list."""
        probe = probe_of(node.test, _enclosing_function(file, node))
        if probe is None or probe.row not in rows:
            return None
        return probe.when_set if _has_to_attr(rows[probe.row], probe.attr) else None

    def _visit(
        self,
        file: SourceFile,
        node: ast.AST,
        rows: dict[str, Instance],
        via: tuple[Via, ...],
        depth: int,
    ) -> Iterator[Access]:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            return
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            yield from self._visit(file, node.value, rows, via, depth)
            bound = self._instance_of(node.value, rows)
            if bound is not None:
                rows[node.targets[0].id] = bound
            else:
                rows.pop(node.targets[0].id, None)
            return
        if isinstance(node, ast.If) and (taken := self._taken_branch(file, node, rows)) is not None:
            yield from self._visit(file, node.test, rows, via, depth)
            yield from self._block(file, node.body if taken else node.orelse, rows, via, depth)
            return
        if isinstance(node, ast.For | ast.AsyncFor):
            yield from self._visit(file, node.iter, rows, via, depth)
            inner = self.iterated(node.iter, rows)
            local = dict(rows)
            if inner is not None and isinstance(node.target, ast.Name):
                local[node.target.id] = inner
            yield from self._block(file, node.body, local, via, depth)
            yield from self._block(file, node.orelse, local, via, depth)
            return
        if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            local = dict(rows)
            for generator in node.generators:
                yield from self._visit(file, generator.iter, local, via, depth)
                inner = self.iterated(generator.iter, local)
                if inner is not None and isinstance(generator.target, ast.Name):
                    local[generator.target.id] = inner
                for condition in generator.ifs:
                    yield from self._visit(file, condition, local, via, depth)
            parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            for part in parts:
                yield from self._visit(file, part, local, via, depth)
            return
        if isinstance(node, ast.Call) and _callee_name(node) in ("Subquery", "Exists"):
            # A queryset inside Subquery()/Exists() becomes SQL of the outer query.
            return
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            # `row.author = x` writes; only the object it is set on is read.
            yield from self._visit(file, node.value, rows, via, depth)
            return
        if isinstance(node, ast.Attribute | ast.Call):
            found = chain(node)
            if found is not None and found[0] in rows:
                yield from self._read(file, node, found[1], rows[found[0]], found[0], via, depth)
                for step, step_node in found[1]:
                    if step == "()" and isinstance(step_node, ast.Call):
                        for arg in (*step_node.args, *(k.value for k in step_node.keywords)):
                            yield from self._visit(file, arg, rows, via, depth)
                return
            if isinstance(node, ast.Call):
                yield from self._str_call(file, node, rows, via, depth)
                yield from self._helper_call(file, node, rows, via, depth)
        if (
            isinstance(node, ast.FormattedValue)
            and isinstance(node.value, ast.Name)
            and node.value.id in rows
        ):
            yield from self.follow(
                file, node, rows[node.value.id], "__str__", node.value.id, via, depth
            )
        for child in ast.iter_child_nodes(node):
            yield from self._visit(file, child, rows, via, depth)

    def _str_call(
        self,
        file: SourceFile,
        node: ast.Call,
        rows: dict[str, Instance],
        via: tuple[Via, ...],
        depth: int,
    ) -> Iterator[Access]:
        if isinstance(node.func, ast.Name) and node.func.id == "str" and len(node.args) == 1:
            arg = node.args[0]
            if isinstance(arg, ast.Name) and arg.id in rows:
                yield from self.follow(file, node, rows[arg.id], "__str__", arg.id, via, depth)

    def _helper_call(
        self,
        file: SourceFile,
        node: ast.Call,
        rows: dict[str, Instance],
        via: tuple[Via, ...],
        depth: int,
    ) -> Iterator[Access]:
        """`grid_resource(row)`: a project function the row is passed to, read with it bound.

        The reads inside the helper happen once per row; they are reported at
        the call, with the line inside the helper as the trigger.
        """
        if depth >= MAX_FOLLOW or not isinstance(node.func, ast.Name | ast.Attribute):
            return
        passed = [
            (index, arg.id)
            for index, arg in enumerate(node.args)
            if isinstance(arg, ast.Name) and arg.id in rows
        ]
        if not passed:
            return
        found = self._function(file, node.func)
        if (
            found is None
            or any(v.node is found[1] for v in via)
            or _writes(found[1], found[0], self.schema.index)
        ):
            return
        body_file, function = found
        params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        bound = {params[i]: rows[name] for i, name in passed if i < len(params)}
        if not bound:
            return
        step = Via(body_file, function, function.name)
        for access in self.scan(body_file, list(function.body), bound, (*via, step), depth + 1):
            if via or depth:
                yield access
            elif access.kind != "deferred":
                text = f"{ast.unparse(node.func)}({passed[0][1]})"
                yield replace(
                    access, file=file, node=node, text=text, trigger=(access.file, access.node)
                )

    def _function(self, file: SourceFile, func: ast.expr) -> tuple[SourceFile, Function] | None:
        """The project module-level function a call names (`helper`, `utils.helper`)."""
        index = self.schema.index
        info = index.module_for(file)
        dotted = dotted_name(func)
        if info is None or dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        local = function_imports(_enclosing_function(file, func), info.package)
        if head in local:
            qualified: str | None = local[head] + (f".{rest}" if rest else "")
        else:
            qualified = index.resolve_name(info.name, dotted)
        if qualified is None:
            return None
        module, _, attribute = index.resolver.canonical(qualified).rpartition(".")
        target = index.modules.get(module)
        node = target.defs.get(attribute) if target is not None else None
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return None
        if target is None or target.file.rel not in self.schema.files:
            return None
        return self.schema.files[target.file.rel], node

    def _walk(self, row: Instance, steps: list[tuple[str, ast.expr]]) -> tuple[Instance, int]:
        """Follow forward relations; return the last instance and the index of the next step."""
        index = 0
        while index < len(steps) and steps[index][0] != "()":
            if steps[index][0] in row.assigned:
                break
            if row.parent is not None and steps[index][0] == row.back:
                row, index = row.parent, index + 1
                continue
            relation = self.schema.relation(row.model, steps[index][0])
            if relation is None or relation.kind == MANY:
                break
            row = _through(row, relation)
            index += 1
        return row, index

    def _instance_of(self, value: ast.expr, rows: dict[str, Instance]) -> Instance | None:
        found = chain(value)
        if found is None or found[0] not in rows or not found[1]:
            return None
        row, index = self._walk(rows[found[0]], found[1])
        return row if index == len(found[1]) else None

    def iterated(self, iterable: ast.expr, rows: dict[str, Instance]) -> Instance | None:
        """The row instance of a loop over a relation of a row (`post.comments.all()`)."""
        found = chain(iterable)
        if found is None or found[0] not in rows or not found[1]:
            return None
        row, index = self._walk(rows[found[0]], found[1])
        steps = found[1]
        if index >= len(steps):
            return None
        name = steps[index][0]
        to_attr = row.state.to_attr_path(name) if not row.prefix else None
        relation = self.schema.relation(row.model, to_attr or name)
        if relation is None or relation.kind != MANY:
            return None
        rest = [step for step, _ in steps[index + 1 :]]
        if (
            to_attr is None
            and rest not in ([], ["all", "()"])
            and not (rest and rest[0] == "filter")
        ):
            return None
        path = row.path(name)
        fresh = row.fresh or not row.state.covered(path, forward=False, null=True)
        return Instance(relation.target, row.state, path, fresh, True, relation.back, row)

    def _read(
        self,
        file: SourceFile,
        node: ast.expr,
        steps: list[tuple[str, ast.expr]],
        row: Instance,
        root: str,
        via: tuple[Via, ...],
        depth: int,
    ) -> Iterator[Access]:
        start = row
        uncovered = ""
        last_node: ast.AST = node
        text = root
        index = 0
        while index < len(steps):
            name, step_node = steps[index]
            if name == "()":
                break
            if name in row.assigned:
                # Set from memory earlier in the body: no query, and no known queryset behind it.
                return
            if row.parent is not None and name == row.back:
                # Filled by Django when it loaded this object through the parent.
                row, text, index = row.parent, f"{text}.{name}", index + 1
                continue
            kind = self.schema.attribute_kind(row.model, name)
            if kind == "relation" and row.state.to_attr_path(name) is None:
                relation = self.schema.relation(row.model, name)
                if relation is None:
                    return
                path = row.path(name)
                if relation.kind == MANY:
                    if uncovered:
                        break
                    yield from self._many(file, steps, index, row, f"{text}.{name}", path, via)
                    return
                forward = relation.kind == FORWARD
                if row.fresh or not row.state.covered(path, forward=forward, null=relation.null):
                    uncovered = path
                    last_node = step_node
                row = _through(row, relation)
                text = f"{text}.{name}"
                index += 1
                continue
            if uncovered:
                break
            if kind == "field" and not row.prefix and self._deferred(row.state, name):
                yield Access("deferred", file, step_node, f"{text}.{name}", name, row.state, via)
            else:
                called = index + 1 < len(steps) and steps[index + 1][0] == "()"
                if kind == "property" or (kind == "method" and (called or self.implicit_calls)):
                    target = steps[index + 1][1] if called else step_node
                    yield from self.follow(file, target, row, name, text, via, depth)
            return
        if uncovered:
            yield Access(
                "select", file, last_node, text, uncovered, start.state, via, many=start.many
            )

    def _many(
        self,
        file: SourceFile,
        steps: list[tuple[str, ast.expr]],
        index: int,
        row: Instance,
        text: str,
        path: str,
        via: tuple[Via, ...],
    ) -> Iterator[Access]:
        rest = steps[index + 1 :]
        if len(rest) < 2 or rest[1][0] != "()":
            return
        method, call = rest[0][0], rest[1][1]
        if any(step in _WRITES for step, _ in rest):
            # `row.items.filter(...).delete()`: a write per row, not a read to prefetch.
            return
        covered = not row.fresh and row.state.covered(path, forward=False, null=True)
        if method in REQUERY:
            kind = "bypass" if covered else "prefetch"
        elif method in READ and not covered:
            kind = "prefetch"
        else:
            return
        yield Access(
            kind,
            file,
            call,
            f"{text}.{method}()",
            path,
            row.state,
            via,
            filtered=any(step in REQUERY for step, _ in rest),
        )

    @staticmethod
    def _deferred(state: QuerySetState, name: str) -> bool:
        if name in ("pk", "id") or name in state.annotations:
            return False
        return (state.only is not None and name not in state.only) or name in state.defer

    def follow(
        self,
        file: SourceFile,
        node: ast.AST,
        row: Instance,
        name: str,
        text: str,
        via: tuple[Via, ...] = (),
        depth: int = 0,
    ) -> Iterator[Access]:
        """Follow a property, method or __str__ of the row's model with self bound to the row."""
        if name in _NOT_FOLLOWED or depth >= MAX_FOLLOW:
            return
        found = self.schema.function(row.model, name)
        if found is None or any(v.node is found[1] for v in via):
            return
        body_file, function = found
        if (
            name != "__str__"
            and not self.schema.is_property(row.model, name)
            and _writes(function, body_file, self.schema.index)
        ):
            # An action (`cancel()`, `sync()`): its per-row cost is the writes.
            return
        step = Via(body_file, function, f"{row.model.rsplit('.', 1)[-1]}.{name}")
        for access in self.scan(
            body_file, list(function.body), {"self": row}, (*via, step), depth + 1
        ):
            if via or depth:
                yield access
            else:
                # Report at the loop's expression; the line inside the method is the trigger.
                if access.kind == "deferred":
                    # Methods often guard deferred fields (`hasattr(self, "x_length")`).
                    continue
                yield replace(
                    access,
                    file=file,
                    node=node,
                    text=f"{text}.{name}",
                    trigger=(access.file, access.node),
                )
