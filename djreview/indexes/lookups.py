"""Lookup sites: every place code filters or sorts a model's rows, resolved to columns.

A site is one query (a chained queryset expression, a view's `slug_field`, an
admin's `search_fields` entry...) on one model: its equality, range, text and
order-by fields. Relation spans (`author__email`) become a site on the
related model. Only what the index rules need is tracked: the model and the
lookups, not the queryset's full state.
"""

from __future__ import annotations

import ast
import copy
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath

from djreview.indexes.model_defs import ModelDef, Schema, dotted, literal_strings
from djreview.model import Location
from djreview.project import facts_context
from djreview.project.meta import meta_class
from djreview.project.types import Scope
from djreview.source.file import SourceFile
from djreview.source.project import Project

FILTER_METHODS = frozenset({"filter", "get", "get_or_create", "update_or_create", "first_or_404"})
ORDER_METHODS = frozenset({"order_by", "distinct"})
LATEST_METHODS = frozenset({"latest", "earliest"})
CHAIN_METHODS = FILTER_METHODS | ORDER_METHODS | LATEST_METHODS | {"exclude"}
# Calls a query chain may start at: a related manager's `.all()` reads in default order.
ROOT_METHODS = CHAIN_METHODS | {"all"}
EQUALITY = frozenset({"exact", "in", "isnull"})
RANGE = frozenset({"gt", "gte", "lt", "lte", "range", "year"})
TEXT = frozenset(
    {
        "contains",
        "icontains",
        "iexact",
        "startswith",
        "istartswith",
        "endswith",
        "iendswith",
        "regex",
        "iregex",
        "search",
    }
)
# Calls a queryset passes through on its way to a lookup without changing its model.
PASSTHROUGH = CHAIN_METHODS | {
    "get_queryset",
    "all",
    "select_related",
    "prefetch_related",
    "only",
    "defer",
    "annotate",
    "values",
    "values_list",
    "using",
    "none",
}
QUERY_HINT = re.compile(
    r"\.(?:filter|exclude|get|get_or_create|update_or_create|order_by|distinct|latest|earliest)\("
    r"|_or_404\(|_fields\b|slug_field|lookup_field|list_filter|ordering|FilterSet|\.all\(\)"
)
# Inner calls whose result is not a queryset any more (rows, dicts, numbers).
NOT_A_QUERYSET = frozenset(
    {
        "in_bulk",
        "get",
        "first",
        "last",
        "count",
        "exists",
        "aggregate",
        "iterator",
        "latest",
        "earliest",
        "get_or_create",
        "update_or_create",
        "create",
        "update",
        "delete",
    }
)
# Folders of code that runs from a shell, never on a request: an app's `management`
# package holds its commands and the helpers only they import.
OFFLINE_FOLDERS = frozenset(
    {"tests", "test", "testing", "migrations", "management", "commands", "factories"}
)
# Columns holding identifiers: an equality on one finds a handful of rows.
IDENTIFIER_FIELDS = frozenset({"CharField", "SlugField", "UUIDField", "EmailField", "URLField"})
# A numbered module (`0009_backfill_x.py`): a migration or a one-off job run once.
ONE_OFF = re.compile(r"\d{4}_\w+\.py$")
# search_fields prefixes (admin and DRF): ^ startswith, = iexact, @ full-text, $ regex.
SEARCH_PREFIX = {"^": "istartswith", "=": "iexact", "@": "search", "$": "iregex"}


@dataclass
class Site:
    """One query's lookups on one model."""

    model: str
    location: Location
    context: str
    source: str
    equal: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)
    text: list[tuple[str, str]] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    detail: bool = False
    # A relation span's site (`shelf__identifier`) points at the query it joins from.
    parent: Site | None = None
    via: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FileSites:
    """One file's lookup sites and the models it serves as lists (admin, list views)."""

    sites: tuple[Site, ...]
    listed: frozenset[str]


@dataclass
class _Query:
    """Raw lookups gathered from one expression before resolution to columns."""

    # (lookup path, group): group 0 is the query itself, each OR-ed Q() its own group.
    terms: list[tuple[str, int]] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    latest_default: bool = False
    groups: int = 0
    # `filter(**lookups)`: columns unknown, so the query's needs cannot be judged.
    opaque: bool = False
    # Read through a related manager (`job_result.log_entries.all()`): one parent's rows.
    related: bool = False
    # `filter(**params)` with `params` one of several dict literals (one per branch):
    # the lookups of each, one query apiece.
    alternatives: list[list[str]] = field(default_factory=list)

    def variants(self) -> list[_Query]:
        """The query once per alternative of its unpacked dict (itself when there is none)."""
        if not self.alternatives:
            return [self]
        out = []
        for paths in self.alternatives:
            variant = copy.copy(self)
            variant.terms = [*self.terms, *((path, 0) for path in paths)]
            variant.alternatives = []
            out.append(variant)
        return out


def file_context(rel: str, base: str = "") -> str:
    """Where a file sits: offline (tests, migrations, commands), admin, api, view or code.

    A module named like a migration (`0009_backfill_attachments.py`) is a
    one-off job wherever it lives (a project's own long-running migrations);
    `factory.py`, like `factories.py`, holds test-data factories.

    `base` (the folder holding the apps) is left out, so a project that itself
    lives under a `tests/` folder is not taken for test code.
    """
    if base and rel.startswith(f"{base}/"):
        rel = rel[len(base) + 1 :]
    parts = PurePosixPath(rel).parts
    name = parts[-1]
    lowered = {p.lower() for p in parts[:-1]}
    if lowered & OFFLINE_FOLDERS or (
        name.startswith(("test_", "tests", "conftest", "factories", "factory."))
        or ONE_OFF.match(name)
    ):
        return "offline"
    if name == "admin.py" or "admin" in lowered:
        return "admin"
    if lowered & {"api", "graphql", "rest"} or name in ("api.py", "serializers.py", "viewsets.py"):
        return "api"
    if name == "views.py" or "views" in lowered:
        return "view"
    return "code"


def class_context(bases: list[str], default: str) -> tuple[str, bool]:
    """(context, is a list endpoint) from a class's base names."""
    joined = " ".join(bases)
    if default == "offline":
        return default, False
    if "Admin" in joined:
        # A changelist is a staff page: like every admin site, it never makes a need alone.
        return "admin", False
    if "ViewSet" in joined or "APIView" in joined:
        return "api", "ViewSet" in joined or "List" in joined
    if any(b.endswith(("View", "Mixin")) for b in bases):
        return "view", "List" in joined
    return default, False


class Collector:
    """Walks the project once and yields every lookup site it can resolve."""

    def __init__(self, project: Project, schema: Schema) -> None:
        self.project = project
        self.schema = schema
        self.sites: list[Site] = []
        self.listed: set[str] = set()
        self.admin_models: dict[str, str] = {}
        self.hint_lines: frozenset[int] = frozenset()
        # Typing of roots the local rules miss (djreview.project.types): its scope now.
        self.module = ""
        self.function: ast.FunctionDef | ast.AsyncFunctionDef | None = None
        self.class_name: str | None = None
        self.typed_scopes: dict[int, Scope] = {}
        self.reverse_seen: set[tuple[str, int, str, str]] = set()
        self.call_sites: dict[
            tuple[str, str, bool],
            list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str | None, ast.Call]],
        ] = {}
        self.manager_models = _manager_models(schema)
        parents = [PurePosixPath(folder).parent.as_posix() for folder in schema.app_dirs.values()]
        self.app_parents = frozenset(parents)
        self.base = os.path.commonpath(parents) if parents else ""
        self.base = "" if self.base == "." else self.base

    def collect(self) -> list[Site]:
        """All sites of the project, in file order."""
        # A cheap text test first: most modules never query or register a model.
        files = [f for f in self.project.python_files if self._queries(f) and f.tree]
        context = self.context
        for file in files:
            if "register" in file.text:
                found = self.project.per_file(
                    "index-admin", file, context, self.registrations_for_file
                )
                self.admin_models.update(found)
        context = facts_context.digest(context, tuple(self.admin_models.items()))
        for file in files:
            facts = self.project.per_file("index-sites", file, context, self.facts_for_file)
            self.sites.extend(facts.sites)
            self.listed.update(facts.listed)
        for model in self.schema.models.values():
            if model.ordering and not model.abstract:
                node = model.ordering[0][1]
                self._add(
                    model,
                    model.file,
                    node,
                    "model",
                    "Meta.ordering",
                    _Query(order=[o for o, _ in model.ordering]),
                )
        return self.sites

    def _queries(self, file: SourceFile) -> bool:
        """The text test (kept per file by a session: it reads only the file)."""
        return self.project.per_file(
            "index-hint", file, "", lambda f: bool(QUERY_HINT.search(f.text))
        )

    @cached_property
    def context(self) -> str:
        """What one file's sites depend on besides the file: the schema and every module's names."""
        if self.project.memo is None:
            return ""  # a check run keeps nothing across runs
        return facts_context.digest(
            facts_context.model_context(self.project, self.schema.index),
            facts_context.shape(self.schema.models),
            facts_context.shape(self.schema.app_dirs),
            self.base,
        )

    # -- per-file facts (kept across a server session's runs) -------------

    def registrations_for_file(self, file: SourceFile) -> dict[str, str]:
        """Admin class name -> model key of the admin registrations in `file`."""
        saved, self.admin_models = self.admin_models, {}
        try:
            self._admin_registrations(file)
            return self.admin_models
        finally:
            self.admin_models = saved

    def facts_for_file(self, file: SourceFile) -> FileSites:
        """The lookup sites of one file and the models it lists (needs the admin registrations)."""
        saved = self.sites, self.listed
        self.sites, self.listed = [], set()
        try:
            self._file(file)
            return FileSites(tuple(self.sites), frozenset(self.listed))
        finally:
            self.sites, self.listed = saved

    # -- discovery --------------------------------------------------------

    def _admin_registrations(self, file: SourceFile) -> None:
        for call in file.nodes_of(ast.Call):
            if dotted(call.func).endswith("site.register") and len(call.args) >= 2:
                model = self.schema.of_expr(file, call.args[0])
                admin = dotted(call.args[1]).split(".")[-1]
                if model is not None and admin:
                    self.admin_models[admin] = model.key
        for node in file.nodes_of(ast.ClassDef):
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and dotted(decorator.func).endswith("register")
                    and decorator.args
                ):
                    model = self.schema.of_expr(file, decorator.args[0])
                    if model is not None:
                        self.admin_models[node.name] = model.key

    def _file(self, file: SourceFile) -> None:
        assert file.tree is not None
        context = file_context(file.rel, self.base)
        self.hint_lines = _hint_lines(file.text)
        module = self.schema.index.module_for(file)
        self.module = module.name if module is not None else ""
        folder = PurePosixPath(file.rel).parent.as_posix()
        if module is not None and "." not in module.name and folder in self.app_parents:
            # A top-level module beside the app packages (manage.py's neighbours:
            # scripts, fabfiles, harnesses) runs from a shell, not on a request.
            context = "offline"
        self.function, self.class_name = None, None
        self._scope(file, file.tree, context, None, False)

    def _scope(
        self,
        file: SourceFile,
        scope: ast.AST,
        context: str,
        cls_model: ModelDef | None,
        listing: bool,
    ) -> None:
        """Visit a module, class or function body; nested classes and functions recurse."""
        names: dict[str, ast.expr] = {}
        history: dict[str, list[tuple[ast.expr, Arm]]] = {}
        arms = _arms(scope)
        seen: set[int] = set()
        for node in _walk_shallow(scope, self.hint_lines):
            if isinstance(node, ast.ClassDef):
                self._class(file, node, context)
                continue
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                outer, self.function = self.function, node
                self._scope(file, node, _function_context(node, context), cls_model, listing)
                self.function = outer
                continue
            if isinstance(node, ast.Assign):
                _assign(names, node, history, arms)
            if isinstance(node, ast.Call) and id(node) not in seen:
                self._call(file, node, context, cls_model, names, seen)

    def _class(self, file: SourceFile, node: ast.ClassDef, default: str) -> None:
        bases = [dotted(b).split(".")[-1] for b in node.bases]
        context, listing = class_context(bases, default)
        attrs = _assignments(node)
        model = None
        outer = self.class_name
        self.class_name = f"{self.module}.{node.name}" if self.module else None
        if self.class_name in self.manager_models:
            # A custom manager or QuerySet: `self` and `super().get_queryset()` are its model's.
            model = self.schema.models.get(self.manager_models[self.class_name])
        elif node.name in self.admin_models:
            model = self.schema.models.get(self.admin_models[node.name])
            context, listing = ("admin" if default != "offline" else default), False
        elif "model" in attrs:
            model = self.schema.of_expr(file, attrs["model"])
        elif "queryset" in attrs:
            model = self._resolve_root(attrs["queryset"], file, None, {})
        if model is None and any(b.endswith("FilterSet") for b in bases):
            self._filterset(file, node, context, attrs)
        if model is not None and listing:
            self.listed.add(model.key)
        if model is not None:
            self._class_lookups(file, model, attrs, context)
        outer_function, self.function = self.function, None
        self._scope(file, node, context, model, listing)
        self.function, self.class_name = outer_function, outer

    def _class_lookups(
        self, file: SourceFile, model: ModelDef, attrs: dict[str, ast.expr], context: str
    ) -> None:
        for attr, value in attrs.items():
            names = literal_strings(value)
            if attr in ("slug_field", "lookup_field") and names:
                self._add(
                    model,
                    file,
                    value,
                    context,
                    attr,
                    _Query(terms=[(names[0], False)]),
                    detail=True,
                )
            elif attr in ("filterset_fields", "filter_fields", "list_filter"):
                for name in names:
                    self._add(model, file, value, context, attr, _Query(terms=[(name, False)]))
            elif attr == "search_fields":
                for name in names:
                    prefix = SEARCH_PREFIX.get(name[:1])
                    path = f"{name[1:]}__{prefix}" if prefix else f"{name}__icontains"
                    self._add(model, file, value, context, attr, _Query(terms=[(path, True)]))
            elif attr in ("ordering", "ordering_fields") and names and names != ["__all__"]:
                for name in names if attr == "ordering_fields" else names[:1]:
                    self._add(model, file, value, context, attr, _Query(order=[name]))

    def _filterset(
        self, file: SourceFile, node: ast.ClassDef, context: str, attrs: dict[str, ast.expr]
    ) -> None:
        """A django-filter FilterSet: a site per filter it offers on `Meta.model`.

        `Meta.fields` as a list (exact lookups) or a dict of lookups per field,
        and declared filters with `field_name=` (`name=` before django-filter 2)
        and `lookup_expr=`. Each filter is a client's option, not a query anyone
        is known to run: weak evidence, as `filterset_fields` is.
        """
        meta = meta_class(node)
        options = _assignments(meta) if meta is not None else {}
        model = self.schema.of_expr(file, options["model"]) if "model" in options else None
        if model is None:
            return
        terms: list[tuple[ast.AST, str]] = []
        fields = options.get("fields")
        if isinstance(fields, ast.Dict):
            for key, lookups in zip(fields.keys, fields.values, strict=True):
                names = literal_strings(key) if key is not None else []
                # One filter of each kind per field: `gt`, `lt`, `gte` are one range.
                kinds: dict[int, str] = {}
                for lookup in literal_strings(lookups) if names else []:
                    kind = 0 if lookup in EQUALITY else 1 if lookup in RANGE else 2
                    kinds.setdefault(kind, lookup)
                terms += [(key or fields, f"{names[0]}__{lookup}") for lookup in kinds.values()]
        elif fields is not None:
            terms += [(fields, name) for name in literal_strings(fields) if name != "__all__"]
        for value in attrs.values():
            if isinstance(value, ast.Call) and dotted(value.func).endswith("Filter"):
                keywords = {k.arg: k.value for k in value.keywords if k.arg}
                field = keywords.get("field_name", keywords.get("name"))
                names = literal_strings(field) if field is not None else []
                expr = literal_strings(keywords.get("lookup_expr", ast.Constant("exact")))
                if names and expr:
                    terms.append((value, f"{names[0]}__{expr[0]}"))
        for where, path in terms:
            self._add(model, file, where, context, "filterset", _Query(terms=[(path, 0)]))

    # -- queryset expressions ---------------------------------------------

    def _call(
        self,
        file: SourceFile,
        node: ast.Call,
        context: str,
        cls_model: ModelDef | None,
        names: dict[str, ast.expr],
        seen: set[int],
    ) -> None:
        func_name = dotted(node.func).split(".")[-1]
        if func_name in ("get_object_or_404", "get_list_or_404") and node.args:
            model = self.schema.of_expr(file, node.args[0]) or self._resolve_root(
                node.args[0], file, cls_model, names
            )
            if model is not None:
                query = _Query()
                _filter_args(node, names, query)
                for variant in query.variants():
                    self._add(
                        model,
                        file,
                        node,
                        context,
                        func_name,
                        variant,
                        detail=func_name == "get_object_or_404",
                    )
            return
        if not (isinstance(node.func, ast.Attribute) and node.func.attr in ROOT_METHODS):
            return
        query = _Query()
        current: ast.AST = node
        detail = False
        hops = 0
        while True:
            while isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute):
                seen.add(id(current))
                method = current.func.attr
                if current is not node and method in NOT_A_QUERYSET:
                    return  # `qs.in_bulk(...).get(key)` is a dict's get, not a lookup
                if method in FILTER_METHODS:
                    _filter_args(current, names, query)
                    detail = detail or method == "get"
                elif method in ORDER_METHODS:
                    query.order = query.order or _order_args(current)
                elif method in LATEST_METHODS:
                    fields = [s for a in current.args for s in literal_strings(a)]
                    query.order = query.order or fields
                    query.latest_default = not fields
                current = current.func.value
            # `qs = Post.objects.filter(...)` then `qs.order_by(...)`: one query.
            if not (isinstance(current, ast.Name) and current.id in names and hops < 3):
                break
            current, hops = names[current.id], hops + 1
        model = self._resolve_root(current, file, cls_model, names)
        if model is None:
            model = self._typed_root(current, query)
        if model is None and isinstance(current, ast.Name) and current.id not in names:
            model = self._parameter_root(current.id, file, query)
        if model is None:
            return
        if not query.order and query.related and not detail:
            # One parent's rows through its related manager, listed in the model's
            # default order: the key then the ordering column (a job's log lines by time).
            query.order = list(model.default_order)
        if query.latest_default:
            query.order = [name for name, _ in model.latest_by]
        for variant in query.variants():
            self._add(model, file, node, context, "queryset", variant, detail=detail)

    def _resolve_root(
        self,
        node: ast.AST,
        file: SourceFile,
        cls_model: ModelDef | None,
        names: dict[str, ast.expr],
        depth: int = 0,
    ) -> ModelDef | None:
        """The model a queryset expression's root refers to, when statically clear."""
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr not in PASSTHROUGH:
                return None
            if node.func.attr == "get_queryset" and dotted(node.func.value) == "self":
                return cls_model
            node = node.func.value
        if isinstance(node, ast.Call):
            if dotted(node.func) == "super":
                return cls_model
            passed = self._passed_through(node) if depth < 3 else None
            if passed is None:
                return None
            return self._resolve_root(passed, file, cls_model, names, depth + 1)
        if isinstance(node, ast.Attribute):
            owner = node.value
            if dotted(owner) in ("self.model", "cls", "self.queryset.model"):
                return cls_model
            if isinstance(owner, ast.Name) and owner.id == "self":
                return cls_model if node.attr in ("queryset", "get_queryset") else None
            if isinstance(owner, ast.Name | ast.Attribute):
                # `Post.objects`, `models.Post.objects`, `m.Post.published`.
                model = self.schema.of_expr(file, owner)
                if model is not None and node.attr[:1].islower() and model.field(node.attr) is None:
                    return model
            return None
        if isinstance(node, ast.Name) and node.id in names and depth < 3:
            return self._resolve_root(names[node.id], file, cls_model, names, depth + 1)
        if (
            isinstance(node, ast.Name)
            and node.id == "self"
            and self.class_name in self.manager_models
        ):
            return cls_model
        return None

    def _passed_through(self, call: ast.Call) -> ast.expr | None:
        """The argument a project function returns as it came, filtered or not.

        `exclude_invisible(user, category, queryset)` whose every `return` is
        its `queryset` parameter or a chain on it (`queryset.filter(...)`,
        through local reassignments) hands the caller's queryset back: the
        root of the call is the root of that argument.
        """
        callee = dotted(call.func)
        if self.project.memo is not None:
            return None  # a server session keeps per-file sites: they may not read other files
        qualified = self.schema.index.resolve_name(self.module, callee) if callee else None
        module, _, name = (qualified or "").rpartition(".")
        info = self.schema.index.modules.get(module)
        function = info.defs.get(name) if info is not None else None
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return None
        parameter = _returned_parameter(function)
        return _argument(call, function, parameter, 0) if parameter is not None else None

    def _parameter_root(self, name: str, file: SourceFile, query: _Query) -> ModelDef | None:
        """The model of an untyped parameter every caller in the module passes a queryset of.

        A method's callers are `self.<method>(...)` calls (a base class's
        `get()` calling the `get_target(thread, posts)` each subclass
        defines); a function's are calls by its name. Each caller's argument
        is resolved in the caller's scope (locals, related managers); all
        must agree on the model. The caller's own filters on the argument
        join the query only when every caller adds the same ones.
        """
        function = self.function
        if function is None or self.project.memo is not None:
            return None  # a server session keeps per-file sites: they may not read other scopes
        params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        method = bool(self.class_name) and params[:1] == ["self"]
        if name not in params or (method and name == "self"):
            return None
        key = (file.rel, function.name, method)
        calls = self.call_sites.get(key)
        if calls is None:
            calls = self.call_sites[key] = list(_calls_of(file, function.name, method))
        found: set[str] = set()
        extra: list[tuple[list[tuple[str, int]], bool]] = []
        for caller, caller_class, call in calls:
            arg = _argument(call, function, name, 1 if method else 0)
            if arg is None:
                return None
            probe = _Query()
            scope = f"{self.module}.{caller_class}" if caller_class and self.module else None
            model = self._caller_root(arg, file, caller, scope, probe)
            if model is None:
                return None
            found.add(model.key)
            extra.append((probe.terms, probe.related))
        if len(found) != 1:
            return None
        if all(terms == extra[0] for terms in extra):
            query.terms[:0] = extra[0][0]
            query.related = query.related or extra[0][1]
        return self.schema.models.get(found.pop())

    def _caller_root(
        self,
        arg: ast.expr,
        file: SourceFile,
        caller: ast.FunctionDef | ast.AsyncFunctionDef,
        caller_class: str | None,
        query: _Query,
    ) -> ModelDef | None:
        """The model of `arg` in its caller's scope, with the chain's own filters in `query`."""
        names = _local_names(caller)
        current: ast.AST = arg
        for _ in range(4):
            while isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute):
                if current.func.attr in NOT_A_QUERYSET or current.func.attr not in PASSTHROUGH:
                    break
                if current.func.attr in FILTER_METHODS:
                    _filter_args(current, names, query)
                current = current.func.value
            if isinstance(current, ast.Call):
                passed = self._passed_through(current)
                if passed is not None:
                    current = passed
                    continue
            if not (isinstance(current, ast.Name) and current.id in names):
                break
            current = names[current.id]
        saved = self.function, self.class_name
        self.function, self.class_name = caller, caller_class
        try:
            model = self._resolve_root(current, file, None, names)
            return model if model is not None else self._typed_root(current, query)
        finally:
            self.function, self.class_name = saved

    def _typed_root(self, node: ast.AST, query: _Query) -> ModelDef | None:
        """The model of a root the shared expression typing knows (djreview.project.types).

        It sees imports inside functions, parameters with annotations, related
        managers (`thread.post_set`), custom QuerySet methods and names
        assigned more than once. A related manager filters on its ForeignKey.
        """
        if not isinstance(node, ast.expr) or not self.module:
            return None
        key = id(self.function)
        scope = self.typed_scopes.get(key)
        if scope is None or scope.function is not self.function:
            scope = Scope(self.module, self.function, self.class_name)
            self.typed_scopes = {key: scope}
        typed = self.schema.index.types.type_of(node, scope)
        if typed is None:
            return self._accessor_root(node, query)
        if typed.kind not in ("class", "manager", "queryset", "related_manager"):
            return None
        model = self.schema.models.get(typed.model.label)
        relation = typed.relation
        if model is not None and typed.kind == "related_manager" and relation is not None:
            if relation.via_m2m or relation.generic:
                return None
            query.terms.insert(0, (relation.field, 0))
            query.related = True
        return model

    def _accessor_root(self, node: ast.expr, query: _Query) -> ModelDef | None:
        """The model behind `owner.<reverse accessor>` when the owner's type is unknown.

        `self.user.post_set` (a middleware's `self.user`), `thread.post_set` (a
        parameter): the accessor names the relation when exactly one ForeignKey
        of the project adds it, or when the owner's name is that of the key or
        of its target model (`user` for the key `poster` to the user model).
        """
        if not isinstance(node, ast.Attribute):
            return None
        owner = dotted(node.value).split(".")[-1].lower()
        candidates = self.accessors.get(node.attr, [])
        if len(candidates) > 1:
            candidates = [
                (label, name, target)
                for label, name, target in candidates
                if owner in (name.lower(), target.rsplit(".", 1)[-1].lower())
            ]
        if len(candidates) != 1:
            return None
        label, name, _ = candidates[0]
        model = self.schema.models.get(label)
        if model is not None:
            query.terms.insert(0, (name, 0))
            query.related = True
        return model

    @cached_property
    def accessors(self) -> dict[str, list[tuple[str, str, str]]]:
        """Reverse accessor -> (model, ForeignKey, target) of each ForeignKey adding it."""
        found: dict[str, list[tuple[str, str, str]]] = {}
        for target in self.schema.index.models.values():
            for accessor, reverse in target.reverse.items():
                if reverse.via_m2m or reverse.generic or not reverse.multiple:
                    continue
                found.setdefault(accessor, []).append((reverse.model, reverse.field, target.label))
        return found

    # -- resolution to columns --------------------------------------------

    def _add(
        self,
        model: ModelDef,
        file: SourceFile,
        node: ast.AST,
        context: str,
        source: str,
        query: _Query,
        detail: bool = False,
    ) -> None:
        location = file.node_location(node)
        for path, group in query.terms:
            joined = self._reverse_span(model, path) if not group else None
            if joined is not None:
                # `Push.objects.filter(commits__revision=r)`: the join starts from the
                # related rows the lookup finds by their own column, whatever else
                # the query filters (even through `**kwargs`).
                self._add_reverse(*joined, location, context, source)
        if query.opaque:
            return
        main = Site(model.key, location, context, source, detail=detail)
        others: dict[tuple[int, str], Site] = {}
        unknown = False
        for path, group in query.terms:
            resolved = self._resolve_path(model, path)
            if resolved is None:
                # A reverse join or an annotation may narrow the rows as well as
                # any index: the query's own needs cannot be judged. A status or
                # flag of the joined rows cannot: the query's own columns find
                # the rows, the join only checks them.
                unknown = unknown or not (group or self._coarse_reverse(model, path))
                continue
            target, name, lookup, via = resolved
            if via and not group:
                main.equal.append(via)
                main.via.append(via)
            site = main
            if target is not model or group:
                site = others.setdefault(
                    (group, target.key),
                    Site(
                        target.key,
                        location,
                        context,
                        source,
                        detail=detail,
                        parent=None if group else main,
                    ),
                )
            if lookup in EQUALITY:
                site.equal.append(name)
            elif lookup in RANGE:
                site.ranges.append(name)
            elif lookup in TEXT:
                site.text.append((name, lookup))
        for entry in query.order:
            name = entry.lstrip("-+")
            if name.endswith(("__id", "__pk")):
                name = name.rsplit("__", 1)[0]
            if "__" in name or name in ("?", ""):
                break
            found = model.field(name)
            if found is not None:
                main.order.append(found.name)
            else:
                break
        # An OR-ed Q() runs ANDed with the query's own filters: `filter(token=t)
        # .filter(Q(expired_at=None) | Q(expired_at__gt=now))` is served by `token`.
        for (group, key), site in others.items():
            if group and key == model.key:
                site.equal[:0] = [n for n in main.equal if n not in main.via]
                site.ranges[:0] = main.ranges
        self.sites.extend(others.values())
        if not unknown and (main.equal or main.ranges or main.text or main.order):
            self.sites.append(main)

    def _reverse_span(self, model: ModelDef, path: str) -> tuple[ModelDef, str] | None:
        """(related model, field) of `<reverse query name>__field[__exact|__in]`.

        Only a ForeignKey's reverse side, one hop, an identifier the related rows
        are found by (`commits__revision=r`: a hash, a slug, a UUID), where the
        join starts; a status or flag there narrows only what the key joins.
        """
        name, _, rest = path.partition("__")
        info = self.schema.index.models.get(model.key)
        if info is None or not rest:
            return None
        reverse = next(
            (
                r
                for r in info.reverse.values()
                if r.query_name == name and r.multiple and not (r.via_m2m or r.generic)
            ),
            None,
        )
        related = self.schema.models.get(reverse.model) if reverse is not None else None
        if related is None:
            return None
        resolved = self._resolve_path(related, rest)
        if resolved is None or resolved[0] is not related or resolved[3]:
            return None
        found = related.field(resolved[1])
        if found is None or found.has_choices or resolved[2] not in ("exact", "in"):
            return None
        if (found.base_type or found.kind) not in IDENTIFIER_FIELDS:
            return None  # a status, a flag or a range: the join is driven from the key
        return related, resolved[1]

    def _coarse_reverse(self, model: ModelDef, path: str) -> bool:
        """Whether `path` checks the rows of a ForeignKey's reverse side by a column of few
        values (`job_log__status__in=[1, 3]`: a status, a flag, a choice).

        Such a term keeps the query judged: the join is driven from the
        query's own columns (as `_reverse_span` says of a status there), unlike
        an identifier or a key of the related rows (`copies__tag=t`,
        `comments__author=u`), where it may start from the related rows.
        """
        name, _, rest = path.partition("__")
        info = self.schema.index.models.get(model.key)
        if info is None or not rest:
            return False
        reverse = next(
            (r for r in info.reverse.values() if r.query_name == name and not r.generic),
            None,
        )
        related = self.schema.models.get(reverse.model) if reverse is not None else None
        if related is None or reverse is None or reverse.via_m2m:
            return False
        resolved = self._resolve_path(related, rest)
        if resolved is None or resolved[0] is not related or resolved[3]:
            return False
        found = related.field(resolved[1])
        return found is not None and not found.relation and found.low_cardinality

    def _add_reverse(
        self, model: ModelDef, name: str, location: Location, context: str, source: str
    ) -> None:
        """The equality site a reverse span makes on the related model.

        Once per function: a chain reassigned from itself (`qs = qs.filter(...)`)
        carries the span into every later query of the chain.
        """
        key = (location.path, id(self.function), model.key, name)
        if key in self.reverse_seen:
            return
        self.reverse_seen.add(key)
        self.sites.append(Site(model.key, location, context, source, equal=[name]))

    def _resolve_path(self, model: ModelDef, path: str) -> tuple[ModelDef, str, str, str] | None:
        """(model, field, lookup, first relation) for `a__b__lookup`, following forward relations.

        The first relation is the queried model's ForeignKey the join goes
        through ('' when the lookup stays on the model).
        """
        parts = path.split("__")
        current = model
        via = ""
        for index, part in enumerate(parts):
            found = current.field(part)
            if found is None:
                return None
            rest = parts[index + 1 :]
            if found.relation and rest and rest[0] not in EQUALITY | RANGE | TEXT | {"id", "pk"}:
                target = self.schema.target(found)
                if target is None:
                    return None
                current = target
                via = via or found.name
                continue
            if part.endswith("_id") or (rest and rest[0] in ("id", "pk")):
                rest = rest[1:] if rest and rest[0] in ("id", "pk") else rest
            lookup = rest[0] if rest else "exact"
            if len(rest) > 1 or lookup not in EQUALITY | RANGE | TEXT:
                return None
            return current, found.name, lookup, via
        return None


_LEAVES = (
    ast.Name,
    ast.Constant,
    ast.expr_context,
    ast.operator,
    ast.cmpop,
    ast.unaryop,
    ast.boolop,
)
_SCOPES = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


_COMPOUND = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.Match,
)


def _returned_parameter(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The parameter every `return` of `function` hands back (as is or filtered), if one."""
    params = {a.arg for a in (*function.args.posonlyargs, *function.args.args)}
    names = _local_names(function)
    roots: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Return):
            if node.value is None:
                return None
            current: ast.expr = node.value
            for _ in range(4):
                while isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute):
                    if current.func.attr not in PASSTHROUGH:
                        return None
                    current = current.func.value
                if not isinstance(current, ast.Name):
                    return None
                value = names.get(current.id)
                if value is None or _root_name(value) == current.id:
                    break  # the parameter itself, or reassigned from itself
                current = value
            if not isinstance(current, ast.Name):
                return None
            roots.add(current.id)
    return roots.pop() if len(roots) == 1 and roots <= params else None


def _root_name(expr: ast.expr) -> str:
    """The name a call/attribute chain starts at (`qs` of `qs.filter(...).all()`), or ''."""
    while isinstance(expr, ast.Call | ast.Attribute):
        expr = expr.func if isinstance(expr, ast.Call) else expr.value
    return expr.id if isinstance(expr, ast.Name) else ""


def _argument(
    call: ast.Call, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str, skip: int
) -> ast.expr | None:
    """The expression `call` passes for parameter `name` (`skip`: the bound `self`)."""
    params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)][skip:]
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    index = params.index(name) if name in params else -1
    if 0 <= index < len(call.args) and not any(
        isinstance(a, ast.Starred) for a in call.args[: index + 1]
    ):
        return call.args[index]
    return None


Arm = tuple[tuple[int, int], ...]


def _arms(scope: ast.AST) -> dict[int, Arm]:
    """For each statement of a scope inside an `if`, the (if, branch) pairs around it."""
    out: dict[int, Arm] = {}

    def visit(body: list[ast.stmt], arm: Arm) -> None:
        for stmt in body:
            if arm:
                out[id(stmt)] = arm
            if isinstance(stmt, _SCOPES):
                continue
            if isinstance(stmt, ast.If):
                visit(stmt.body, (*arm, (id(stmt), 0)))
                visit(stmt.orelse, (*arm, (id(stmt), 1)))
                continue
            for name in ("body", "orelse", "finalbody"):
                visit(getattr(stmt, name, []), arm)
            for handler in getattr(stmt, "handlers", []):
                visit(handler.body, arm)

    visit(list(getattr(scope, "body", [])), ())
    return out


def _exclusive(first: Arm, second: Arm) -> bool:
    """Whether two statements sit in different branches of one `if` (never both run)."""
    branches = dict(first)
    return any(branches.get(node, arm) != arm for node, arm in second)


def _assign(
    names: dict[str, ast.expr],
    node: ast.Assign,
    history: dict[str, list[tuple[ast.expr, Arm]]] | None = None,
    arms: dict[int, Arm] | None = None,
) -> None:
    """Record `name = value` in a scope's locals (the last assignment wins)."""
    if not (len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
        return
    target = node.targets[0].id
    # `qs = qs.filter(...)`: the new value continues the old query (the last one
    # assigned outside another branch of the same `if`: `if a: qs = qs.filter(x)
    # elif b: qs = qs.filter(y)` are two queries, not one).
    arm = arms.get(id(node), ()) if arms is not None else ()
    last = names.get(target)
    previous = last
    if history is not None:
        seen = history.setdefault(target, [])
        previous = next((v for v, a in reversed(seen) if not _exclusive(a, arm)), None)
    if last is not None and _lookup_dicts(last) and _lookup_dicts(node.value):
        # `params = {...}` on each branch, then `filter(**params)`: either one.
        names[target] = ast.IfExp(ast.Constant(True), last, node.value)
    elif previous is not None:
        names[target] = _rebase(node.value, target, previous)
    else:
        names[target] = node.value
    if history is not None:
        history[target].append((names[target], arm))


def _local_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, ast.expr]:
    """A function's locals by their last assignment (as `Collector._scope` reads them: in
    source order, nested functions and classes not entered)."""
    names: dict[str, ast.expr] = {}
    for node in _walk_shallow(function, frozenset()):
        if isinstance(node, ast.Assign):
            _assign(names, node)
    return names


def _calls_of(
    file: SourceFile, name: str, method: bool
) -> Iterator[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str | None, ast.Call]]:
    """(caller, its class's qualified-ish name, call) for each call of `name` in `file`:
    `self.name(...)` for a method, `name(...)` for a function."""
    assert file.tree is not None
    for cls in [None, *file.nodes_of(ast.ClassDef)]:
        body = file.tree.body if cls is None else cls.body
        for caller in body:
            if not isinstance(caller, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(caller):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                if method and not (
                    isinstance(func, ast.Attribute)
                    and func.attr == name
                    and dotted(func.value) == "self"
                ):
                    continue
                if not method and not (isinstance(func, ast.Name) and func.id == name):
                    continue
                yield caller, cls.name if cls is not None else None, node


def _hint_lines(text: str) -> frozenset[int]:
    """Line numbers where a lookup may start (the QUERY_HINT text test, per line)."""
    lines: set[int] = set()
    line, position = 1, 0
    for match in QUERY_HINT.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        lines.add(line)
    return frozenset(lines)


def _touches(node: ast.stmt, lines: frozenset[int]) -> bool:
    end = node.end_lineno or node.lineno
    return any(line in lines for line in range(node.lineno, end + 1))


def _manager_models(schema: Schema) -> dict[str, str]:
    """Qualified name of each custom manager or QuerySet class -> the one model using it."""
    found: dict[str, set[str]] = {}
    for model in schema.index.models.values():
        if model.builtin or model.label not in schema.models:
            continue
        for manager in model.managers.values():
            for name in (manager.manager_class, manager.queryset_class):
                if name and not name.startswith("django."):
                    found.setdefault(name, set()).add(model.label)
    return {name: labels.pop() for name, labels in found.items() if len(labels) == 1}


def _assignments(node: ast.ClassDef) -> dict[str, ast.expr]:
    """`name = value` statements of a class body, by name."""
    return {
        s.targets[0].id: s.value
        for s in node.body
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
    }


def _rebase(value: ast.expr, name: str, previous: ast.expr) -> ast.expr:
    """`name.filter(...)...` with its root `name` replaced by `previous` (copies, not edits)."""
    chain: list[ast.expr] = []
    node: ast.expr = value
    while isinstance(node, ast.Call | ast.Attribute):
        chain.append(node)
        node = node.func if isinstance(node, ast.Call) else node.value
    if not (isinstance(node, ast.Name) and node.id == name) or not chain:
        return value
    copies = [copy.copy(link) for link in chain]
    for link, inner in zip(copies, [*copies[1:], previous], strict=True):
        if isinstance(link, ast.Call):
            link.func = inner
        else:
            assert isinstance(link, ast.Attribute)
            link.value = inner
    return copies[0]


def _walk_shallow(scope: ast.AST, lines: frozenset[int]) -> Iterator[ast.AST]:
    """Nodes of a scope, parents first; nested classes and functions are yielded, not entered.

    A simple statement is yielded but not entered when none of its lines has
    a lookup hint: that skips most expressions of a large module cheaply.
    """
    stack: list[ast.AST] = list(ast.iter_child_nodes(scope))
    stack.reverse()
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _LEAVES + _SCOPES) or (
            isinstance(node, ast.stmt)
            and not isinstance(node, _COMPOUND)
            and not _touches(node, lines)
        ):
            continue
        # Children are pushed last-first so siblings come out in source order:
        # an assignment is seen before the statements that use its name.
        for name in reversed(node._fields):
            value = getattr(node, name, None)
            if isinstance(value, list):
                stack.extend(
                    item
                    for item in reversed(value)
                    if isinstance(item, ast.AST) and not isinstance(item, _LEAVES)
                )
            elif isinstance(value, ast.AST) and not isinstance(value, _LEAVES):
                stack.append(value)


def _function_context(node: ast.FunctionDef | ast.AsyncFunctionDef, context: str) -> str:
    """A function taking `request` first is a view, wherever it lives."""
    params = [a.arg for a in node.args.args]
    if (
        context == "code"
        and params[:1] == ["request"]
        or params[:2] == ["self", "request"]
        and context == "code"
    ):
        return "view"
    return context


def _order_args(call: ast.Call) -> list[str]:
    out: list[str] = []
    for arg in call.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            out.append(arg.value)
        elif (
            isinstance(arg, ast.Call)
            and isinstance(arg.func, ast.Attribute)
            and arg.func.attr in ("asc", "desc")
        ):
            inner = arg.func.value
            if isinstance(inner, ast.Call) and dotted(inner.func).endswith("F") and inner.args:
                out += [
                    ("-" if arg.func.attr == "desc" else "") + s
                    for s in literal_strings(inner.args[0])
                ]
            else:
                break
        else:
            break
    return out


def _filter_args(call: ast.Call, names: dict[str, ast.expr], query: _Query) -> None:
    for kw in call.keywords:
        if kw.arg is None:
            value = names.get(kw.value.id) if isinstance(kw.value, ast.Name) else kw.value
            _unpacked(_lookup_dicts(value), query)
        elif kw.arg not in ("defaults", "create_defaults") and not _bound_by_a_column(kw):
            query.terms.append((kw.arg, 0))
    for arg in call.args:
        _q_terms(arg, names, query, False, 0)


def _lookup_dicts(node: ast.expr | None) -> list[dict[str, ast.expr]] | None:
    """The lookups of `filter(**params)` when `params` is a dict literal with string keys
    (or one of several, `params = {...}` on each branch: an `IfExp` of them), else None."""
    if isinstance(node, ast.IfExp):
        left, right = _lookup_dicts(node.body), _lookup_dicts(node.orelse)
        return left + right if left is not None and right is not None else None
    if not isinstance(node, ast.Dict):
        return None
    found: dict[str, ast.expr] = {}
    for key, value in zip(node.keys, node.values, strict=True):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None
        found[key.value] = value
    return [found]


def _unpacked(dicts: list[dict[str, ast.expr]] | None, query: _Query) -> None:
    """The terms of `filter(**params)`: one dict's are the query's; several (one per branch)
    make the query once per dict (`_Query.variants`)."""
    if dicts is None or (len(dicts) > 1 and query.alternatives):
        query.opaque = True
        return
    paths = [
        [
            path
            for path, value in lookups.items()
            if not _bound_by_a_column(ast.keyword(path, value))
        ]
        for lookups in dicts
    ]
    if len(paths) == 1:
        query.terms += [(path, 0) for path in paths[0]]
    else:
        query.alternatives = paths


def _bound_by_a_column(kw: ast.keyword) -> bool:
    """`read_time__gte=F("thread__last_posted_at")`: a range bounded by another column.

    The bound changes from row to row, so no index range scan can use it; the
    column must not be proposed as an index's range column.
    """
    value = kw.value
    return (
        kw.arg is not None
        and kw.arg.rsplit("__", 1)[-1] in RANGE
        and isinstance(value, ast.Call)
        and dotted(value.func).split(".")[-1] == "F"
    )


def _q_terms(
    node: ast.AST, names: dict[str, ast.expr], query: _Query, ored: bool, depth: int
) -> None:
    """Lookups of a Q expression: `Q(a=1) & Q(b=2)` combine, `|` and `~` do not."""
    if depth > 4:
        return
    if isinstance(node, ast.Name) and node.id in names:
        _q_terms(names[node.id], names, query, ored, depth + 1)
    elif isinstance(node, ast.BinOp):
        split = ored or isinstance(node.op, ast.BitOr)
        _q_terms(node.left, names, query, split, depth + 1)
        _q_terms(node.right, names, query, split, depth + 1)
    elif isinstance(node, ast.Call) and dotted(node.func).split(".")[-1] == "Q":
        # The keywords of one Q are AND-ed: an OR-ed Q is one query of its own.
        if ored:
            query.groups += 1
        group = query.groups if ored else 0
        for kw in node.keywords:
            if kw.arg is not None and not _bound_by_a_column(kw):
                query.terms.append((kw.arg, group))
        for arg in node.args:
            _q_terms(arg, names, query, ored, depth + 1)
