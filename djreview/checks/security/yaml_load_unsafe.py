"""DJR304: PyYAML's load() without a safe loader."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from djreview.checks.security._resolved import ModuleCheck, argument, resolved_calls
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.names import imported_names, qualified_callee

_LOADS = frozenset({"yaml.load", "yaml.load_all"})
_SAFE_LOADERS = frozenset(
    {f"yaml.{name}" for name in ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")}
)


class YamlLoadUnsafe(ModuleCheck):
    """`yaml.load()` / `yaml.load_all()` without a safe loader.

    ## What it does
    Flags PyYAML's `yaml.load()` and `yaml.load_all()` called without
    `Loader=SafeLoader` (or `CSafeLoader`, `BaseLoader`, `CBaseLoader`),
    whatever the data. Callee and loader are resolved through the module's
    imports: `from yaml import load as yload` and `import yaml as y` count,
    and so does a loader imported by name (`from yaml import SafeLoader`).

    It deliberately does not report a `load()` on anything that is not the
    PyYAML module: a local variable named `yaml` that holds ruamel's `YAML()`
    object (`yaml = YAML(typ="safe"); yaml.load(s)`; ruamel's unsafe loader
    is DJR327), a `load` imported from another library; nor tests and
    migrations. `yaml.unsafe_load` / `full_load` of request data is DJR309.

    ## Why is this bad?
    PyYAML's full and unsafe loaders build any Python object a document names
    (`!!python/object/apply:os.system`): loading a file or request body someone
    else wrote runs their code.

    ## Example
    ```python
    config = yaml.load(upload.read(), Loader=yaml.Loader)
    ```

    ## Use instead
    ```python
    config = yaml.safe_load(upload.read())
    ```

    ## References
    - https://pyyaml.org/wiki/PyYAMLDocumentation
    """

    id = "DJR304"
    name = "yaml-load-unsafe"
    message = (
        "yaml.{function}() without a safe loader can construct arbitrary Python objects; "
        "use yaml.safe_load()"
    )
    severity = Severity.ERROR
    cwe = (502,)
    security_severity = 8.1
    precision = "high"
    tags = ("injection", "deserialization")
    # Words the rule cannot match without: other files are not parsed for it.
    hints = ("yaml",)

    def module_findings(
        self, file: SourceFile, project: Project, tree: ast.Module
    ) -> Iterator[Finding]:
        """One finding per PyYAML load without a safe loader."""
        names = imported_names(tree)
        for found in resolved_calls(tree, names):
            if found.name not in _LOADS or _local_head(found.call.func, found.scope):
                continue
            loader = argument(found.call, 1, "Loader")
            if loader is not None and qualified_callee(loader, names) in _SAFE_LOADERS:
                continue
            yield self.finding((file, found.call), function=found.name.rsplit(".", 1)[-1])


def _local_head(func: ast.expr, scope: ast.AST) -> bool:
    """`yaml.load()` where the function itself assigns `yaml`: a local, not the module."""
    head = func
    while isinstance(head, ast.Attribute):
        head = head.value
    if not isinstance(head, ast.Name) or isinstance(scope, ast.Module):
        return False
    return any(
        isinstance(node, ast.Name) and node.id == head.id and isinstance(node.ctx, ast.Store)
        for node in ast.walk(scope)
    )
