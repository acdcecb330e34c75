"""Static evaluation of queryset expressions: what `posts` holds at a loop.

Follows local assignments (the last one before the use), class attributes
(`queryset = ...`, `model = ...`), `get_queryset()` overrides, custom manager
and queryset methods, and helper functions in other modules (bounded depth).
Anything it cannot follow evaluates to None: unknown stays silent.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from djreview.nplusone.expr_shapes import (
    assignment_table,
    branch_spans,
    callee,
    class_assignment,
    few,
    function_imports,
    hints_beside_a_filter,
    is_request,
    is_self,
    is_super,
    of_own_model,
    plain_rows,
    restates,
)
from djreview.nplusone.querysets import (
    ONE_ROW,
    Instance,
    Origin,
    PrefetchReader,
    QuerySetState,
    apply_call,
)
from djreview.nplusone.relation_map import MANY, Function, Schema
from djreview.project.model_getters import MODEL_CLASS_GETTERS, getter_label
from djreview.project.modules import ModuleInfo, NameResolver, dotted_name
from djreview.source.file import SourceFile
from djreview.source.test_code import skipped

MAX_DEPTH = 4
_MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
# Paginator methods returning a page of its queryset (a Paginator evaluates to its queryset).
_PAGES = frozenset({"get_page", "page"})


@dataclass(frozen=True)
class ModelRef:
    """A model class used as a value (`Post`), not an instance."""

    model: str


Value = QuerySetState | Instance | ModelRef | None


@dataclass(frozen=True)
class Scope:
    """Where an expression is evaluated: module, function and class around it."""

    file: SourceFile
    module: str
    function: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    class_node: ast.ClassDef | None = None
    self_value: Value = None
    # The class a method runs for (a subclass of class_node), for attribute lookups.
    leaf: Scope | None = None
    # Parameters bound to the caller's arguments (a helper called with a queryset).
    bound: tuple[tuple[str, Value], ...] = ()


class Evaluator:
    """Evaluates expressions to queryset states, instances or model references."""

    def __init__(self, schema: Schema, modules: dict[str, ModuleInfo]) -> None:
        self.schema = schema
        self.modules = modules
        self.resolver = NameResolver(modules)
        self.by_file = {info.file.rel: info for info in modules.values()}
        self._tables: dict[int, dict[str, list[tuple[int, ast.expr]]]] = {}
        self._calls: dict[str, list[tuple[ModuleInfo, ast.Call]]] | None = None
        self._branches: dict[int, list[tuple[int, int]]] = {}
        self._imports: dict[int, dict[str, str]] = {}
        # `self` of a model's methods, by the class's qualified name (see _own_row).
        self._own_rows: dict[str, Value] = {}
        # Manager and queryset methods being evaluated (a manager method that
        # forwards to the queryset method of the same name).
        self._active: set[int] = set()

    def calls_named(self, name: str) -> list[tuple[ModuleInfo, ast.Call]]:
        """Every call in the project whose callee's last name is `name` (indexed once)."""
        if self._calls is None:
            self._calls = {}
            for module in self.modules.values():
                tree = module.file.tree
                if tree is None or module.rel.startswith("<"):
                    continue
                for node in ast.walk(tree):
                    if isinstance(node, ast.Call):
                        func = node.func
                        last = func.attr if isinstance(func, ast.Attribute) else None
                        last = func.id if isinstance(func, ast.Name) else last
                        if last is not None:
                            self._calls.setdefault(last, []).append((module, node))
        return self._calls.get(name, [])

    def assignments(self, function: ast.AST) -> dict[str, list[tuple[int, ast.expr]]]:
        """name -> (line, value) of the assignments in `function` (cached)."""
        table = self._tables.get(id(function))
        if table is None:
            table = self._tables[id(function)] = assignment_table(function)
        return table

    def _only_on_a_branch(self, function: ast.AST, line: int, use: int) -> bool:
        """Whether the body of an `if` (without `else`) holds `line` but not the use on `use`."""
        spans = self._branches.get(id(function))
        if spans is None:
            spans = self._branches[id(function)] = branch_spans(function)
        return any(first <= line <= last and not first <= use <= last for first, last in spans)

    def scope_for(
        self,
        file: SourceFile,
        function: ast.FunctionDef | ast.AsyncFunctionDef | None = None,
        class_node: ast.ClassDef | None = None,
    ) -> Scope:
        """The scope of a function (or class body) in `file`."""
        self.schema.touch(file)
        info = self.by_file.get(file.rel)
        # A file outside any package (a script, a one-file sample) still has
        # local names; imports just do not resolve.
        module = info.name if info else ""
        own = self._own_row(module, class_node) if function is not None else None
        return Scope(file, module, function, class_node, own)

    def _own_row(self, module: str, class_node: ast.ClassDef | None) -> Value:
        """`self` in a model's method: one row of that model (of its one concrete child).

        An abstract base's method runs for the concrete models built on it;
        with exactly one outside tests (a reusable app's swappable model), its
        reverse relations (`self.config_relations`) are that model's.
        """
        if class_node is None:
            return None
        qualified = f"{module}.{class_node.name}"
        if qualified not in self._own_rows:
            self._own_rows[qualified] = self._row_of_class(qualified)
        return self._own_rows[qualified]

    def _row_of_class(self, qualified: str) -> Value:
        index = self.schema.index
        model = index.model_for_class(qualified)
        if model is None or model.builtin:
            return None
        if model.abstract:
            children = [
                m
                for m in index.models.values()
                if not m.abstract
                and model.qualified_name in index.classes.linearize(m.qualified_name)
                and not skipped(m.file)
            ]
            if len(children) != 1:
                return None
            model = children[0]
        return Instance(model.label, QuerySetState(model.label, None))

    def value(self, expr: ast.expr, scope: Scope, depth: int = 0) -> Value:
        """What `expr` evaluates to in `scope`, when it can be known statically."""
        if depth > MAX_DEPTH * 4:
            return None
        self.schema.touch(scope.file)
        if isinstance(expr, ast.Name):
            return self._name(expr, scope, depth)
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr, scope, depth)
        if isinstance(expr, ast.Call):
            return self._call(expr, scope, depth)
        if isinstance(expr, ast.Subscript):
            inner = self.value(expr.value, scope, depth + 1)
            if isinstance(inner, QuerySetState):
                if isinstance(expr.slice, ast.Slice):
                    return replace(inner, few=True) if few(expr.slice) else inner
                return Instance(inner.model, inner)
        return None

    def _name(self, expr: ast.Name, scope: Scope, depth: int) -> Value:
        if expr.id == "self" and scope.self_value is not None:
            return scope.self_value
        if scope.function is not None:
            args = scope.function.args
            if any(a.arg == expr.id for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)):
                return self._parameter(expr, scope, depth)
            earlier = [
                (line, value)
                for line, value in self.assignments(scope.function).get(expr.id, [])
                if line < expr.lineno
            ]
            while (
                len(earlier) > 1
                and restates(earlier[-1][1], expr.id, earlier[-1][0])
                and hints_beside_a_filter(earlier[-1][1])
                and self._only_on_a_branch(scope.function, earlier[-1][0], expr.lineno)
            ):
                # `if organization: qs = qs.select_related(...).filter(...)`: on
                # the path that skips the branch the rows come without it.
                earlier.pop()
            if earlier:
                line, value = earlier[-1]
                # `qs = qs.filter(...)` restated down a view costs no depth (the
                # receiver's call charged one): the next lookup is on an
                # earlier line, so the walk still ends.
                cost = -1 if restates(value, expr.id, line) else 1
                return self.value(value, scope, max(depth + cost, 0))
        label = self._model_named(expr, scope)
        if label is not None:
            return ModelRef(label)
        return self._module_value(scope, expr.id, depth)

    def _imported(self, scope: Scope, dotted: str) -> str | None:
        """The qualified name `dotted` has through an import inside the scope's own function."""
        if scope.function is None:
            return None
        bound = self._imports.get(id(scope.function))
        if bound is None:
            info = self.modules.get(scope.module)
            package = info.package if info is not None else ""
            bound = self._imports[id(scope.function)] = function_imports(scope.function, package)
        head, _, rest = dotted.partition(".")
        found = bound.get(head)
        return f"{found}.{rest}" if found and rest else found

    def _model_named(self, expr: ast.Name | ast.Attribute, scope: Scope) -> str | None:
        """The label of the model class `expr` names, a function's own imports first."""
        dotted = dotted_name(expr)
        imported = self._imported(scope, dotted) if dotted else None
        if imported is not None:
            found = self.schema.index.model_named(imported)
            return found.label if found is not None else None
        if isinstance(expr, ast.Attribute) and not scope.module:
            return None
        return self.schema.model_of(scope.module, expr)

    def _definition(self, scope: Scope, name: str) -> tuple[ModuleInfo, ast.AST] | None:
        """The module-level definition `name` refers to in `scope`, across imports."""
        qualified = self._qualified(scope, name)
        if qualified is None:
            return None
        module, _, attribute = self.resolver.canonical(qualified).rpartition(".")
        info = self.modules.get(module)
        node = info.defs.get(attribute) if info else None
        return (info, node) if info is not None and node is not None else None

    def _module_value(self, scope: Scope, name: str, depth: int) -> Value:
        found = self._definition(scope, name)
        if found is not None and isinstance(found[1], ast.Assign):
            info = found[0]
            return self.value(found[1].value, Scope(info.file, info.name), depth + 1)
        return None

    def _attribute(self, expr: ast.Attribute, scope: Scope, depth: int) -> Value:
        label = self._model_named(expr, scope)
        if label is not None:
            return ModelRef(label)
        if expr.attr == "user" and is_request(expr.value):
            label = self.schema.index.user_model_label
            return Instance(label, QuerySetState(label, None)) if label else None
        base = self.value(expr.value, scope, depth + 1)
        if isinstance(base, ModelRef):
            if expr.attr in _MANAGERS or expr.attr in self.schema.managers(base.model):
                return self._manager(base.model, expr.attr, expr, scope, depth)
            return None
        if isinstance(base, Instance):
            return self._instance_attribute(base, expr, scope, depth)
        if isinstance(base, QuerySetState) and expr.attr == "object_list":
            return base  # a Page of a Paginator over the queryset
        if expr.attr == "model" and is_self(expr.value):
            return self._own_model(scope, depth)
        if (
            isinstance(expr.value, ast.Name)
            and expr.value.id == "self"
            and scope.class_node is not None
            and expr.attr == "object"
        ):
            listed = self.class_queryset(scope, depth + 1)
            return Instance(listed.model, listed) if listed is not None else None
        if (
            isinstance(expr.value, ast.Name)
            and expr.value.id == "self"
            and scope.class_node is not None
            and expr.attr in ("queryset", "object_list")
        ):
            leaf = scope.leaf or scope
            if expr.attr == "queryset":
                return self._attribute_queryset(self._mro(leaf), leaf, depth + 1)
            return self.class_queryset(scope, depth + 1)
        return None

    def _instance_attribute(
        self, row: Instance, expr: ast.Attribute, scope: Scope, depth: int
    ) -> Value:
        """`obj.comments` (a related manager), `obj.author`, or a property of one object.

        Rows of a reverse foreign key's manager have their foreign key to
        `obj` filled by Django (`comment.post`), so reading it costs nothing.
        A to-many relation of a loop's row (a path prefix) or one its queryset
        prefetched is no fresh query of its own: unknown here. A property is
        read for the queryset it returns.
        """
        relation = self.schema.relation(row.model, expr.attr)
        if relation is not None:
            if relation.kind != MANY:
                return Instance(relation.target, QuerySetState(relation.target, None))
            if row.prefix or row.state.covered(expr.attr, forward=False, null=True):
                return None
            known = frozenset({relation.back}) if relation.back else frozenset()
            origin = Origin(scope.file, expr, scope.function.name if scope.function else "")
            return QuerySetState(relation.target, origin, known=known)
        if not self.schema.is_property(row.model, expr.attr) or depth > MAX_DEPTH * 3:
            return None
        found = self.schema.function(row.model, expr.attr)
        if found is None:
            return None
        file, function_node = found
        info = self.by_file.get(file.rel)
        inner = Scope(file, info.name if info else "", function_node, None, row)
        result = self.returns(function_node, inner, depth + 1)
        return result if isinstance(result, QuerySetState) else None

    def _own_model(self, scope: Scope, depth: int) -> Value:
        """`self.model`: a manager's, an admin's or a view's model class."""
        if isinstance(scope.self_value, QuerySetState):
            return ModelRef(scope.self_value.model)
        if scope.class_node is None or depth > MAX_DEPTH * 3:
            return None
        leaf = scope.leaf or scope
        # The class attributes only: get_queryset() itself may read self.model.
        listed = self._attribute_queryset(self._mro(leaf), leaf, depth + 1)
        if listed is not None:
            return ModelRef(listed.model)
        # A ModelAdmin: the model it is registered for (`admin.site.register(Page, PageAdmin)`).
        assert leaf.class_node is not None
        qualified = f"{leaf.module}.{leaf.class_node.name}"
        labels = {a.model.label for a in self.schema.index.admin if a.admin_class == qualified}
        return ModelRef(labels.pop()) if len(labels) == 1 else None

    def _parameter(self, expr: ast.Name, scope: Scope, depth: int) -> Value:
        """A parameter: the caller's argument when bound, else unknown."""
        bound = dict(scope.bound)
        if expr.id in bound:
            return bound[expr.id]
        return None

    def _manager(
        self, model: str, attribute: str, expr: ast.expr, scope: Scope, depth: int
    ) -> Value:
        state = QuerySetState(
            model, Origin(scope.file, expr, scope.function.name if scope.function else "")
        )
        # A custom manager whose get_queryset() changes the rows or the joins.
        method = self.schema.manager_methods(model, attribute).get("get_queryset")
        if method is None:
            return state
        result = self._in_method(method, state, depth)
        return replace(result, origin=state.origin) if isinstance(result, QuerySetState) else None

    def _in_method(
        self, method: tuple[SourceFile, Function], receiver: QuerySetState, depth: int
    ) -> Value:
        """What a manager or queryset method returns when `self` is `receiver`."""
        file, function = method
        info = self.by_file.get(file.rel)
        scope = Scope(file, info.name if info else "", function, None, receiver)
        self._active.add(id(function))
        try:
            return self.returns(function, scope, depth + 1)
        finally:
            self._active.discard(id(function))

    def _call(self, expr: ast.Call, scope: Scope, depth: int) -> Value:
        func = expr.func
        if isinstance(func, ast.Attribute | ast.Name) and (
            callee(func) == "get_model"
            or self._qualified(scope, dotted_name(func) or "") in MODEL_CLASS_GETTERS
        ):
            # `apps.get_model()` is spelled: in a migration `apps` is a parameter.
            return self._get_model(expr)
        if isinstance(func, ast.Attribute):
            if func.attr == "get_queryset" and is_super(func.value):
                if isinstance(scope.self_value, QuerySetState):
                    return scope.self_value
                if scope.class_node is None:
                    return None
                return self.class_queryset(scope, depth + 1, after=scope.class_node)
            if (
                func.attr == "get_queryset"
                and isinstance(func.value, ast.Name)
                and func.value.id == "self"
            ):
                if scope.self_value is not None and isinstance(scope.self_value, QuerySetState):
                    return scope.self_value
                if scope.class_node is not None:
                    return self.class_queryset(scope, depth + 1)
            if (
                func.attr == "queryset"
                and is_super(func.value)
                and isinstance(scope.self_value, QuerySetState)
            ):
                # Django < 1.6 admin: `queryset()` before it became `get_queryset()`.
                return scope.self_value
            if is_self(func.value) and scope.class_node is not None:
                found = self._self_call(func.attr, expr, scope, depth)
                if found is not None:
                    return found
            receiver = self.value(func.value, scope, depth + 1)
            if isinstance(receiver, ModelRef) and func.attr in ("objects",):
                return None
            if not isinstance(receiver, QuerySetState):
                return None
            return self._queryset_call(receiver, expr, func, scope, depth)
        if isinstance(scope.self_value, QuerySetState) and of_own_model(expr):
            # A manager's get_queryset(): `MyQuerySet(self.model, using=self._db)`.
            return scope.self_value
        name = dotted_name(func) or ""
        last = name.rsplit(".", 1)[-1]
        if expr.args and self._qualified(scope, name) == _PAGINATOR:
            # `Paginator(qs, 25)`: its pages iterate a slice of the rows of `qs`.
            inner = self.value(expr.args[0], scope, depth + 1)
            return inner if isinstance(inner, QuerySetState) else None
        if last in ("get_object_or_404",) and expr.args:
            target = self.value(expr.args[0], scope, depth + 1)
            if isinstance(target, ModelRef):
                target = QuerySetState(target.model, Origin(scope.file, expr.args[0]))
            return Instance(target.model, target) if isinstance(target, QuerySetState) else None
        if name in ("list", "sorted", "tuple") and len(expr.args) == 1:
            inner = self.value(expr.args[0], scope, depth + 1)
            return replace(inner, evaluated=True) if isinstance(inner, QuerySetState) else None
        if isinstance(func, ast.Name) and depth < MAX_DEPTH * 3:
            return self._helper(func.id, expr, scope, depth)
        return None

    def _get_model(self, call: ast.Call) -> Value:
        """`apps.get_model("blog", "Post")` / `apps.get_model("blog.Post")`: the model class."""
        label = getter_label(call)
        found = self.schema.index.model(label) if label is not None else None
        return ModelRef(found.label) if found is not None else None

    def _self_call(self, name: str, call: ast.Call, scope: Scope, depth: int) -> Value:
        """`self.get_object()`, `self.paginate_queryset(qs)`, `self.narrow(qs)` in a class."""
        if name == "get_object":
            listed = self.class_queryset(scope, depth + 1)
            return Instance(listed.model, listed) if listed is not None else None
        if name in ("paginate_queryset", "filter_queryset") and call.args:
            # DRF: the page is a list of the queryset's rows.
            inner = self.value(call.args[0], scope, depth + 1)
            return inner if isinstance(inner, QuerySetState) else None
        if depth >= MAX_DEPTH * 3 or name in ("get_queryset", "queryset"):
            return None
        leaf = scope.leaf or scope
        for owner in self._mro(leaf):
            assert owner.class_node is not None
            method = next(
                (
                    item
                    for item in owner.class_node.body
                    if isinstance(item, ast.FunctionDef) and item.name == name
                ),
                None,
            )
            if method is not None:
                called = Scope(
                    owner.file,
                    owner.module,
                    method,
                    owner.class_node,
                    scope.self_value,
                    leaf,
                    self._bind(method, call, scope, depth, skip=1),
                )
                return self.returns(method, called, depth + MAX_DEPTH)
        return None

    def _bind(
        self, function: Function, call: ast.Call, scope: Scope, depth: int, skip: int = 0
    ) -> tuple[tuple[str, Value], ...]:
        """The parameters of `function` bound to the queryset arguments of `call`."""
        params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)][skip:]
        pairs = list(zip(params, call.args, strict=False))
        pairs += [(k.arg, k.value) for k in call.keywords if k.arg is not None]
        bound = []
        for name, arg in pairs:
            value = self.value(arg, scope, depth + 1)
            if isinstance(value, QuerySetState | Instance):
                bound.append((name, value))
        return tuple(bound)

    def _queryset_call(
        self, receiver: QuerySetState, expr: ast.Call, func: ast.Attribute, scope: Scope, depth: int
    ) -> Value:
        method = func.attr
        if method in ONE_ROW:
            return Instance(receiver.model, receiver)
        if method in _PAGES and self._paginator(func.value, scope):
            # `paginator.get_page(n)`: one page of the paginated rows, fetched in one
            # query; a loop over pages (chunking) is not a query per row.
            return replace(receiver, evaluated=True)
        if method in _PAGES:
            return receiver  # `Paginator(qs, n).get_page(p)`: a slice of the same rows
        reader = PrefetchReader(lambda node: self.value(node, scope, depth + 1))
        state = apply_call(receiver, expr, method, reader)
        if state is None:
            state = self._custom(receiver, method, depth, scope)
        if state is None or receiver.values and not state.values:
            return None if state is None else state
        origin = receiver.origin
        if origin is not None and origin.node is func.value:
            state = replace(state, origin=replace(origin, node=expr))
        return state

    def _custom(
        self, receiver: QuerySetState, method: str, depth: int, scope: Scope
    ) -> QuerySetState | None:
        """A project manager/queryset method: evaluate its body with self = receiver."""
        if depth > MAX_DEPTH * 3:
            return None
        for manager in self.schema.managers(receiver.model):
            found = self.schema.manager_methods(receiver.model, manager).get(method)
            if found is not None and (id(found[1]) in self._active or found[1] is scope.function):
                # A manager method forwarding to its QuerySet's namesake
                # (`def published(self): return self.get_queryset().published()`),
                # being evaluated or being the caller: read the QuerySet's method.
                found = self._queryset_method(receiver.model, manager, method)
            if found is None:
                continue
            result = self._in_method(found, receiver, depth)
            if isinstance(result, QuerySetState) and result.model == receiver.model:
                return replace(result, origin=receiver.origin)
            if result is None and plain_rows(found[1]):
                # `return user.workspace_set.all()`: rows of the manager's model, reached
                # through an object djreview cannot type, with no join or prefetch added.
                return receiver
            return None
        return None

    def _queryset_method(
        self, model: str, manager: str, method: str
    ) -> tuple[SourceFile, Function] | None:
        """The method `method` of the QuerySet class behind a model's manager.

        None when the class is unknown, has no such method, or the method is
        being evaluated already (a forwarding loop).
        """
        qualified = self._queryset_class(model, manager)
        found = self.schema.index.classes.method(qualified, method) if qualified else None
        if found is None or id(found[1]) in self._active:
            return None
        file = self.schema.files.get(found[0].file.rel)
        return (file, found[1]) if file is not None else None

    def _queryset_class(self, model: str, manager: str) -> str | None:
        """The qualified name of the QuerySet class a model's manager builds.

        From the project model's manager facts, else from the manager's own
        `get_queryset()` (or the pre-1.6 `get_query_set()`) returning
        `MyQuerySet(self.model, using=self._db)`.
        """
        info = self.schema.info(model)
        managed = info.managers.get(manager) if info is not None else None
        if managed is not None and managed.queryset_class is not None:
            return managed.queryset_class
        methods = self.schema.manager_methods(model, manager)
        getter = methods.get("get_queryset") or methods.get("get_query_set")
        module = self.by_file.get(getter[0].rel) if getter is not None else None
        if getter is None or module is None:
            return None
        built = [
            node.value
            for node in ast.walk(getter[1])
            if isinstance(node, ast.Return)
            and isinstance(node.value, ast.Call)
            and of_own_model(node.value)
        ]
        dotted = dotted_name(built[0].func) if built else None
        return self.resolver.resolve(module.name, dotted) if dotted else None

    def _qualified(self, scope: Scope, name: str) -> str | None:
        """The qualified name a dotted name in `scope` refers to (None when unbound)."""
        imported = self._imported(scope, name) if name else None
        if imported is not None:
            return imported
        head, _, rest = name.partition(".")
        found = self.resolver.local(scope.module, head) if scope.module and head else None
        return f"{found}.{rest}" if found and rest else found

    def _paginator(self, expr: ast.expr, scope: Scope) -> bool:
        """Whether `expr` is a Paginator built from a queryset (`Paginator(qs, 25)` or a name)."""
        if isinstance(expr, ast.Name) and scope.function is not None:
            earlier = [
                value
                for line, value in self.assignments(scope.function).get(expr.id, [])
                if line < expr.lineno
            ]
            expr = earlier[-1] if earlier else expr
        return (
            isinstance(expr, ast.Call)
            and self._qualified(scope, dotted_name(expr.func) or "") == _PAGINATOR
        )

    def _helper(self, name: str, call: ast.Call, scope: Scope, depth: int) -> Value:
        """A project function called by name: what its return statements build.

        Its parameters are bound to the caller's queryset arguments, so a
        helper that narrows a queryset (`visible_to(user, qs)`) keeps it known.
        """
        if not scope.module:
            tree = scope.file.tree
            local = [n for n in (tree.body if tree else []) if isinstance(n, ast.FunctionDef)]
            same_file = next((n for n in local if n.name == name), None)
            if same_file is None:
                return None
            bound = self._bind(same_file, call, scope, depth)
            inner = Scope(scope.file, "", same_file, bound=bound)
            return self.returns(same_file, inner, depth + MAX_DEPTH)
        found = self._definition(scope, name)
        if found is None or not isinstance(found[1], ast.FunctionDef):
            return None
        info, node = found[0], found[1]
        bound = self._bind(node, call, scope, depth)
        return self.returns(node, Scope(info.file, info.name, node, bound=bound), depth + MAX_DEPTH)

    def returns(self, function: Function, scope: Scope, depth: int) -> Value:
        """What a function returns: the value of its return statements when they agree."""
        results = [
            self.value(node.value, scope, depth + 1)
            for node in ast.walk(function)
            if isinstance(node, ast.Return) and node.value is not None
        ]
        if len(results) == 1 or (results and all(r == results[0] for r in results)):
            return results[0]
        return None

    def _mro(self, scope: Scope) -> list[Scope]:
        """The class and its project ancestors, nearest first, as class scopes."""
        cls = scope.class_node
        assert cls is not None
        classes = self.schema.index.classes
        order = classes.linearize(f"{scope.module}.{cls.name}") if scope.module else []
        found = [classes.get(name) for name in order]
        scopes = [Scope(info.file, info.name, None, node) for info, node in filter(None, found)]
        return scopes or [Scope(scope.file, scope.module, None, cls)]

    def class_queryset(
        self, scope: Scope, depth: int, after: ast.ClassDef | None = None
    ) -> QuerySetState | None:
        """The queryset a class-based view, viewset or admin works on.

        The nearest `get_queryset()` override wins (`super().get_queryset()` in
        it continues up the classes), else the nearest `queryset` or `model`
        attribute.
        """
        leaf = scope.leaf or scope
        if leaf.class_node is None or depth > MAX_DEPTH * 3:
            return None
        mro = self._mro(leaf)
        start = next((i + 1 for i, s in enumerate(mro) if s.class_node is after), 0)
        for owner in mro[start:]:
            assert owner.class_node is not None
            for item in owner.class_node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "get_queryset":
                    inner = Scope(owner.file, owner.module, item, owner.class_node, leaf=leaf)
                    result = self.returns(item, inner, depth + 1)
                    return result if isinstance(result, QuerySetState) else None
        return self._attribute_queryset(mro, leaf, depth)

    def _attribute_queryset(
        self, mro: list[Scope], leaf: Scope, depth: int
    ) -> QuerySetState | None:
        # Django's get_queryset(): the nearest `queryset` wins over any `model`.
        for wanted in ("queryset", "model"):
            for owner in mro:
                assert owner.class_node is not None
                item = class_assignment(owner.class_node, wanted)
                if item is None:
                    continue
                inner = Scope(owner.file, owner.module, None, owner.class_node, leaf=leaf)
                value = self.value(item.value, inner, depth + 1)
                if wanted == "queryset":
                    return value if isinstance(value, QuerySetState) else None
                if isinstance(value, ModelRef):
                    return QuerySetState(
                        value.model, Origin(owner.file, None, "", owner.class_node, item)
                    )
                return None
        return None


_PAGINATOR = "django.core.paginator.Paginator"
