"""DJR304: PyYAML's load() without a safe loader."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from djreview.checks.security._resolved import ModuleCheck, argument, resolved_calls
from djreview.model import Finding, Severity
from djreview.project.modules import dotted_name
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.names import imported_names, qualified_callee

_LOADS = frozenset({"yaml.load", "yaml.load_all"})
_SAFE_LOADERS = frozenset(
    {f"yaml.{name}" for name in ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")}
)
# Since PyYAML 5.4 (January 2021, the fix of CVE-2020-14343) the full loader builds no
# objects: the python/object, object/new, object/apply and module tags are registered on
# UnsafeConstructor only; FullConstructor keeps plain containers and python/name lookups.
_FULL_LOADERS = frozenset({"yaml.FullLoader", "yaml.CFullLoader"})
# What lets a project loader build objects: PyYAML's python/ tags and constructors, a
# prefix-dispatched constructor, or the class naming code to import or run.
_OBJECT_MAKERS = frozenset(
    {
        "add_multi_constructor",
        "UnsafeConstructor",
        "FullConstructor",
        "Constructor",
        "UnsafeLoader",
        "FullLoader",
        "Loader",
        "eval",
        "exec",
        "__import__",
        "import_module",
        "import_string",
        "locate",
    }
)
# Where a project pins its dependencies, relative to the project root.
_PIN_FILES = ("requirements*.txt", "requirements/*.txt", "requirements/*.in", "*.in")
_PIN_FILES_NAMED = ("pyproject.toml", "setup.py", "setup.cfg", "Pipfile")
# `PyYAML==5.3.1`, `pyyaml<5.4`, `"pyyaml ~= 5.1"`: an upper bound or an exact version.
_PIN = re.compile(r"\bpyyaml\b\s*(?:\[[^\]]*\])?\s*(==|<=|<|~=)\s*([0-9][0-9.]*)", re.I)


class YamlLoadUnsafe(ModuleCheck):
    """`yaml.load()` / `yaml.load_all()` without a safe loader.

    ## What it does
    Flags PyYAML's `yaml.load()` and `yaml.load_all()` called without
    `Loader=SafeLoader` (or `CSafeLoader`, `BaseLoader`, `CBaseLoader`),
    whatever the data. Callee and loader are resolved through the module's
    imports: `from yaml import load as yload` and `import yaml as y` count,
    and so does a loader imported by name (`from yaml import SafeLoader`).

    A project's own loader class counts as safe (resolved across modules;
    awx's `class Loader(yaml.SafeLoader)` adding an `!include` tag) when
    every base it reaches outside the project is a safe loader and neither
    it nor its project bases (nor the module functions registered as their
    constructors) add a `python/` tag, a `construct_python_*` constructor,
    a multi-constructor, or name the unsafe loaders, `eval`, `exec` or an
    import function. Any other project loader is reported.

    `Loader=FullLoader` (or `CFullLoader`) is not reported either: since
    PyYAML 5.4 (2021) the full loader constructs no objects (the
    `python/object`, `object/new`, `object/apply` and `python/module` tags
    belong to the unsafe loader only), so it cannot run the document's code.
    It is reported when the project pins PyYAML below 5.4
    (`requirements*.txt`, `pyproject.toml`, `setup.py`, `setup.cfg`,
    `Pipfile` at its root), where those tags were still honoured. On
    treeherder the one finding was such a load of the repository's own
    schema files.

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
    uses = (ProjectModel,)
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
            chosen = qualified_callee(loader, names) if loader is not None else ""
            if chosen in _SAFE_LOADERS:
                continue
            if loader is not None and _safe_project_loader(project, file, loader):
                continue
            if chosen in _FULL_LOADERS and not _pins_old_pyyaml(project.root):
                continue
            yield self.finding((file, found.call), function=found.name.rsplit(".", 1)[-1])


def _safe_project_loader(project: Project, file: SourceFile, loader: ast.expr) -> bool:
    """A project class built only on PyYAML's safe loaders that adds no object tag."""
    model = project.analysis(ProjectModel)
    module = model.module_for(file)
    spelled = dotted_name(loader)
    qualified = model.resolve_name(module.name, spelled) if module and spelled else None
    if qualified is None or model.classes.get(qualified) is None:
        return False
    outside: set[str] = set()
    for name in model.classes.linearize(qualified):
        found = model.classes.get(name)
        if found is None:
            return False
        info, node = found
        bases = model.classes.bases(name)
        if len(bases) != len(node.bases) or _makes_objects(info.file.tree, node):
            return False  # a base we cannot resolve, or a way to build objects
        outside.update(base for base in bases if model.classes.get(base) is None)
    return bool(outside) and all(_canonical(base) in _SAFE_LOADERS for base in outside)


def _canonical(qualified: str) -> str:
    """`yaml.loader.SafeLoader` and `yaml.cyaml.CSafeLoader` as `yaml.SafeLoader`/`CSafeLoader`."""
    return f"yaml.{qualified.rpartition('.')[2]}" if qualified.startswith("yaml.") else qualified


def _makes_objects(tree: ast.Module | None, cls: ast.ClassDef) -> bool:
    """The class, a module-level statement naming it, or a module function such a statement
    registers (`Loader.add_constructor("!obj", make_object)`), can make it build objects."""
    body = tree.body if tree is not None else []
    functions = {
        statement.name: statement
        for statement in body
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    nodes: list[ast.AST] = [cls]
    for statement in body:
        if not isinstance(statement, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and any(
            isinstance(n, ast.Name) and n.id == cls.name for n in ast.walk(statement)
        ):
            nodes.append(statement)
    for top in list(nodes):
        nodes.extend(
            functions[n.id]
            for n in ast.walk(top)
            if isinstance(n, ast.Name) and n.id in functions and functions[n.id] not in nodes
        )
    for node in (inner for top in nodes for inner in ast.walk(top)):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "python/" in node.value
        ):
            return True
        if isinstance(node, ast.Name) and node.id == cls.name:
            continue  # the class itself (awx's own loader is named `Loader`)
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
        if isinstance(name, str) and (name in _OBJECT_MAKERS or "construct_python" in name):
            return True
    return False


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


@cache
def _pins_old_pyyaml(root: Path) -> bool:
    """Whether the project's dependency files allow only a PyYAML older than 5.4."""
    files = [path for pattern in _PIN_FILES for path in root.glob(pattern)]
    files += [root / name for name in _PIN_FILES_NAMED]
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for operator, version in _PIN.findall(text):
            if _below_5_4(operator, version):
                return True
    return False


def _below_5_4(operator: str, version: str) -> bool:
    """Whether the requirement `pyyaml <operator> <version>` rules out every release >= 5.4."""
    parts = tuple(int(part) for part in version.split(".") if part.isdigit())
    if operator == "~=":
        # `~=5.3.1` allows 5.3.x, `~=5.3` allows 5.x: compare the fixed prefix.
        prefix = parts[:-1] or parts
        return prefix[0] < 5 if len(prefix) == 1 else prefix[:2] < (5, 4)
    if operator == "<":
        return (parts + (0, 0, 0))[:3] <= (5, 4, 0)
    return (parts + (0, 0))[:2] < (5, 4)
