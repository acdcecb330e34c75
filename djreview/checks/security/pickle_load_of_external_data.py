"""DJR325: pickle-family deserialisation of data that did not come from this process."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from djreview.checks.security._resolved import ModuleCheck, assigned_values, resolved_calls, shown
from djreview.model import Finding, Severity
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

    uses = (TaintAnalysis,)
    id = "DJR325"
    name = "pickle-load-of-external-data"
    message = (
        "`{callee}` deserialises {origin}; unpickling runs the code the data names, so "
        "whoever can write it can run code here: use JSON, or sign the bytes"
    )
    severity = Severity.WARNING
    cwe = (502,)
    security_severity = 7.5
    precision = "medium"
    tags = ("injection", "deserialization")
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
