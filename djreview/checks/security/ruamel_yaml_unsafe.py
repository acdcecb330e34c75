"""DJR327: ruamel.yaml's unsafe loader."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from djreview.checks.security._resolved import ModuleCheck, keyword, qualified, resolved_calls
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.names import imported_names

_UNSAFE_LOADERS = frozenset({"ruamel.yaml.Loader", "ruamel.yaml.UnsafeLoader"})


class RuamelYamlUnsafe(ModuleCheck):
    """ruamel.yaml is asked for its unsafe loader, which builds any Python object.

    ## What it does
    Flags, resolved through the imports, `ruamel.yaml.YAML(typ="unsafe")`
    (also in a list of types), `ruamel.yaml.unsafe_load()`, and
    `ruamel.yaml.load()` / `load_all()` with `Loader=ruamel.yaml.Loader` or
    `UnsafeLoader`. PyYAML's `yaml.load()` is DJR304 (yaml-load-unsafe).

    It deliberately does not report `YAML()` with the default round-trip
    type or `typ="safe"` / `"rt"` / `"base"` (they construct only plain
    data), nor PyYAML calls on a local variable that holds a ruamel `YAML()`
    object (`yaml = YAML(); yaml.load(s)` is the safe round-trip loader),
    nor tests and migrations.

    ## Why is this bad?
    The unsafe loader honours tags such as `!!python/object/apply:os.system`:
    loading a document someone else wrote runs their code.

    ## Example
    ```python
    config = YAML(typ="unsafe").load(upload.read())
    ```

    ## Use instead
    ```python
    config = YAML(typ="safe").load(upload.read())
    ```

    ## References
    - https://yaml.readthedocs.io/en/latest/basicuse/
    - https://cwe.mitre.org/data/definitions/502.html
    """

    id = "DJR327"
    name = "ruamel-yaml-unsafe"
    message = '{what} constructs any Python object a document names; use YAML(typ="safe")'
    severity = Severity.ERROR
    cwe = (502,)
    security_severity = 8.1
    precision = "high"
    tags = ("injection", "deserialization")
    hints = ("ruamel",)

    def module_findings(
        self, file: SourceFile, project: Project, tree: ast.Module
    ) -> Iterator[Finding]:
        """Findings in one module."""
        names = imported_names(tree)
        for resolved in resolved_calls(tree, names):
            what = _unsafe(resolved.call, resolved.name, names)
            if what:
                yield self.finding((file, resolved.call), what=what)


def _unsafe(call: ast.Call, name: str, names: dict[str, str]) -> str:
    if name == "ruamel.yaml.YAML":
        typ = keyword(call, "typ")
        kinds = typ.elts if isinstance(typ, ast.List | ast.Tuple) else [typ]
        if any(isinstance(k, ast.Constant) and k.value == "unsafe" for k in kinds):
            return 'YAML(typ="unsafe")'
    elif name == "ruamel.yaml.unsafe_load":
        return "ruamel.yaml.unsafe_load()"
    elif name in {"ruamel.yaml.load", "ruamel.yaml.load_all"}:
        loader = keyword(call, "Loader")
        if loader is None and len(call.args) > 1:
            loader = call.args[1]
        if loader is not None and qualified(loader, names) in _UNSAFE_LOADERS:
            return f"{name}() with {qualified(loader, names)}"
    return ""
