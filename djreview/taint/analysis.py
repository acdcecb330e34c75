"""Project-wide request-data tracking, computed once per run and shared by every rule.

Every function is analysed as an entry point (views get their URL
parameters tainted); calls to project functions are answered with the
callee's summary, computed on demand with a bounded call depth. Class-based
views are analysed twice so an attribute set in `setup()` or `get()` from
request data is seen by the other methods.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field

from djreview.project import facts_context
from djreview.project.modules import dotted_name
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.function import FunctionAnalysis, Hit, Summary
from djreview.taint.module_functions import FunctionNode, FunctionTable
from djreview.taint.names import module_names
from djreview.taint.routes import view_params
from djreview.taint.sinks import Sink
from djreview.taint.url_guards import resolves_only_own_paths
from djreview.taint.values import ONE_MARKS, Taint

MAX_DEPTH = 4
_VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "dispatch", "options"})
_VIEW_DECORATORS = frozenset(
    {
        "login_required",
        "require_POST",
        "require_GET",
        "require_http_methods",
        "api_view",
        "csrf_exempt",
        "permission_required",
        "require_safe",
        "never_cache",
        "staff_member_required",
        "user_passes_test",
    }
)
_SAFE_ANNOTATIONS = frozenset({"int", "UUID", "uuid.UUID", "bool", "float"})
# Methods of Django's generic views whose return value Django redirects to itself
# (FormMixin / DeletionMixin / ModelFormMixin.get_success_url, RedirectView.get_redirect_url).
_REDIRECT_HOOKS = frozenset({"get_success_url", "get_redirect_url"})
# How a hook's sink names itself (`EditView.get_success_url() (Django redirects ...)`).
REDIRECT_HOOK = " (Django redirects to what it returns)"
SummaryKey = tuple[str, int]
_MISSING = object()


@dataclass(frozen=True)
class FileFlows:
    """One file's flows (per-file facts a server session keeps) and what they depend on.

    `used`: the memoised summaries of other functions they took; `made`: the
    summaries their analysis memoised; `reads`: the files whose function
    tables they looked into.
    """

    hits: tuple[Hit, ...]
    used: dict[SummaryKey, tuple[Summary, list[str]] | None] = field(default_factory=dict)
    made: dict[SummaryKey, tuple[Summary, list[str]] | None] = field(default_factory=dict)
    reads: dict[str, SourceFile] = field(default_factory=dict)


class TaintAnalysis:
    """All request-data flows of a project, by the file of their sink."""

    @classmethod
    def build(cls, project: Project) -> TaintAnalysis:
        """Every flow of `project`, tracked once per run (by `Project.analysis`)."""
        analysis = cls(project)
        analysis.analyse()
        return analysis

    def __init__(self, project: Project) -> None:
        self.project = project
        self.model = project.analysis(ProjectModel)
        self._tables: dict[str, FunctionTable] = {}
        self._names: dict[tuple[str, str], tuple[SourceFile, FunctionNode] | None] = {}
        self.routes = view_params(self.model)
        self.resolve_guards = resolves_only_own_paths(self.model)
        self._summaries: dict[SummaryKey, tuple[Summary, list[str]] | None] = {}
        self._stack: list[tuple[str, int]] = []
        self._hits: dict[str, dict[tuple[str, int, int, str], Hit]] | None = None
        # While one file is analysed: what it reads beyond itself (see FileFlows).
        self._recording: FileFlows | None = None

    def info(self, file: SourceFile) -> FunctionTable:
        """The function table of a file, built once."""
        if self._recording is not None:
            self._recording.reads[file.rel] = file
        if file.rel not in self._tables:
            module = self.model.module_for(file)
            self._tables[file.rel] = FunctionTable.build(file, module.name if module else "")
        return self._tables[file.rel]

    def analyse(self) -> dict[str, dict[tuple[str, int, int, str], Hit]]:
        """Analyse every function of the project (once); hits by the file of their sink."""
        if self._hits is None:
            self._hits = {}
            context = (
                facts_context.digest(
                    facts_context.model_context(self.project, self.model),
                    facts_context.shape(self.routes),
                    self.resolve_guards,
                )
                if self.project.memo is not None
                else ""
            )
            for source in self.project.python_files:
                flows = self.project.per_file(
                    "taint", source, context, self.flows_for_file, self._still_valid
                )
                # Reused flows bring the summaries their run made, as a full run would have.
                self._summaries.update(flows.made)
                for hit in flows.hits:
                    bucket = self._hits.setdefault(hit.file.rel, {})
                    kept = bucket.setdefault(hit.key, hit)
                    if hit.steps[:1] != kept.steps[:1] and all(
                        hit.steps[:1] != other.steps[:1] for other in kept.others
                    ):
                        # Another flow reaches the same sink from another read: kept beside it.
                        bucket[hit.key] = dataclasses.replace(kept, others=(*kept.others, hit))
        return self._hits

    def flows_for_file(self, file: SourceFile) -> FileFlows:
        """The flows of `file`'s functions, and the summaries they used and made."""
        self._recording = FileFlows(())
        try:
            hits = tuple(self._analyse_file(file))
            return dataclasses.replace(self._recording, hits=hits)
        finally:
            self._recording = None

    def _still_valid(self, flows: FileFlows) -> bool:
        """Whether a file's kept flows are what analysing it now would give.

        Summaries are memoised in file order (a summary made under a deep call
        stack is cut shorter): the kept flows stand only if every summary they
        used is the very one this run holds, none they made exists already,
        and every other file they read is unchanged.
        """
        return (
            all(self._summaries.get(key, _MISSING) is value for key, value in flows.used.items())
            and not any(key in self._summaries for key in flows.made)
            and all(self.project.by_rel.get(rel) is file for rel, file in flows.reads.items())
        )

    def hits_in(self, file: SourceFile) -> list[Hit]:
        """Flows whose sink is in `file`, in source order."""
        found = self.analyse().get(file.rel, {})
        return [found[key] for key in sorted(found)]

    def hit_at(self, file: SourceFile, call: ast.Call, kind: str) -> Hit | None:
        """The flow reaching this call's sink of `kind`, if any."""
        for hit in self.hits_in(file):
            if hit.sink.call is call and hit.sink.kind == kind:
                return hit
        return None

    # Entry points ---------------------------------------------------------

    def _analyse_file(self, file: SourceFile) -> Iterator[Hit]:
        info = self.info(file)
        for function in info.every:
            analysis = FunctionAnalysis(file, function, self)
            routed = self.routes.get(f"{info.module}.{function.name}")
            self._seed_view_params(
                analysis, function, self._is_view(file, function, routed), routed
            )
            if analysis.env or _may_read_request(file, function, False):
                analysis.run()
                yield from analysis.hits
        for cls in info.classes.values():
            yield from self._analyse_class(file, info, cls)

    def _is_view(self, file: SourceFile, function: FunctionNode, routed: object) -> bool:
        """Routed; or, when no URLconf could be read, view-like by place and decorators."""
        if routed is not None:
            return True
        return not self.routes and _is_function_view(file, function)

    def _analyse_class(
        self, file: SourceFile, info: FunctionTable, cls: ast.ClassDef
    ) -> Iterator[Hit]:
        methods = info.methods(cls)
        routed = self.routes.get(f"{info.module}.{cls.name}")
        view = routed is not None or is_class_view(cls, methods)
        # Methods receive URL parameters only when routed (or when no URLconf was found).
        seeded = routed is not None or (view and not self.routes)
        safe_kwargs = frozenset(name for name, safe in (routed or {}).items() if safe)
        attrs: dict[str, Taint] = {}
        for round_ in range(2 if view else 1):
            if round_ == 1 and not attrs:
                break
            for method in info.every_method(cls):
                name = method.name
                analysis = FunctionAnalysis(
                    file,
                    method,
                    self,
                    in_class_view=view,
                    class_attrs=dict(attrs),
                    safe_kwargs=safe_kwargs,
                )
                self._seed_view_params(analysis, method, seeded and name in _VIEW_METHODS, routed)
                if not (analysis.env or attrs or _may_read_request(file, method, view)):
                    continue
                analysis.run()
                if round_ == 0:
                    for attr, value in analysis.assigned_attrs.items():
                        attrs.setdefault(attr, value)
                yield from analysis.hits
                if view and round_ == 0 and name in _REDIRECT_HOOKS:
                    yield from _redirect_hook_hits(file, cls, analysis)

    def _seed_view_params(
        self,
        analysis: FunctionAnalysis,
        function: FunctionNode,
        is_view: bool,
        routed: dict[str, bool] | None = None,
    ) -> None:
        """A view's parameters after `request` are URL captures: request data unless safe.

        A routed view's parameters are tainted when their converter lets any
        text through (`<str:...>`, `<path:...>`); parameters no route captures
        are defaults, not request data. Unrouted views fall back to the
        annotation (`pk: int` is safe).
        """
        if not is_view:
            return
        args = function.args
        names = [arg for arg in args.posonlyargs + args.args if arg.arg not in {"self", "cls"}]
        if not names or names[0].arg not in {"request", "req"}:
            return
        captured = names[1:] + args.kwonlyargs
        open_params = [name for name, safe in (routed or {}).items() if not safe]
        for arg in captured:
            if routed is not None:
                if routed.get(arg.arg, True):
                    continue
            elif arg.annotation is not None and ast.unparse(arg.annotation) in _SAFE_ANNOTATIONS:
                continue
            message = f"URL parameter `{arg.arg}`: data from the HTTP request"
            # One read of the request, as a field read is (see `values.ONE_SOURCE`).
            analysis.env[arg.arg] = Taint((analysis.step(arg, message),), safe_for=ONE_MARKS)
        if args.kwarg is not None and (routed is None or open_params):
            message = f"URL parameters `**{args.kwarg.arg}`: data from the HTTP request"
            # The URLconf names the keys; only the values come from the client.
            step = analysis.step(args.kwarg, message)
            analysis.env[args.kwarg.arg] = Taint((step,), safe_for=frozenset({"mass"}))

    # Resolver -------------------------------------------------------------

    def summarise_call(
        self, call: ast.Call, caller: FunctionAnalysis
    ) -> tuple[Summary, list[str]] | None:
        """The summary of a project function called at `call`, or None."""
        target = self.callee(call, caller)
        if target is None:
            return None
        file, function = target
        key = (file.rel, id(function))
        recording = self._recording
        if key in self._summaries:
            found = self._summaries[key]
            if recording is not None and key not in recording.made:
                recording.used[key] = found
            return found
        if key in self._stack or len(self._stack) >= MAX_DEPTH:
            return None
        self._stack.append(key)
        try:
            result = self._summarise(file, function)
        finally:
            self._stack.pop()
        self._summaries[key] = result
        if recording is not None:
            recording.made[key] = result
        return result

    def _summarise(self, file: SourceFile, function: FunctionNode) -> tuple[Summary, list[str]]:
        info = self.info(file)
        owner = info.owner.get(id(function))
        args = function.args
        params = list(args.posonlyargs + args.args)
        if owner is not None and params and params[0].arg in {"self", "cls"}:
            params = params[1:]
        analysis = FunctionAnalysis(
            file,
            function,
            self,
            in_class_view=owner is not None and is_class_view(owner, info.methods(owner)),
        )
        for position, arg in enumerate(params):
            step = analysis.step(arg, f"parameter `{arg.arg}` of `{function.name}()`")
            analysis.env[arg.arg] = Taint(
                (step,), frozenset({position}), from_request=False, safe_for=ONE_MARKS
            )
        analysis.run()
        return analysis.summary, [arg.arg for arg in params]

    def callee(
        self, call: ast.Call, caller: FunctionAnalysis
    ) -> tuple[SourceFile, FunctionNode] | None:
        """The project function a call inside `caller` runs (a local function first), or None."""
        func = call.func
        if isinstance(func, ast.Name) and func.id in caller.local_functions:
            return caller.file, caller.local_functions[func.id]
        return self.callee_of(caller.file, call, caller.node)

    def callee_of(
        self, file: SourceFile, call: ast.Call, enclosing: FunctionNode | None
    ) -> tuple[SourceFile, FunctionNode] | None:
        """The project function or method a call in `file` (inside `enclosing`) runs, or None.

        A bare name is looked up in the module, then through its imports in
        the project; `self.name(...)` in the class that owns `enclosing`.
        """
        info = self.info(file)
        func = call.func
        if isinstance(func, ast.Name) and func.id in info.functions:
            return file, info.functions[func.id]
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "self"
        ):
            owner = info.owner.get(id(enclosing)) if enclosing is not None else None
            method = info.methods(owner).get(func.attr) if owner is not None else None
            return (file, method) if method is not None else None
        name = dotted_name(func)
        if name is None or not info.module:
            return None
        key = (info.module, name)
        if key not in self._names:
            self._names[key] = self._function_named(self.model.resolve_name(*key))
        return self._names[key]

    def builds_plain_object(self, file: SourceFile, call: ast.Call) -> bool:
        """Whether `call` constructs a project class that cannot be a Django model.

        Every ancestor is a project class or a known non-model root (pydantic's
        `BaseModel`, `NamedTuple`, `TypedDict`): `DocumentInputItem(**doc)` only
        fills a data object. A base outside the project that is none of these
        could be a model and keeps the call a sink.
        """
        info = self.info(file)
        if isinstance(call.func, ast.Name) and call.func.id in info.classes:
            return self._plain_here(file, info, info.classes[call.func.id], set())
        name = dotted_name(call.func)
        if name is None or not info.module:
            return False
        qualified = self.model.resolve_name(info.module, name)
        return qualified is not None and self._plain_class(qualified, set())

    def _plain_here(
        self, file: SourceFile, info: FunctionTable, cls: ast.ClassDef, seen: set[str]
    ) -> bool:
        """A class of `file` itself: its bases by the file's own classes and imports."""
        if cls.name in seen:
            return False
        seen.add(cls.name)
        imports = module_names(file.tree) if file.tree else {}
        for base in cls.bases:
            name = dotted_name(base)
            if name is None:
                return False
            if name in info.classes:
                if not self._plain_here(file, info, info.classes[name], seen):
                    return False
                continue
            head, _, rest = name.partition(".")
            qualified = imports.get(head, name if head in {"object"} else "")
            qualified = f"{qualified}.{rest}" if rest and qualified else qualified
            if not qualified or not self._plain_class(qualified, set()):
                return False
        return True

    def _plain_class(self, qualified: str, seen: set[str]) -> bool:
        if qualified in _NON_MODEL_ROOTS:
            return True
        found = self.model.classes.get(qualified)
        if found is None or qualified in seen:
            return False
        seen.add(qualified)
        bases = self.model.classes.bases(qualified)
        return len(bases) == len(found[1].bases) and all(
            self._plain_class(base, seen) for base in bases
        )

    def _function_named(self, qualified: str | None) -> tuple[SourceFile, FunctionNode] | None:
        """The project function a qualified name (`blog.helpers.build_query`) refers to."""
        if qualified is None:
            return None
        module_name, _, function_name = qualified.rpartition(".")
        module = self.model.modules.get(module_name)
        if module is None or module.file.rel not in self.project.by_rel:
            return None
        function = self.info(module.file).functions.get(function_name)
        return (module.file, function) if function is not None else None


# Classes a constructor call fills with data that no Django model inherits from.
_NON_MODEL_ROOTS = frozenset(
    {
        "pydantic.BaseModel",
        "pydantic.main.BaseModel",
        "typing.NamedTuple",
        "typing.TypedDict",
        "typing_extensions.TypedDict",
        "object",
        "builtins.object",
    }
)


def _may_read_request(file: SourceFile, function: FunctionNode, in_class_view: bool) -> bool:
    """A cheap text test: functions that never name the request cannot read it as an entry point."""
    text = file.text_of_lines(function.lineno, function.end_lineno or function.lineno)
    if "request" in text or "req." in text:
        return True
    return in_class_view and ("self.kwargs" in text or "self.args" in text)


def _is_function_view(file: SourceFile, function: FunctionNode) -> bool:
    """A module-level function that looks like a view: in a views module or view-decorated."""
    stem = file.rel.rsplit("/", 1)[-1]
    if (
        stem.startswith(("views", "api"))
        or "/views/" in f"/{file.rel}"
        or "/api/" in f"/{file.rel}"
    ):
        return True
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in _VIEW_DECORATORS:
            return True
    return False


def is_class_view(cls: ast.ClassDef, methods: dict[str, FunctionNode]) -> bool:
    """A class-based view: a *View/*ViewSet base, or HTTP-method handlers."""
    for base in cls.bases:
        name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
        if name.endswith(("View", "ViewSet", "APIView", "Mixin")):
            return True
    return (
        bool(_VIEW_METHODS & set(methods))
        and "dispatch" in methods
        or {"get", "post"} <= set(methods)
    )


def _redirect_hook_hits(
    file: SourceFile, cls: ast.ClassDef, analysis: FunctionAnalysis
) -> Iterator[Hit]:
    """A view's `get_success_url()` returning request data: Django redirects to it.

    Not when the class calls `self.<hook>()` itself: that call site passes the
    value on (to `redirect()`, a template) and the flow is judged there, once.
    """
    name = analysis.node.name
    if _calls_own_hook(cls, name, analysis.node):
        return
    for stmt, value in analysis.tainted_returns:
        if stmt.value is None or not value.reaches("redirect"):
            continue
        # The redirect happens in Django's code: the `return` is where the URL leaves ours.
        call = ast.copy_location(ast.Call(func=stmt.value, args=[], keywords=[]), stmt)
        what = f"{cls.name}.{name}(){REDIRECT_HOOK}"
        sink = Sink("redirect", call, stmt.value, what)
        step = analysis.step(stmt, f"returned from `{name}()`, which Django redirects to")
        yield analysis.hit(sink, value, step)


def _calls_own_hook(cls: ast.ClassDef, name: str, definition: ast.AST) -> bool:
    """Whether the class calls `self.<name>()` outside the hook's own definition."""
    inside = {id(node) for node in ast.walk(definition)}
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == name
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "self"
        and id(node) not in inside
        for node in ast.walk(cls)
    )
