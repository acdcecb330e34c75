"""Following request data through one function body.

The walk is forward and flow-sensitive on straight-line code: an assignment
replaces a name's taint, branches are analysed separately and merged, loop
bodies twice. Calls the project defines are looked up through a `Resolver`
(the project-wide index), which answers with the callee's summary.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass, field
from typing import Protocol

from djreview.model import FlowStep
from djreview.project.literals import literal_str
from djreview.source.file import SourceFile
from djreview.taint import keyed
from djreview.taint.hosts import host_of, parsed_url
from djreview.taint.literal_keys import (
    catches_lookup,
    equals_literal,
    literal_strings,
    literal_table,
)
from djreview.taint.names import module_names
from djreview.taint.path_guards import (
    PathGuard,
    containment,
    normalising,
    path_guard,
    safe_join_call,
)
from djreview.taint.sinks import Sink, path_method_sink, sinks_of
from djreview.taint.sources import (
    GUARDS,
    METHOD_PROPAGATORS,
    NON_PROPAGATING_METHODS,
    PROPAGATORS,
    SANITISERS,
    VALIDATED_ATTRS,
    call_name,
    dotted,
    is_request_object,
    request_source,
)
from djreview.taint.url_guards import resolved_name, tests_resolve
from djreview.taint.values import (
    ALL_KINDS,
    LEADS_ON_SITE,
    ONE_MARKS,
    ONE_SOURCE,
    ONE_URL_SOURCE,
    UPLOADED,
    Taint,
    combine,
)

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_MASS = frozenset({"mass"})
_PATH = frozenset({"path"})
_LEADS = frozenset({LEADS_ON_SITE})
# Calls whose result is a path made of their arguments (joined, normalised, made absolute).
_PATH_BUILDERS = frozenset(
    {"join", "Path", "PurePath", "abspath", "realpath", "normpath", "str", "path", "safe_join"}
)
_URL_KINDS = frozenset({"ssrf", "redirect"})
_FORM_SUFFIXES = ("Form", "FormSet", "Serializer")
_BOUND_DATA = frozenset({"data", "initial_data", "files"})
# The HTML body of the response to the request itself. A cross-site page cannot make a
# victim's browser send a Host header of its choosing (the browser sends the real host),
# so the Host header reflected there reaches only its own sender. E-mails and redirects
# built from it stay reported: the attacker's own request sends them to others
# (password-reset poisoning).
_RESPONSE_HTML = frozenset({"html"})
# QuerySet methods whose arguments only choose rows (or their order): the rows
# come from the receiver, whatever the lookup values were.
_ROW_CHOOSERS = frozenset(
    {"filter", "exclude", "order_by", "distinct", "select_related", "prefetch_related"}
)
_HOST_KEYS = frozenset({"host", "http_host"})
# Methods that read a dict without changing its keys.
_READ_METHODS = frozenset({"get", "keys", "values", "items", "copy"})


def _host_header(container: ast.expr, key: ast.expr) -> bool:
    """`request.headers["Host"]`, `request.META["HTTP_HOST"]` (also via `.get`)."""
    return (
        isinstance(container, ast.Attribute)
        and container.attr in {"headers", "META"}
        and is_request_object(container.value)
        and isinstance(key, ast.Constant)
        and isinstance(key.value, str)
        and key.value.lower() in _HOST_KEYS
    )


@dataclass(frozen=True, slots=True)
class Hit:
    """Request data reaching a sink: the sink, the file it is in, the path there."""

    sink: Sink
    file: SourceFile
    steps: tuple[FlowStep, ...]
    # Only the first step's read of the request reaches the sink (see `values.ONE_SOURCE`).
    one_source: bool = False
    # The same for the parts that choose where a URL goes (see `values.ONE_URL_SOURCE`).
    one_url_source: bool = False
    # The other flows into the same sink that start at another read (other callers, entries).
    others: tuple[Hit, ...] = ()

    @property
    def key(self) -> tuple[str, int, int, str]:
        """Identity of the sink, to keep one hit per dangerous call and kind."""
        return (self.file.rel, self.sink.call.lineno, self.sink.call.col_offset, self.sink.kind)


@dataclass
class Summary:
    """What a helper does with its parameters: returns them, or feeds them to sinks."""

    returns: Taint | None = None
    param_sinks: list[tuple[int, Hit]] = field(default_factory=list)
    # The request data the function returns itself, merged over its `return`s on their own:
    # a `return url` safe for redirects stays safe beside a `return obj.get_absolute_url()`.
    returns_own: Taint | None = None
    # The keys of the dict literal(s) it returns, each with its value's taint (see `keyed`);
    # None once some `return` gives anything else.
    returns_shape: keyed.Shape | None = None
    returns_unshaped: bool = False


class Resolver(Protocol):
    """Finds the summary of a call the project defines (a helper, a method)."""

    # Whether `django.urls.resolve()` succeeds only for the site's own paths (no catch-all).
    resolve_guards: bool

    def summarise_call(
        self, call: ast.Call, caller: FunctionAnalysis
    ) -> tuple[Summary, list[str]] | None:
        """The callee's summary and its parameter names, or None when unknown."""

    def callee(
        self, call: ast.Call, caller: FunctionAnalysis
    ) -> tuple[SourceFile, FunctionNode] | None:
        """The project function a call runs, or None."""

    def builds_plain_object(self, file: SourceFile, call: ast.Call) -> bool:
        """Whether the call constructs a project class that cannot be a Django model."""


@dataclass
class FunctionAnalysis:
    """Forward taint analysis of one function; collects hits and (for helpers) a summary."""

    file: SourceFile
    node: FunctionNode
    resolver: Resolver
    in_class_view: bool = False
    class_attrs: dict[str, Taint] = field(default_factory=dict)
    env: dict[str, Taint] = field(default_factory=dict)
    forms: dict[str, Taint] = field(default_factory=dict)
    # The forms above that are DRF serializers: `.data` holds only their declared fields.
    serializers: set[str] = field(default_factory=set)
    hits: list[Hit] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    assigned_attrs: dict[str, Taint] = field(default_factory=dict)
    # URL parameters of a class-based view whose converter admits no markup (`<int:pk>`).
    safe_kwargs: frozenset[str] = frozenset()
    # Functions defined in this one (and in its enclosing ones), by name: calls to them resolve.
    local_functions: dict[str, FunctionNode] = field(default_factory=dict)
    # Names bound only to dict literals, with the taint of their keys (over every binding):
    # `f(**d)` lets the client pick fields through the keys, never through the values.
    dict_keys: dict[str, Taint | None] = field(default_factory=dict)
    not_dicts: set[str] = field(default_factory=set)
    # Each `return` whose value holds request data, with that value (a view's
    # `get_success_url()` is a redirect Django performs with it).
    tainted_returns: list[tuple[ast.Return, Taint]] = field(default_factory=list)
    # Names bound to a validator's verdict (`ok = url_has_allowed_host_and_scheme(url=u)`,
    # any of `sources.GUARDS`):
    # testing the name tests the value, as Django's own LoginView.get_success_url() does.
    verdicts: dict[str, ast.Call] = field(default_factory=dict)
    # Names holding `super().get_success_url()`: Django's views return a URL or raise
    # ImproperlyConfigured, never an empty value.
    never_empty: set[str] = field(default_factory=set)
    # Names holding only a URL variable's host, with that variable (see `hosts.host_of`).
    hosts: dict[str, str] = field(default_factory=dict)
    # How many enclosing `try` bodies catch a KeyError (a failed lookup goes on there).
    catching: int = 0
    # Dict comprehensions whose keys are a literal list's strings (see `literal_keys`).
    literal_key_comps: set[int] = field(default_factory=set)
    # The shape of the last value of each expression that built or read a keyed dict.
    shapes: dict[int, keyed.Shape | None] = field(default_factory=dict)
    # Names holding `urlsplit(url)` / `urlparse(url)`, with that URL variable.
    parsed_urls: dict[str, str] = field(default_factory=dict)
    # Names holding a normalised path (`realpath(join(base, name))`), with the names joined.
    normal_paths: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def step(self, node: ast.AST, message: str) -> FlowStep:
        """A flow step at `node` with a message."""
        return FlowStep(self.file.node_location(node), message)

    def run(self) -> None:
        """Analyse the body; results land in `hits`, `summary` and `assigned_attrs`."""
        self.block(self.node.body)

    # Statements -----------------------------------------------------------

    def block(self, body: list[ast.stmt]) -> None:
        """Analyse statements in order."""
        for stmt in body:
            self.statement(stmt)

    def statement(self, stmt: ast.stmt) -> None:
        """Analyse one statement, updating the environment."""
        if isinstance(stmt, ast.Assign):
            value = self.ev(stmt.value)
            for target in stmt.targets:
                self.bind(target, value, stmt.value)
            self.resolved(stmt)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            self.bind(stmt.target, self.ev(stmt.value), stmt.value)
        elif isinstance(stmt, ast.AugAssign):
            # `url += e` is `url = url + e`: a URL the code built (or pinned) keeps its host
            # through any number of appends.
            spelled = ast.copy_location(ast.BinOp(stmt.target, stmt.op, stmt.value), stmt)
            self.bind(stmt.target, self.ev(spelled), stmt.value)
        elif isinstance(stmt, ast.Expr):
            self.ev(stmt.value)
            self.resolved(stmt)
            # A validator called for its exception (validate_password(p)) checks `p` from here on.
            self.apply_guards(stmt.value, statement=True)
        elif isinstance(stmt, ast.Return) and stmt.value is not None:
            value = self.ev(stmt.value)
            self.return_shape(stmt.value)
            self.summary.returns = combine(self.summary.returns, value)
            if value is not None and value.from_request:
                self.tainted_returns.append((stmt, value))
                own = Taint(value.steps, frozenset(), True, value.safe_for)
                self.summary.returns_own = combine(self.summary.returns_own, own)
        elif isinstance(stmt, ast.If):
            self.ev(stmt.test)
            self.apply_guards(stmt.test)
            if _tests_empty(stmt.test, self.never_empty):
                # `if not url:` after `url = super().get_success_url()`: never taken.
                self.branches([stmt.orelse])
            elif (equal := equals_literal(stmt.test)) in self.env:
                # `if kind == "property":` the name is the code's literal in the body.
                self.branches([[_cleared(equal, stmt.test), *stmt.body], stmt.orelse])
            else:
                passed, failed = self.contained_when(stmt.test)
                checked = {0: passed, 1: failed}
                self.branches([stmt.body, stmt.orelse], _falsy_arms(stmt.test), checked)
                # Past an `if` whose one arm leaves, the other arm's test holds.
                for names, other in ((failed, stmt.body), (passed, stmt.orelse)):
                    for name in names if _leaves(other) else ():
                        self.sanitise(name, _PATH)
        elif isinstance(stmt, ast.Assert):
            self.apply_guards(stmt.test)
            for name in self.contained_when(stmt.test)[0]:
                self.sanitise(name, _PATH)
        elif isinstance(stmt, ast.For | ast.AsyncFor):
            self.bind(stmt.target, self.ev(stmt.iter), stmt.iter, shaped=False)
            self.loop(stmt.body)
            self.block(stmt.orelse)
        elif isinstance(stmt, ast.While):
            self.ev(stmt.test)
            self.loop(stmt.body)
            self.block(stmt.orelse)
        elif isinstance(stmt, ast.With | ast.AsyncWith):
            for item in stmt.items:
                value = self.ev(item.context_expr)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, value, item.context_expr)
            self.block(stmt.body)
        elif isinstance(stmt, ast.Try | ast.TryStar):
            self.try_statement(stmt)
        elif isinstance(stmt, ast.Match):
            self.ev(stmt.subject)
            subject = stmt.subject.id if isinstance(stmt.subject, ast.Name) else None
            bodies: list[list[ast.stmt]] = []
            for case in stmt.cases:
                if subject is not None and case.guard is None and _literal_pattern(case.pattern):
                    # `case "title" | "bio":` the subject is one of the code's literals here.
                    bodies.append([_cleared(subject, case.pattern), *case.body])
                else:
                    bodies.append(case.body)
            has_default = any(_literal_pattern(case.pattern) is False for case in stmt.cases)
            self.branches(bodies if has_default else [*bodies, []])
        elif isinstance(stmt, ast.Raise) and stmt.exc is not None:
            self.ev(stmt.exc)
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            self.nested(stmt)

    def try_statement(self, stmt: ast.Try | ast.TryStar) -> None:
        """The paths of a `try`: a handler starts from the state before the body or after
        it, and one that leaves (`return`, `raise`) does not reach what follows (so a
        `resolve(url)` in the body holds after it only when its handler leaves or
        rebinds `url`)."""
        start = dict(self.env)
        catching = any(catches_lookup(handler) for handler in stmt.handlers)
        self.catching += catching
        self.block(stmt.body)
        self.catching -= catching
        raised = _union([start, self.env])
        self.block(stmt.orelse)
        ends = [self.env]
        for handler in stmt.handlers:
            self.env = dict(raised)
            self.block(handler.body)
            if not (handler.body and isinstance(handler.body[-1], ast.Return | ast.Raise)):
                ends.append(self.env)
        self.env = _union(ends)
        self.block(stmt.finalbody)

    def resolved(self, stmt: ast.Expr | ast.Assign) -> None:
        """After `resolve(url)` (or `match = resolve(url)`) returned, `url` is one of the
        site's own paths (see `url_guards`): an uncaught `Resolver404` is Django's 404
        answer, and a `try` whose handler goes on merges the unresolved value back."""
        if self.resolver.resolve_guards:
            self.sanitise(resolved_name(stmt, self.names()), _URL_KINDS)

    def tests_resolve(self, call: ast.Call) -> bool:
        """A project helper that is true only for a URL the site resolves (`url_guards`)."""
        if not self.resolver.resolve_guards:
            return False
        target = self.resolver.callee(call, self)
        if target is None:
            return False
        file, function = target
        return tests_resolve(function, module_names(file.tree) if file.tree else {})

    def names(self) -> dict[str, str]:
        """The module's names to qualified names (imports, local definitions)."""
        return module_names(self.file.tree) if self.file.tree else {}

    def nested(self, function: FunctionNode) -> None:
        """A function defined in this one: analysed with the closure's taint, its hits ours.

        Its parameters shadow the enclosing names; what it returns is not ours.
        """
        shadowed = {arg.arg for arg in _all_params(function)}
        self.local_functions[function.name] = function
        self.env.pop(function.name, None)
        inner = FunctionAnalysis(
            self.file,
            function,
            self.resolver,
            in_class_view=self.in_class_view,
            class_attrs=self.class_attrs,
            env={
                name: value for name, value in self.env.items() if keyed.base(name) not in shadowed
            },
            forms={name: value for name, value in self.forms.items() if name not in shadowed},
            safe_kwargs=self.safe_kwargs,
            local_functions=dict(self.local_functions),
        )
        inner.run()
        self.hits.extend(inner.hits)

    def branches(
        self,
        bodies: list[list[ast.stmt]],
        falsy: dict[int, str] | None = None,
        contained: dict[int, list[str]] | None = None,
    ) -> None:
        """Analyse alternative bodies from the same state and merge (union) the results.

        `falsy` names, by body, a name that is falsy where that body starts (the `else` of
        `if url:`): an empty string or container holds nothing from the client there.
        `contained`, by body, the names a path containment test kept inside its base there.
        """
        start = dict(self.env)
        merged: dict[str, Taint] = {}
        ends: list[dict[str, Taint]] = []
        for index, body in enumerate(bodies):
            self.env = dict(start)
            if falsy and index in falsy:
                self.env.pop(falsy[index], None)
            for name in (contained or {}).get(index, ()):
                self.sanitise(name, _PATH)
            self.block(body)
            ends.append(self.env)
            for name, value in self.env.items():
                merged[name] = combine(merged.get(name), value) or value
        if len(bodies) == 1:
            merged = {
                name: combine(start.get(name), value) or value for name, value in merged.items()
            }
            ends.append(start)
            # The body may not run: a dict's keys from before it stay possible.
            merged.update(
                (name, value)
                for name, value in start.items()
                if keyed.is_pseudo(name) and name not in merged
            )
        keyed.reconcile(merged, ends)
        self.env = merged

    def loop(self, body: list[ast.stmt]) -> None:
        """A loop body twice, so values carried round the loop are seen."""
        self.branches([body])
        self.branches([body])

    def bind(
        self, target: ast.expr, value: Taint | None, source: ast.expr, shaped: bool = True
    ) -> None:
        """Give `target` the taint `value` (None clears it); `shaped`: the source's keys too."""
        if isinstance(target, ast.Name):
            shape = self.shape_of(source) if shaped else None
            keyed.store(self.env, target.id, shape, value is not None)
            self._track_dict(target.id, source)
            self.verdicts.pop(target.id, None)
            if isinstance(source, ast.Call) and call_name(source.func) in GUARDS:
                self.verdicts[target.id] = source
            self.never_empty.discard(target.id)
            self.hosts = {k: v for k, v in self.hosts.items() if target.id not in (k, v)}
            self.parsed_urls = {
                k: v for k, v in self.parsed_urls.items() if target.id not in (k, v)
            }
            host = host_of(source, self.hosts, self.parsed_urls)
            if host is not None and host != target.id:
                self.hosts[target.id] = host
            parsed = parsed_url(source)
            if parsed is not None and parsed != target.id:
                self.parsed_urls[target.id] = parsed
            self.track_normal_path(target.id, source)
            if _super_success_url(source):
                self.never_empty.add(target.id)
            self.forms.pop(target.id, None)
            self.serializers.discard(target.id)
            if value is None:
                self.env.pop(target.id, None)
            else:
                if not _built_string(source):
                    value = value.without(LEADS_ON_SITE)
                self.env[target.id] = value.step(self.step(target, f"assigned to `{target.id}`"))
            if isinstance(source, ast.Call) and call_name(source.func).endswith(_FORM_SUFFIXES):
                bound = self.form_data(source)
                if bound is not None:
                    self.forms[target.id] = bound
                    if call_name(source.func).endswith("Serializer"):
                        self.serializers.add(target.id)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.bind(element, value, source, shaped=False)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, value, source, shaped=False)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            if target.value.id == "self" and value is not None and value.from_request:
                self.assigned_attrs[target.attr] = value.step(
                    self.step(target, f"stored in `self.{target.attr}`")
                )
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            # d["field"] = data: the code names the field; d[data] = x: the data does.
            key = self.ev(target.slice)
            if value is not None and isinstance(target.slice, ast.Constant):
                value = value.sanitised(_MASS)
            name = target.value.id
            literal = keyed.literal_key(target.slice)
            if literal is not None and keyed.load(self.env, name) is not None:
                keyed.set_key(self.env, name, literal, value, self.shape_of(source))
            else:
                keyed.unshape(self.env, name)
            if name in self.dict_keys:
                self.dict_keys[name] = combine(self.dict_keys[name], key)
            merged = combine(self.env.get(name), value, key)
            if merged is not None:
                self.env[name] = merged

    def _track_dict(self, name: str, source: ast.expr) -> None:
        if isinstance(source, ast.Dict) and None not in source.keys and name not in self.not_dicts:
            keys = [self.ev(key) for key in source.keys if key is not None]
            self.dict_keys[name] = combine(self.dict_keys.get(name), *keys)
        elif (
            _keyword_dict(source) or id(source) in self.literal_key_comps
        ) and name not in self.not_dicts:
            self.dict_keys.setdefault(name, None)
        else:
            self.not_dicts.add(name)
            self.dict_keys.pop(name, None)

    def mass_taint(self, arg: ast.expr, value: Taint | None) -> Taint | None:
        """What picks the fields of `f(**arg)`: the keys of a dict literal, else the value."""
        if isinstance(arg, ast.Dict) and None not in arg.keys:
            return combine(*(self.ev(key) for key in arg.keys if key is not None))
        if isinstance(arg, ast.Name) and arg.id in self.dict_keys:
            return self.dict_keys[arg.id]
        if _keyword_dict(arg) or id(arg) in self.literal_key_comps:
            return None  # dict(title=..., author=...): the keywords name the fields
        return value

    def form_data(self, call: ast.Call) -> Taint | None:
        """The request data a form or serializer is bound to (its `data` before validation)."""
        values = [self.ev(arg) for arg in call.args]
        values += [self.ev(kw.value) for kw in call.keywords if kw.arg in {"data", None}]
        return combine(*values)

    def apply_guards(self, test: ast.expr, statement: bool = False) -> None:
        """Names checked by a validator in a condition (or, `statement`, by a call made for
        its exception) are safe afterwards."""
        if not self.env:
            return
        for node in ast.walk(test):
            name: str | None = None
            kinds: frozenset[str] = frozenset()
            if isinstance(node, ast.Name) and node.id in self.verdicts:
                self.apply_guards(self.verdicts[node.id])
            elif isinstance(node, ast.Call):
                if not statement or node is test:
                    for piece in self.path_checked(node, statement):
                        self.sanitise(piece, _PATH)
                callee = call_name(node.func)
                kinds = GUARDS.get(
                    callee, ALL_KINDS if _named_as_validator(callee) else frozenset()
                )
                if callee == "is_relative_to" and isinstance(node.func, ast.Attribute):
                    # `path.resolve().is_relative_to(base)`: the resolved path stays under base.
                    name, kinds = _path_root(node.func.value), _PATH
                elif callee in {"match", "fullmatch"} and len(node.args) >= 2:
                    name = _name_of(node.args[1])
                elif (
                    isinstance(node.func, ast.Attribute)
                    and callee.startswith("is")
                    and not node.args
                ):
                    name = _name_of(node.func.value)
                elif node.args:
                    name = _name_of(node.args[0])
                    if not kinds and name in self.env and self.tests_resolve(node):
                        kinds = _URL_KINDS
                else:
                    # `url_has_allowed_host_and_scheme(url=next, ...)`: the value by its keyword.
                    checked = next((k.value for k in node.keywords if k.arg in _CHECKED), None)
                    name = _name_of(checked) if checked is not None else None
            elif isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.In | ast.NotIn):
                name, kinds = _name_of(node.left), ALL_KINDS
                host = host_of(node.left, self.hosts, self.parsed_urls)
                if host is not None:
                    # urlparse(url).hostname in ALLOWED_HOSTS (or a variable holding only
                    # that host): the URL's host is checked.
                    self.sanitise(name, kinds)
                    name, kinds = host, _URL_KINDS
            self.sanitise(name, kinds)

    def track_normal_path(self, name: str, source: ast.expr) -> None:
        """Remember `name = realpath(...)` (any `path_guards.normalising` value) and what it
        joins; forget it, and any such path built from `name`, on another binding."""
        self.normal_paths = {
            held: pieces
            for held, pieces in self.normal_paths.items()
            if held != name and name not in pieces
        }
        names = self.names()
        if normalising(source, names) or safe_join_call(source, names):
            self.normal_paths[name] = tuple(_path_pieces(source))

    def contained_when(self, test: ast.expr) -> tuple[list[str], list[str]]:
        """The names a path containment test keeps inside its base where it is true, and
        where it is false (`not`, `and`, `or` of such tests too)."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            passed, failed = self.contained_when(test.operand)
            return failed, passed
        if isinstance(test, ast.BoolOp):
            parts = [self.contained_when(value) for value in test.values]
            if isinstance(test.op, ast.And):
                return [name for part in parts for name in part[0]], []
            return [], [name for part in parts for name in part[1]]
        found = containment(test, self.names())
        names = self.contained(found[0]) if found is not None else []
        return (names, []) if found is None or found[2] else ([], names)

    def contained(self, paths: list[ast.expr]) -> list[str]:
        """The names that normalised paths checked against a base are built from, inline in
        this function: `realpath(join(base, name))`, or `full` holding one."""
        names = self.names()
        pieces: list[str] = []
        for path in paths:
            if isinstance(path, ast.Name) and path.id in self.normal_paths:
                pieces += [path.id, *self.normal_paths[path.id]]
            elif normalising(path, names):
                pieces += _path_pieces(path)
        return pieces

    def path_guard(self, call: ast.Call) -> PathGuard | None:
        """What a project helper called here guarantees about the paths it is given."""
        target = self.resolver.callee(call, self)
        if target is None:
            return None
        file, function = target
        return path_guard(function, module_names(file.tree) if file.tree else {})

    def path_checked(self, call: ast.Call, statement: bool) -> list[str]:
        """The names a path-validating helper kept inside its folder: in a condition, those
        of the parameters checked wherever it says yes; called for its exception, those it
        checks on every way out (`is_valid_path(root, join(d, f))`: `d` and `f`)."""
        guard = self.path_guard(call)
        if guard is None:
            return []
        checked = guard.raising if statement else guard.verdict
        return [
            piece
            for index in sorted(checked)
            for piece in _path_pieces(_argument(call, index, guard.params))
        ]

    def sanitise(self, name: str | None, kinds: frozenset[str]) -> None:
        """`name` is safe for `kinds` from here on."""
        if name and kinds and name in self.env:
            sanitised = self.env[name].sanitised(kinds)
            if sanitised is None:
                del self.env[name]
            else:
                self.env[name] = sanitised

    # Expressions ----------------------------------------------------------

    def ev(self, node: ast.expr | None) -> Taint | None:
        """The taint of an expression (None: no request data in it); checks sinks on the way."""
        if node is None or isinstance(node, ast.Constant):
            return None
        if isinstance(node, ast.Name):
            return self.env.get(node.id)
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.JoinedStr):
            return self.prefixed(node, combine(*(self.ev(value) for value in node.values)))
        if isinstance(node, ast.FormattedValue):
            return self.ev(node.value)
        if isinstance(node, ast.BinOp):
            return self.prefixed(node, combine(self.ev(node.left), self.ev(node.right)))
        if isinstance(node, ast.BoolOp):
            return self.bool_op(node)
        if isinstance(node, ast.IfExp):
            return self.if_exp(node)
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return combine(*(self.ev(element) for element in node.elts))
        if isinstance(node, ast.Dict):
            return self.dictionary(node)
        if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            return self.comprehension(node)
        if isinstance(node, ast.Starred | ast.Await):
            return self.ev(node.value)
        if isinstance(node, ast.NamedExpr):
            value = self.ev(node.value)
            self.bind(node.target, value, node.value)
            return value
        if isinstance(node, ast.Compare | ast.UnaryOp):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.ev(child)
        return None

    def guarded(self, test: ast.expr, arm: ast.expr) -> Taint | None:
        """The taint of `arm`, evaluated only where `test` held: its guards apply there only."""
        saved = dict(self.env)
        self.apply_guards(test)
        value = self.ev(arm)
        self.env = saved
        return value

    def if_exp(self, node: ast.IfExp) -> Taint | None:
        """`url if url_is_safe else ''`: the arm the test admits is guarded, as for `if`."""
        self.ev(node.test)
        test = node.test
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            # `'' if not ok else url`: the test's guards hold in the `else` arm.
            return combine(self.ev(node.body), self.guarded(test.operand, node.orelse))
        return combine(self.guarded(test, node.body), self.ev(node.orelse))

    def bool_op(self, node: ast.BoolOp) -> Taint | None:
        """`ok and url`: each operand of `and` is reached only when the ones before held."""
        if not isinstance(node.op, ast.And):
            return combine(*(self.ev(value) for value in node.values))
        values = [self.ev(node.values[0])]
        for index, value in enumerate(node.values[1:], start=1):
            test = ast.BoolOp(ast.And(), node.values[:index]) if index > 1 else node.values[0]
            values.append(self.guarded(test, value))
        return combine(*values)

    def dictionary(self, node: ast.Dict) -> Taint | None:
        """A dict literal: its values taint it, but cannot pick field names when keys are fixed."""
        keys = [self.ev(key) for key in node.keys if key is not None]
        values = [self.ev(value) for value in node.values]
        shape: keyed.Shape | None = {}
        for key_node, value_node, taint in zip(node.keys, node.values, values, strict=True):
            literal = keyed.literal_key(key_node)
            if key_node is None:
                shape = keyed.merge(shape, self.shape_of(value_node))  # {**other}
            elif literal is not None and shape is not None:
                shape[literal] = (taint, self.shape_of(value_node))
            else:
                shape = None
        self.shapes[id(node)] = shape
        if None not in node.keys and all(key is None for key in keys):
            # Keys the code computed (`{lookup: pk}`) cannot be chosen by the client.
            values = [v.sanitised(_MASS) if v is not None else None for v in values]
        return combine(*keys, *values)

    def prefixed(self, node: ast.expr, value: Taint | None) -> Taint | None:
        """A URL that starts with a fixed path or host cannot redirect off-site; the text
        built is marked `LEADS_ON_SITE` when its constant first character may follow a `/`."""
        if value is None:
            return None
        built = self.pinned_head(node, value)
        return _leading_mark(built, _leading_text(node)) if built is not None else None

    def pinned_head(self, node: ast.expr, value: Taint) -> Taint | None:
        """`prefixed` without its mark: the head's pin, or a lone `/` with a safe next piece
        (`f"/{next}"` where `next` is `""` or `f"?next={n}"`)."""
        if self.leads_on_site(_slash_then(node)):
            return value.sanitised(_URL_KINDS)
        head: ast.expr = node
        while isinstance(head, ast.BinOp) and isinstance(head.op, ast.Add):
            head = head.left
        if isinstance(head, ast.BinOp) and isinstance(head.op, ast.Mod):
            return self.percent_formatted(head, value)
        if isinstance(head, ast.JoinedStr) and head.values:
            head = head.values[0]
        start = head.value if isinstance(head, ast.FormattedValue) else head
        return value if start is node else self.led_by(start, value)

    def leads_on_site(self, piece: ast.expr | None) -> bool:
        """A piece whose text starts with a constant that may follow `/`: a literal, or a
        name whose every tainted value was built that way (`LEADS_ON_SITE`)."""
        if isinstance(piece, ast.Constant):
            return isinstance(piece.value, str) and _on_site_after_slash(piece.value)
        value = self.env.get(piece.id) if isinstance(piece, ast.Name) else None
        return value is not None and LEADS_ON_SITE in value.safe_for

    def led_by(self, head: ast.expr, value: Taint) -> Taint | None:
        """A URL built with `head` first: pinned by a fixed path or host, by the code's own
        value (`f"{obj.local_path}?{query}"`), or by a URL already pinned
        (`url = reverse(...) + f"?a={a}"`, then `url + "&b"`)."""
        if isinstance(head, ast.Constant):
            fixed = isinstance(head.value, str) and _fixed_target(head.value)
            return value.sanitised(_URL_KINDS) if fixed else value
        first = self.ev(head)
        pinned = _URL_KINDS if first is None else _URL_KINDS & first.safe_for
        return value.sanitised(pinned) if pinned else value

    def joined(self, node: ast.Call, value: Taint | None) -> Taint | None:
        """`"?".join([url, query])` over a list or tuple literal: built like `url + "?" + query`."""
        parts = node.args[0] if len(node.args) == 1 and not node.keywords else None
        if (
            value is None
            or not isinstance(parts, ast.List | ast.Tuple)
            or not parts.elts
            or isinstance(parts.elts[0], ast.Starred)
        ):
            return value
        return self.led_by(parts.elts[0], value)

    def percent_formatted(self, node: ast.BinOp, value: Taint) -> Taint | None:
        """`"<template>" % args`: the text before the first conversion pins the target
        (`"https://%s/" % host` does not), or the code's own value fills it first."""
        template = node.left
        if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
            return value
        args = node.right
        if isinstance(args, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in args.elts):
            parts = [self.ev(element) for element in args.elts]
            own_first = not parts or parts[0] is None
            # Fields after a literal `?` or `#` fill the query or fragment: not the host.
            aiming = _fields_before_query(template.value)
            value = (
                combine(
                    *parts[:aiming],
                    *(part.sanitised(_URL_KINDS) if part else None for part in parts[aiming:]),
                )
                or value
            )
        else:
            first = args.elts[0] if isinstance(args, ast.Tuple) and args.elts else args
            own_first = not isinstance(args, ast.Dict) and self.ev(first) is None
        return _pinned(value, _before_percent_field(template.value), own_first)

    def formatted(
        self, node: ast.Call, value: Taint | None, values: dict[int, Taint | None]
    ) -> Taint | None:
        """`"<template>".format(...)`: a fixed path or host first, or the code's own value
        in the first field (`"{}?mode={}".format(url, mode)`), cannot redirect off-site."""
        template = node.func.value if isinstance(node.func, ast.Attribute) else None
        if value is None or not (
            isinstance(template, ast.Constant) and isinstance(template.value, str)
        ):
            return value
        try:
            literal, field, _, _ = next(iter(string.Formatter().parse(template.value)))
        except (StopIteration, ValueError):
            return value
        first = _format_argument(node, field)
        own_first = first is not None and id(first) in values and values[id(first)] is None
        return _pinned(value, literal, own_first)

    def attribute(self, node: ast.Attribute) -> Taint | None:
        """`request.GET`, `self.kwargs`, `form.data`, `self.<tainted attribute>`, `x.attr`."""
        described = request_source(node, self.in_class_view)
        if described is not None:
            step = self.step(node, f"`{described}`: data from the HTTP request")
            # self.kwargs: the URLconf names the keys, so they cannot pick model fields.
            url_kwargs = described.startswith("self.")
            if node.attr == "FILES":
                return Taint((step,), safe_for=frozenset({UPLOADED}) | ONE_MARKS)
            marks = frozenset({"mass"}) | ONE_MARKS if url_kwargs else ONE_MARKS
            return Taint((step,), safe_for=marks)
        if isinstance(node.value, ast.Name):
            if node.value.id == "self" and node.attr in self.class_attrs:
                return self.class_attrs[node.attr]
            if node.value.id in self.forms:
                bound = self.forms[node.value.id] if node.attr in _BOUND_DATA else None
                if bound is not None and node.attr == "data" and node.value.id in self.serializers:
                    # DRF allows `.data` only after is_valid(): its keys are the serializer's
                    # declared fields, never the client's (the values still are).
                    return bound.sanitised(_MASS)
                return bound
        if node.attr in VALIDATED_ATTRS:
            self.ev(node.value)
            return None
        value = self.ev(node.value)
        if node.attr == "name" and value is not None and UPLOADED in value.safe_for:
            # UploadedFile.name: Django has already cut it to a base name (no directory part).
            return value.sanitised(_PATH)
        return value

    def subscript(self, node: ast.Subscript) -> Taint | None:
        """`d[k]` carries `d`'s taint; `globals()[user]` is a dispatch sink."""
        if self._safe_kwarg(node.value, node.slice):
            return None
        key = self.ev(node.slice)
        if isinstance(node.value, ast.Call) and call_name(node.value.func) in {
            "globals",
            "locals",
            "vars",
        }:
            sink = Sink(
                "dispatch", _as_call(node.value), node.slice, f"{call_name(node.value.func)}()[...]"
            )
            self.reach(sink, key)
            return None
        value = self.ev(node.value)
        literal = keyed.literal_key(node.slice)
        shape = self.shape_of(node.value) if literal is not None else None
        if literal is not None and shape is not None:
            # `data["pagination"]` of a dict the code built: only what went under that key.
            entry = shape.get(literal)
            self.shapes[id(node)] = entry[1] if entry else None
            return entry[0] if entry else None
        self.shapes[id(node)] = None
        if (
            isinstance(node.slice, ast.Name)
            and node.slice.id in self.env
            and not self.catching
            and literal_table(node.value, self.file, self.node)
        ):
            # `{"a": A, "b": B}[kind]` raised for any other `kind`: it is a literal from here on.
            self.bind(node.slice, None, node.slice)
        if value is not None and _host_header(node.value, node.slice):
            return value.sanitised(_RESPONSE_HTML)
        return value

    def _safe_kwarg(self, container: ast.expr, key: ast.expr) -> bool:
        """`self.kwargs["pk"]` where the URLconf captures `pk` with a safe converter."""
        return (
            isinstance(container, ast.Attribute)
            and container.attr == "kwargs"
            and isinstance(container.value, ast.Name)
            and container.value.id == "self"
            and isinstance(key, ast.Constant)
            and key.value in self.safe_kwargs
        )

    def comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> Taint | None:
        """A comprehension: its targets take the iterables' taint, in a scope of their own.

        Its `if` clauses filter like guards: `[f for f in data if f in ALLOWED]` is clean.
        """
        saved = dict(self.env)
        for generator in node.generators:
            self.bind(generator.target, self.ev(generator.iter), generator.iter, shaped=False)
            for condition in generator.ifs:
                self.apply_guards(condition)
        if isinstance(node, ast.DictComp):
            generator = node.generators[0]
            if (
                len(node.generators) == 1
                and isinstance(generator.target, ast.Name)
                and isinstance(node.key, ast.Name)
                and node.key.id == generator.target.id
                and literal_strings(generator.iter)
            ):
                # `{f: data.get(f) for f in ["a", "b"]}`: the list names the keys.
                self.literal_key_comps.add(id(node))
            value = combine(self.ev(node.key), self.ev(node.value))
        else:
            value = self.ev(node.elt)
        self.env = saved
        return value

    def call(self, node: ast.Call) -> Taint | None:
        """A call: check its sinks, then work out the taint of its result."""
        values: dict[int, Taint | None] = {}
        for arg in node.args:
            values[id(arg)] = self.ev(arg)
        for kw in node.keywords:
            values[id(kw.value)] = self.ev(kw.value)
        receiver: Taint | None = None
        if isinstance(node.func, ast.Attribute):
            receiver = self.ev(node.func.value)
            values[id(node.func.value)] = receiver
            if isinstance(node.func.value, ast.Name) and node.func.attr not in _READ_METHODS:
                keyed.unshape(self.env, node.func.value.id)
            if isinstance(node.func.value, ast.Name) and node.func.attr in {"update", "setdefault"}:
                # Keys merged in from elsewhere: no longer a dict literal's keys.
                self.not_dicts.add(node.func.value.id)
                self.dict_keys.pop(node.func.value.id, None)
        sinks = sinks_of(node, module_names(self.file.tree) if self.file.tree else None)
        path_sink = path_method_sink(node)
        if path_sink is not None:
            sinks.append(path_sink)
        for sink in sinks:
            value = values[id(sink.arg)] if id(sink.arg) in values else self.ev(sink.arg)
            if sink.kind == "mass" and sink.what.endswith("(**...)"):
                if self.resolver.builds_plain_object(self.file, node):
                    continue  # a pydantic model or plain class: no model fields to pick
                value = self.mass_taint(sink.arg, value)
            self.reach(sink, value)
        args = [values[id(arg)] for arg in node.args] + [
            values[id(kw.value)] for kw in node.keywords
        ]
        name = call_name(node.func)
        if (
            name == "get"
            and node.args
            and isinstance(node.func, ast.Attribute)
            and self._safe_kwarg(node.func.value, node.args[0])
        ):
            return None
        self.shapes[id(node)] = None
        literal = keyed.literal_key(node.args[0]) if name == "get" and node.args else None
        if literal is not None and isinstance(node.func, ast.Attribute):
            shape = self.shape_of(node.func.value)
            if shape is not None:
                # `data.get("pagination")` of a dict the code built, or its default.
                value, inner = shape.get(literal, (None, None))
                self.shapes[id(node)] = inner if len(node.args) == 1 else None
                return combine(value, *args[1:])
        if (
            name == "get"
            and node.args
            and isinstance(node.func, ast.Attribute)
            and receiver is not None
            and _host_header(node.func.value, node.args[0])
        ):
            # A default from elsewhere keeps its own taint.
            return combine(receiver.sanitised(_RESPONSE_HTML), *args[1:])
        if (
            name in SANITISERS
            and name != "quote"
            or (name == "quote" and "shlex" in dotted(node.func))
        ):
            mixed = combine(*args)
            return mixed.sanitised(SANITISERS[name]) if mixed is not None else None
        if _named_as_sanitiser(name):
            return None
        if name in _ROW_CHOOSERS and isinstance(node.func, ast.Attribute):
            # `qs.filter(name=request.GET["q"])`: database rows, not the lookup's value.
            return receiver
        resolved = (
            self.resolver.summarise_call(node, self) if _worth_resolving(node, args) else None
        )
        if resolved is not None:
            result = self.through(node, values, *resolved)
            guard = self.path_guard(node) if result is not None else None
            if result is not None and guard is not None and guard.returns_checked:
                # Every return is falsy or the path it has checked (WebODM's
                # `path = path_traversal_check(path, base)`).
                return result.sanitised(_PATH)
            return result
        if isinstance(node.func, ast.Attribute) and receiver is not None:
            if name in NON_PROPAGATING_METHODS:
                return None
            if name == "temporary_file_path" and UPLOADED in receiver.safe_for:
                # The upload handler's own temporary file under FILE_UPLOAD_TEMP_DIR: only its
                # suffix (the client's extension, a base name's) is the client's.
                return combine(receiver.sanitised(_PATH), *args)
            return combine(receiver, *args)
        if name == "format" and isinstance(node.func, ast.Attribute):
            return self.formatted(node, combine(*args), values)
        if (
            name == "join"
            and isinstance(node.func, ast.Attribute)
            and literal_str(node.func.value) is not None
        ):
            return self.joined(node, combine(*args))
        if name in PROPAGATORS and (isinstance(node.func, ast.Name) or name in METHOD_PROPAGATORS):
            return combine(*args)
        return None

    def through(
        self,
        node: ast.Call,
        values: dict[int, Taint | None],
        summary: Summary,
        params: list[str],
    ) -> Taint | None:
        """Apply a callee's summary: its sinks see our arguments, its result carries them."""
        by_param = self.narrowed(node, map_arguments(node, values, params), params)
        label = dotted(node.func) or call_name(node.func)
        for index, hit in summary.param_sinks:
            arg = by_param.get(index)
            if arg is None or not arg.reaches(hit.sink.kind):
                continue
            path = arg.steps + (self.step(node, f"passed to `{label}()`"),) + hit.steps
            one = hit.one_source and ONE_SOURCE in arg.safe_for
            one_url = hit.one_url_source and ONE_URL_SOURCE in arg.safe_for
            self.record(Hit(hit.sink, hit.file, path, one, one_url), arg)
        result = summary.returns
        if result is None:
            return None
        returned = self.step(node, f"returned by `{label}()`")
        if summary.returns_shape is not None and not summary.returns_unshaped:

            def carry(value: Taint) -> Taint | None:
                return self.carried(value, by_param, returned)

            self.shapes[id(node)] = keyed.translated(summary.returns_shape, carry)
        # The callee's own request data comes back; its parameter numbers mean nothing here.
        own = summary.returns_own
        parts: list[Taint | None] = [own.step(returned) if own is not None else None]
        for index in result.params:
            arg = by_param.get(index)
            if arg is not None:
                # The callee's sanitising applies to the argument; its one-source mark does not.
                safe = arg.safe_for | (result.safe_for - ONE_MARKS)
                through = Taint(arg.steps, arg.params, arg.from_request, safe)
                parts.append(through.step(returned))
        return combine(*parts)

    def carried(self, value: Taint, by_param: dict[int, Taint], returned: FlowStep) -> Taint | None:
        """A callee's returned taint in our terms: its own request data, our arguments."""
        parts: list[Taint | None] = []
        if value.from_request:
            parts.append(Taint(value.steps, frozenset(), True, value.safe_for).step(returned))
        for index in value.params:
            arg = by_param.get(index)
            if arg is not None:
                safe = arg.safe_for | (value.safe_for - ONE_MARKS)
                parts.append(Taint(arg.steps, arg.params, arg.from_request, safe).step(returned))
        return combine(*parts)

    def shape_of(self, node: ast.expr) -> keyed.Shape | None:
        """The keys of the dict `node` holds, when the code wrote them all (see `keyed`)."""
        if isinstance(node, ast.Name):
            return keyed.load(self.env, node.id)
        return self.shapes.get(id(node))

    def return_shape(self, value: ast.expr) -> None:
        """Merge a `return`'s dict shape into the summary (any other value ends it)."""
        shape = self.shape_of(value)
        if shape is None:
            self.summary.returns_unshaped = True
        elif self.summary.returns_shape is None:
            self.summary.returns_shape = shape
        else:
            self.summary.returns_shape = keyed.merge(self.summary.returns_shape, shape)

    def narrowed(
        self, node: ast.Call, by_param: dict[int, Taint], params: list[str]
    ) -> dict[int, Taint]:
        """A shaped dict passed to a parameter the callee reads only by literal keys
        (`params["count"]`) carries only what is under those keys."""
        passed = {i: arg for i, arg in enumerate(node.args) if not isinstance(arg, ast.Starred)}
        passed.update({params.index(k.arg): k.value for k in node.keywords if k.arg in params})
        shaped = {i: shape for i in by_param if i in passed and (shape := self.shape_of(passed[i]))}
        if not shaped:
            return by_param
        target = self.resolver.callee(node, self)
        if target is None:
            return by_param
        narrowed = dict(by_param)
        for index, shape in shaped.items():
            reads = keyed.keys_read(target[1], params[index]) if index < len(params) else None
            if reads is not None:
                value = combine(*(shape[key][0] for key in reads if key in shape))
                if value is None:
                    del narrowed[index]
                else:
                    narrowed[index] = value
        return narrowed

    def reach(self, sink: Sink, value: Taint | None) -> None:
        """A value arrives at a sink: a hit for request data, a summary entry for a parameter."""
        if value is None or not value.reaches(sink.kind):
            return
        self.record(self.hit(sink, value, self.step(sink.call, f"reaches `{sink.what}`")), value)

    def hit(self, sink: Sink, value: Taint, last: FlowStep) -> Hit:
        """The flow of `value` into `sink`, `last` its final step, with its one-source marks."""
        return Hit(
            sink,
            self.file,
            value.steps + (last,),
            ONE_SOURCE in value.safe_for,
            ONE_URL_SOURCE in value.safe_for,
        )

    def record(self, hit: Hit, value: Taint) -> None:
        """Keep a hit (request data) and/or a parameter sink (for callers)."""
        if value.from_request:
            self.hits.append(hit)
        for index in value.params:
            self.summary.param_sinks.append((index, hit))


def _cleared(name: str, where: ast.AST) -> ast.stmt:
    """`name = None` at `where`: the name holds one of the code's literals from there on."""
    return ast.copy_location(ast.Assign([ast.Name(name, ast.Store())], ast.Constant(None)), where)


def _leaves(body: list[ast.stmt]) -> bool:
    """A body whose last statement returns or raises: what follows its `if` is not reached."""
    return bool(body) and isinstance(body[-1], ast.Return | ast.Raise)


def _falsy_arms(test: ast.expr) -> dict[int, str]:
    """`{1: "x"}` for `if x:` (falsy in the `else`), `{0: "x"}` for `if not x:`."""
    if isinstance(test, ast.Name):
        return {1: test.id}
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return {0: test.operand.id} if isinstance(test.operand, ast.Name) else {}
    return {}


def _built_string(node: ast.expr) -> bool:
    """An f-string, `+` or `%` building: `prefixed` decides the mark of its text's start."""
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod)
    )


def _leading_text(node: ast.expr) -> str:
    """The constant text a built string starts with ('' when a value comes first)."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        node = node.left
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        template = literal_str(node.left)
        return _before_percent_field(template) if template is not None else ""
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    text = literal_str(node)
    return text or ""


def _on_site_after_slash(text: str) -> bool:
    """After a `/`, this text keeps a URL on the site: its first character is neither `/`
    nor `\\` (`//host`, `/\\host`) nor a space or control character browsers drop."""
    return bool(text) and text[0] not in "/\\" and text[0].isprintable() and not text[0].isspace()


def _leading_mark(value: Taint, text: str) -> Taint:
    """`value` marked `LEADS_ON_SITE` exactly when `text`, its constant start, allows it."""
    if _on_site_after_slash(text):
        return Taint(value.steps, value.params, value.from_request, value.safe_for | _LEADS)
    return value.without(LEADS_ON_SITE)


def _slash_then(node: ast.expr) -> ast.expr | None:
    """The piece right after a lone leading `/`: `x` in `"/" + x` and `f"/{x}"`."""
    parent: ast.BinOp | None = None
    head = node
    while isinstance(head, ast.BinOp) and isinstance(head.op, ast.Add):
        parent, head = head, head.left
    parts = head.values if isinstance(head, ast.JoinedStr) else [head]
    if not parts or literal_str(parts[0]) != "/":
        return None
    if len(parts) == 1:
        return parent.right if parent is not None else None
    field = parts[1]
    if isinstance(field, ast.FormattedValue) and field.conversion == -1 and not field.format_spec:
        return field.value
    return None


def _argument(call: ast.Call, index: int, params: tuple[str, ...]) -> ast.expr | None:
    """The argument a call passes for the parameter at `index` (positional or keyword)."""
    before = call.args[: index + 1]
    if index < len(call.args) and not any(isinstance(arg, ast.Starred) for arg in before):
        return call.args[index]
    return next((kw.value for kw in call.keywords if kw.arg == params[index]), None)


def _path_pieces(node: ast.expr | None) -> list[str]:
    """The names a path expression joins: `p`, `os.path.join(d, f)`, `d / f`, `f"{d}/{f}"`."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Call) and call_name(node.func) in _PATH_BUILDERS:
        return [name for arg in node.args for name in _path_pieces(arg)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        # `Path(d, f).resolve()`: the parts of the path resolved.
        return _path_pieces(node.func.value) if node.func.attr == "resolve" else []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div | ast.Add):
        return _path_pieces(node.left) + _path_pieces(node.right)
    if isinstance(node, ast.JoinedStr):
        return [
            name
            for value in node.values
            if isinstance(value, ast.FormattedValue)
            for name in _path_pieces(value.value)
        ]
    return []


def _union(envs: list[dict[str, Taint]]) -> dict[str, Taint]:
    """The names tainted on any of several paths (safe only where safe on every one)."""
    merged: dict[str, Taint] = {}
    for env in envs:
        for name, value in env.items():
            merged[name] = combine(merged.get(name), value) or value
    keyed.reconcile(merged, envs)
    return merged


def _literal_pattern(pattern: ast.pattern) -> bool:
    """`case "a":`, `case "a" | "b":`, `case None:`: the subject equals a literal."""
    if isinstance(pattern, ast.MatchValue):
        return isinstance(pattern.value, ast.Constant)
    if isinstance(pattern, ast.MatchSingleton):
        return True
    if isinstance(pattern, ast.MatchOr):
        return all(_literal_pattern(p) for p in pattern.patterns)
    return False


def _all_params(function: FunctionNode) -> list[ast.arg]:
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return [arg for arg in every if arg is not None]


def map_arguments(
    node: ast.Call, values: dict[int, Taint | None], params: list[str]
) -> dict[int, Taint]:
    """Which parameter index receives which tainted argument (values: the arguments' taints)."""
    mapped: dict[int, Taint] = {}
    for position, arg in enumerate(node.args):
        if isinstance(arg, ast.Starred):
            break
        value = values.get(id(arg))
        if value is not None and position < len(params):
            mapped[position] = value
    for kw in node.keywords:
        value = values.get(id(kw.value))
        if kw.arg in params and value is not None:
            mapped[params.index(kw.arg)] = value
    return mapped


def _worth_resolving(node: ast.Call, args: list[Taint | None]) -> bool:
    """Only calls that pass request data, or the request itself, can return or sink it."""
    if any(arg is not None for arg in args):
        return True
    passed = [*node.args, *(kw.value for kw in node.keywords)]
    if any(is_request_object(arg) for arg in passed):
        return True
    func = node.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "self"
    )


# The parameter names validators take the checked value by (Django's own and most others').
_CHECKED = frozenset({"url", "value", "password"})


def _super_success_url(node: ast.expr) -> bool:
    """`super().get_success_url()`: a URL, or ImproperlyConfigured, from Django's views."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get_success_url"
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "super"
    )


def _tests_empty(test: ast.expr, names: set[str]) -> bool:
    """`not url` for a name that cannot be empty."""
    return (
        isinstance(test, ast.UnaryOp)
        and isinstance(test.op, ast.Not)
        and isinstance(test.operand, ast.Name)
        and test.operand.id in names
    )


def _keyword_dict(node: ast.expr) -> bool:
    """`dict(title=t, author=a)`: keys named by keywords only (no mapping, no `**`)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "dict"
        and not node.args
        and bool(node.keywords)
        and all(kw.arg is not None for kw in node.keywords)
    )


def _pinned(value: Taint, literal: str, own_first: bool) -> Taint | None:
    """A built URL cannot leave the site when the text before its first field pins the
    path or host, or (no text first) the code's own value fills that field."""
    fixed = _fixed_target(literal) if literal else own_first
    return value.sanitised(_URL_KINDS) if fixed else value


def _fields_before_query(text: str) -> int:
    """How many `%` conversions of a template come before its first literal `?` or `#`."""
    count, at = 0, 0
    while at < len(text):
        char = text[at]
        if char in "?#":
            return count
        if char == "%" and at + 1 < len(text):
            if text[at + 1] != "%":
                count += 1
            at += 2
            continue
        at += 1
    return count


def _before_percent_field(text: str) -> str:
    """The text of a `%` template before its first conversion (`%%` is a literal `%`)."""
    at = 0
    while True:
        at = text.find("%", at)
        if at < 0 or at + 1 >= len(text):
            return text if at < 0 else text[:at]
        if text[at + 1] != "%":
            return text[:at]
        at += 2


def _format_argument(node: ast.Call, field: str | None) -> ast.expr | None:
    """The argument of `.format(...)` that fills a field named `field` ("", "0", "name")."""
    if field is None:
        return None
    name = re.split(r"[.\[]", field, maxsplit=1)[0]
    if name in ("", "0"):
        return node.args[0] if node.args and not isinstance(node.args[0], ast.Starred) else None
    if name.isdigit():
        return None  # a later positional first: unusual, judged as request data
    return next((kw.value for kw in node.keywords if kw.arg == name), None)


def _fixed_target(prefix: str) -> bool:
    """Whether a URL prefix pins the host: `/path/...` or `https://host/`."""
    if prefix.startswith("/") and len(prefix) >= 2:
        return prefix[1] not in "/\\"
    scheme, _, rest = prefix.partition("://")
    return scheme in {"http", "https"} and "/" in rest


def _named_as_validator(name: str) -> bool:
    """A project's own check, by its name: `_allow_redirect`, `is_valid_path`, `check_host`."""
    lower = name.lower()
    return any(word in lower for word in ("allow", "valid", "safe", "check", "verify", "permit"))


def _named_as_sanitiser(name: str) -> bool:
    """A project's own cleaner, by its name: `sanitize_cell`, `escape_like`, `bleach.clean`."""
    lower = name.lower()
    return any(word in lower for word in ("escape", "sanitiz", "sanitis", "clean", "validat"))


def _path_root(node: ast.expr) -> str | None:
    """The variable a path expression starts from, through `.resolve()` / `.absolute()`."""
    while (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"resolve", "absolute"}
    ):
        node = node.func.value
    return _name_of(node)


def _name_of(node: ast.expr) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def _as_call(node: ast.expr) -> ast.Call:
    assert isinstance(node, ast.Call)
    return node
