"""DJR325: pickle-family deserialisation of data that did not come from this process."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TypeGuard

from djreview.checks.security._codec_callers import callers_pass_own_rows
from djreview.checks.security._model_values import class_defining
from djreview.checks.security._pickled_fields import own_pickled_field
from djreview.checks.security._resolved import (
    ModuleCheck,
    ResolvedCall,
    assigned_values,
    resolved_calls,
    shown,
)
from djreview.checks.security._scripts import stand_alone_script
from djreview.model import Finding, Severity
from djreview.project.modules import dotted_name
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis
from djreview.taint.names import imported_names, qualified_callee
from djreview.taint.sources import request_source

_LIBRARIES = ("pickle", "_pickle", "cPickle", "dill", "cloudpickle")
# Every loader, by qualified name, with the dumper whose output it may safely read back.
_LOADERS = {
    **{f"{lib}.{fn}": f"{lib}.dumps" for lib in _LIBRARIES for fn in ("loads", "load")},
    **{f"{lib}.Unpickler": f"{lib}.dumps" for lib in _LIBRARIES},
    "jsonpickle.decode": "jsonpickle.encode",
    "jsonpickle.loads": "jsonpickle.dumps",
    "shelve.open": "",
    "shelve.DbfilenameShelf": "",
}
_NETWORK = frozenset({"recv", "recvfrom", "urlopen", "content", "body", "json"})
_CACHES = frozenset({"cache", "caches", "redis", "memcache", "client", "conn", "connection"})


class PickleLoadOfExternalData(ModuleCheck):
    """Data read from a file, a cache, the network or a caller is unpickled.

    ## What it does
    Flags `pickle.loads/load`, `pickle.Unpickler`, the same of `_pickle`,
    `cPickle`, `dill` and `cloudpickle`, `jsonpickle.decode/loads` and
    `shelve.open` (callees resolved through the imports: `import pickle as
    p` counts, a `loads` from another library does not), and says where the
    data comes from (request data the taint engine does not follow, a file,
    a cache, the network, a parameter).

    It deliberately does not report a literal, nor a round trip inside one
    function (`pickle.loads(pickle.dumps(x))`, a deep copy), request data reaching
    the call (DJR309, unsafe-deserialization, reports that at error level;
    one call is never reported by both), nor tests and migrations.

    Nor does it report the process reading back its own storage:
    - `pickle.load()` of a file opened with the same path expression (the
      same `self.attr` in the same class, or the same module-level
      expression) that the module also opens for `pickle.dump()`: a cache
      file the code writes and reads itself;
    - a load in a model field's `from_db_value` / `to_python` when the same
      field's `get_prep_value` / `get_db_prep_value` pickles (directly or
      through a module function that dumps), or in a module function only
      such hooks call (a `decode(value)` codec): the database hands back
      what the field stored;
    - a module codec (a function that only loads its parameter, possibly
      converted, `loads(to_bytes(data))`, beside a function of the same
      module that dumps) judged at its callers: every call of it, found by
      resolved name in every module but tests, or of a module function that
      only hands its own parameter on to it (up to three levels), passes a
      value read from a project model's manager (`ServerConfig.objects.conf(
      key)`, through local names, loops over it, literals or the codec's own
      output of it). Any other caller (a protocol handler's parameter, a
      socket, a cache), a codec nobody calls, or its name passed around
      uncalled keeps the finding, at the codec's `loads`;
    - a load of a plain field of a project model (`self.f` in the model, or
      a row from its manager), encoders aside (`b64decode`, `.encode()`),
      when every write of a field of that name in the project is the
      matching `dumps()` (tendenci's `settings_pickled`) and no admin, form
      or serializer lets users write it. One other write keeps the finding.

    Nor does it report `pickle.load()` of a file the same function opens
    with `open(...)` in a stand-alone script: a module that ends with an
    `if __name__ == "__main__":` block and that no project module (tests
    aside) imports, the notion DJR608 (secret-in-log) uses. Such a script
    runs only when an operator starts it, on a file on that operator's disk
    (a training script reading back its vocabulary): whoever can replace
    the file can already edit the script. The same script unpickling what it
    fetches over the network, reads from a socket or from stdin, and any
    load in a module the project imports, are reported.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR325` switches it on): most `loads` of data the process did not make
    read a file or field the project itself wrote (model files, caches, a
    pickle fallback for old rows); on the projects judged before any tuning
    1 of 11 was a defect, and 2 of 12 after every fix so far. The criterion
    of DJR502/DJR503/DJR608 (session 12), re-applied with two more fresh
    sets.

    ## Why is this bad?
    Unpickling calls whatever constructors the data names. Whoever can write
    the file, the cache entry or the message (another service, a shared
    Redis, an upload stored on disk) can run code in this process.

    ## Example
    ```python
    def load_model(path):
        with open(path, "rb") as f:
            return pickle.load(f)
    ```

    ## Use instead
    Store JSON (or another data-only format); if pickle is needed, sign the
    bytes (`django.core.signing`, `hmac`) and check the signature first.

    ## References
    - https://docs.python.org/3/library/pickle.html
    - https://cwe.mitre.org/data/definitions/502.html
    """

    uses = (TaintAnalysis, ProjectModel)
    id = "DJR325"
    name = "pickle-load-of-external-data"
    message = (
        "`{callee}` deserialises {origin}; unpickling runs the code the data names, so "
        "whoever can write it can run code here: use JSON, or sign the bytes"
    )
    severity = Severity.WARNING
    cwe = (502,)
    security_severity = 7.5
    precision = "low"
    tags = ("injection", "deserialization", "audit")
    enabled_by_default = False
    hints = ("pickle", "Pickle", "dill", "shelve")

    def module_findings(
        self, file: SourceFile, project: Project, tree: ast.Module
    ) -> Iterator[Finding]:
        """Findings in one module."""
        names = imported_names(tree)
        taint = project.analysis(TaintAnalysis)
        for resolved in resolved_calls(tree, names):
            if resolved.name not in _LOADERS:
                continue
            call = resolved.call
            data = call.args[0] if call.args else None
            if data is not None and _round_trip(
                data, resolved.scope, _LOADERS[resolved.name], names
            ):
                continue
            if data is not None and _own_storage(file, project, tree, resolved, data, names):
                continue
            if data is not None and _local_file_in_script(file, project, resolved, data):
                continue
            if taint.hit_at(file, call, "deserialize") is not None:
                continue
            yield self.finding(
                (file, call), callee=shown(resolved.name), origin=_origin(data, resolved.scope)
            )


def _round_trip(data: ast.expr, scope: ast.AST, dumper: str, names: dict[str, str]) -> bool:
    """Whether `data` is a literal, or the output of the matching dumps() in this function."""
    if isinstance(data, ast.Constant):
        return True
    values = assigned_values(scope, data.id) if isinstance(data, ast.Name) else [data]
    return (
        bool(dumper)
        and bool(values)
        and all(
            isinstance(value, ast.Call) and qualified_callee(value.func, names) == dumper
            for value in values
        )
    )


def _own_storage(
    file: SourceFile,
    project: Project,
    tree: ast.Module,
    resolved: ResolvedCall,
    data: ast.expr,
    names: dict[str, str],
) -> bool:
    """The module reads back what it stored itself: in its own file, or its own model field."""
    library = resolved.name.rpartition(".")[0]
    if resolved.name.endswith(".load") and library in _LIBRARIES:
        path = _opened_path(data, resolved.call, resolved.scope)
        return path is not None and path in _dumped_paths(tree, resolved.scope, library, names)
    if not resolved.name.endswith(".loads") or library not in _LIBRARIES:
        return False
    scope = resolved.scope
    codecs = _Codecs(tree, f"{library}.dumps", names)
    if codecs.in_field_load(scope):
        return True
    if own_pickled_field(project, file, tree, scope, data, f"{library}.dumps"):
        return True
    if codecs.loads_parameter(scope, data) and callers_pass_own_rows(project, file, scope):
        return True
    if isinstance(scope, ast.FunctionDef) and _used_elsewhere(project, file, scope.name):
        return False  # a wrapper other modules may call: its callers are not all seen here
    return codecs.wrapper_for_fields(scope)


def _used_elsewhere(project: Project, file: SourceFile, name: str) -> bool:
    """Another module refers to the module function `name` (a name it resolves to it)."""
    model = project.analysis(ProjectModel)
    own = model.module_for(file)
    if own is None:
        return True
    target = f"{own.name}.{name}"
    for other in project.python_files:
        if other.rel == file.rel or name not in other.text:
            continue
        info = model.module_for(other)
        if info is None or other.tree is None:
            return True  # imports we cannot read
        for node in ast.walk(other.tree):
            spelled = dotted_name(node) if isinstance(node, ast.Name | ast.Attribute) else None
            if spelled is not None and spelled.rpartition(".")[2] == name:
                resolved = model.resolve_name(info.name, spelled)
                if resolved == target:
                    return True
    return False


def _local_file_in_script(
    file: SourceFile, project: Project, resolved: ResolvedCall, data: ast.expr
) -> bool:
    """`pickle.load()` of a file `open()`ed in the same function, in a stand-alone script."""
    return (
        resolved.name.endswith(".load")
        and resolved.name.rpartition(".")[0] in _LIBRARIES
        and _opened_path(data, resolved.call, resolved.scope) is not None
        and stand_alone_script(file, project)
    )


def _opened_path(handle: ast.expr, call: ast.Call, scope: ast.AST) -> str | None:
    """`P` of the `open(P, ...)` file object `handle` is (`with open(P) as f`, or inline)."""
    opened: ast.expr | None = handle
    if isinstance(handle, ast.Name):
        # The innermost `with ... as handle` around the call.
        opened = None
        for node in ast.walk(scope):
            if isinstance(node, ast.With | ast.AsyncWith) and any(
                child is call for child in ast.walk(node)
            ):
                opened = next(
                    (
                        item.context_expr
                        for item in node.items
                        if isinstance(item.optional_vars, ast.Name)
                        and item.optional_vars.id == handle.id
                    ),
                    opened,
                )
    if not (
        isinstance(opened, ast.Call)
        and isinstance(opened.func, ast.Name)
        and opened.func.id == "open"
        and opened.args
    ):
        return None
    return ast.unparse(opened.args[0])


def _dumped_paths(
    tree: ast.Module, scope: ast.AST, library: str, names: dict[str, str]
) -> set[str]:
    """Paths `library.dump()` writes to in the module, or in `scope`'s class for `self.` paths."""
    owner = class_defining(tree, scope)
    paths: set[str] = set()
    for other in resolved_calls(tree, names):
        if other.name != f"{library}.dump" or len(other.call.args) < 2:
            continue
        path = _opened_path(other.call.args[1], other.call, other.scope)
        if path is None:
            continue
        if path.startswith("self.") and class_defining(tree, other.scope) is not owner:
            continue  # another class's attribute of the same name
        paths.add(path)
    if owner is None:
        return {path for path in paths if not path.startswith("self.")}
    return paths


# A model field's hooks: what the database hands back, and what the field stores.
_FIELD_LOADS = frozenset({"from_db_value", "to_python"})
_FIELD_DUMPS = frozenset({"get_prep_value", "get_db_prep_value", "get_db_prep_save"})


class _Codecs:
    """A module's pickle codec: the calls that dump, and its wrappers around load and dump."""

    def __init__(self, tree: ast.Module, dumper: str, names: dict[str, str]) -> None:
        self.tree = tree
        self.names = names
        self.dumper = dumper
        functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
        # `def dbsafe_encode(value): ... dumps(value)`: a module function that dumps its input.
        self.dump_wrappers = {
            function.name for function in functions if self._calls(function, {dumper})
        }

    def _calls(self, scope: ast.AST, callees: set[str]) -> bool:
        return any(
            qualified_callee(node.func, self.names) in callees
            or (isinstance(node.func, ast.Name) and node.func.id in callees)
            for node in ast.walk(scope)
            if isinstance(node, ast.Call)
        )

    def loads_parameter(self, scope: ast.AST, data: ast.expr) -> TypeGuard[ast.FunctionDef]:
        """`scope` is a module codec: it loads its parameter, and the module has a dumper.

        (`def do_unpickle(data): return loads(to_bytes(data))` beside `do_pickle`.)
        """
        if isinstance(data, ast.Call) and len(data.args) == 1 and not data.keywords:
            data = data.args[0]  # a conversion of the parameter (`to_bytes(data)`)
        return (
            isinstance(scope, ast.FunctionDef)
            and scope in self.tree.body
            and isinstance(data, ast.Name)
            and data.id in {arg.arg for arg in scope.args.args}
            and bool(self.dump_wrappers - {scope.name})
        )

    def wrapper_for_fields(self, scope: ast.AST) -> bool:
        """A module function loading its parameter that only fields' load hooks call.

        (`dbsafe_decode(value)`, called from `from_db_value`.)
        """
        if not (isinstance(scope, ast.FunctionDef) and scope in self.tree.body):
            return False
        uses = [
            node
            for node in ast.walk(self.tree)
            if isinstance(node, ast.Name) and node.id == scope.name
        ]
        callers = [self._function_around(use) for use in uses]
        return bool(callers) and all(
            caller is not None and self.in_field_load(caller) for caller in callers
        )

    def _function_around(self, node: ast.AST) -> ast.FunctionDef | None:
        found: ast.FunctionDef | None = None
        for function in ast.walk(self.tree):
            if isinstance(function, ast.FunctionDef) and any(
                child is node for child in ast.walk(function)
            ):
                found = function  # the innermost: ast.walk visits outer functions first
        return found

    def in_field_load(self, scope: ast.AST) -> bool:
        """`scope` is a model field's load hook, and the field's dump hook runs the dumper.

        What the database hands back is then what the field itself stored.
        """
        if not (isinstance(scope, ast.FunctionDef) and scope.name in _FIELD_LOADS):
            return False
        owner = class_defining(self.tree, scope)
        return owner is not None and any(
            isinstance(item, ast.FunctionDef)
            and item.name in _FIELD_DUMPS
            and self._calls(item, {self.dumper, *self.dump_wrappers})
            for item in owner.body
        )


def _origin(data: ast.expr | None, scope: ast.AST) -> str:
    """Where the data comes from, in words."""
    if data is None:
        return "data"
    values = assigned_values(scope, data.id) if isinstance(data, ast.Name) else []
    words: set[str] = set()
    for value in [data, *values]:
        for node in ast.walk(value):
            source = (
                request_source(node, in_class_view=False) if isinstance(node, ast.expr) else None
            )
            if source:
                return f"request data from `{source}`"
            if isinstance(node, ast.Name):
                words.add(node.id.lower())
            elif isinstance(node, ast.Attribute):
                words.add(node.attr.lower())
    if words & {"open", "read", "read_bytes", "path", "file", "f", "fh", "fp"}:
        return "data read from a file"
    if words & _NETWORK:
        return "data received over the network"
    if words & _CACHES:
        return "a value read from a cache or data store"
    if (
        isinstance(data, ast.Name)
        and isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef)
        and data.id in {arg.arg for arg in scope.args.args + scope.args.kwonlyargs}
    ):
        return f"the caller's `{data.id}`"
    return "data from outside this function"
