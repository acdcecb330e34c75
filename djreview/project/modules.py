"""Python modules of the analysed project and the names they bind.

Each file gets a dotted module name (walking up through folders that hold an
`__init__.py`, and namespace folders inside them, as the import system would
from the folder above the top package) and a table of the names its top level
binds: classes, functions, assignments and imports. `NameResolver` follows
those tables across modules: aliases, relative imports, re-exports through
`__init__.py` and star imports.
Only top-level statements are read (plus the bodies of module-level `if` and
`try`, where conditional imports live); nothing is imported or executed.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from djreview.source.file import SourceFile

if TYPE_CHECKING:
    from djreview.source.project import Project


@dataclass
class ModuleInfo:
    """One Python module: its file and the names bound at its top level.

    `imports` maps a local name to the qualified name it was imported as
    (`"m" -> "blog.models"`, `"Post" -> "blog.models.Post"`); `defs` holds the
    classes, functions and assignments defined here; `star_imports` the
    modules imported with `from x import *`, in order.
    """

    name: str
    file: SourceFile
    is_package: bool
    imports: dict[str, str] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    defs: dict[str, ast.AST] = field(default_factory=dict)
    # Explicit `__all__`, when it is a literal list or tuple of strings.
    all_names: tuple[str, ...] | None = None

    @property
    def rel(self) -> str:
        """The file's project-relative path."""
        return self.file.rel

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.name if self.is_package else self.name.rpartition(".")[0]

    def classes(self) -> Iterator[ast.ClassDef]:
        """The classes defined at the top level."""
        return (node for node in self.defs.values() if isinstance(node, ast.ClassDef))


def module_statements(body: Iterable[ast.stmt]) -> Iterator[ast.stmt]:
    """Top-level statements, descending into module-level `if`/`try`/`with` blocks."""
    for node in body:
        if isinstance(node, ast.If):
            yield from module_statements(node.body)
            yield from module_statements(node.orelse)
        elif isinstance(node, ast.Try):
            yield from module_statements(node.body)
            for handler in node.handlers:
                yield from module_statements(handler.body)
            yield from module_statements(node.orelse)
            yield from module_statements(node.finalbody)
        elif isinstance(node, ast.With):
            yield from module_statements(node.body)
        else:
            yield node


def resolve_relative(package: str, module: str | None, level: int) -> str:
    """The absolute module of `from <level dots><module> import ...` inside `package`."""
    parts = package.split(".") if package else []
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    base = ".".join(parts)
    if module:
        return f"{base}.{module}" if base else module
    return base


def record_import(
    node: ast.Import | ast.ImportFrom, package: str, into: dict[str, str]
) -> list[str]:
    """Add the names an import binds to `into`; return the modules it star-imports."""
    stars: list[str] = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                into[alias.asname] = alias.name
            else:
                top = alias.name.partition(".")[0]
                into[top] = top
        return stars
    source = (
        resolve_relative(package, node.module, node.level) if node.level else (node.module or "")
    )
    for alias in node.names:
        if alias.name == "*":
            stars.append(source)
        else:
            into[alias.asname or alias.name] = f"{source}.{alias.name}" if source else alias.name
    return stars


def _all_names(value: ast.expr) -> tuple[str, ...] | None:
    if isinstance(value, ast.List | ast.Tuple) and all(
        isinstance(item, ast.Constant) and isinstance(item.value, str) for item in value.elts
    ):
        return tuple(item.value for item in value.elts)  # type: ignore[attr-defined]
    return None


def _wraps_itself(value: ast.expr, target: ast.expr, defs: dict[str, ast.AST]) -> bool:
    """`view = login_required(view)`: a decorator applied the pre-2.4 way.

    The name still means the function (or class) defined above, as with `@`.
    """
    if not isinstance(target, ast.Name) or not isinstance(value, ast.Call):
        return False
    defined = defs.get(target.id)
    if not isinstance(defined, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return False
    return any(isinstance(arg, ast.Name) and arg.id == target.id for arg in value.args)


def read_module(name: str, file: SourceFile, is_package: bool) -> ModuleInfo:
    """The names `file`'s top level binds (one pass over its top-level statements)."""
    info = ModuleInfo(name=name, file=file, is_package=is_package)
    tree = file.tree
    if tree is None:
        return info
    for node in module_statements(tree.body):
        if isinstance(node, ast.Import | ast.ImportFrom):
            bound: dict[str, str] = {}
            info.star_imports.extend(record_import(node, info.package, bound))
            info.imports.update(bound)
            for local in bound:
                info.defs.pop(local, None)
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            info.defs[node.name] = node
            info.imports.pop(node.name, None)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if _wraps_itself(node.value, target, info.defs):
                    continue
                if isinstance(target, ast.Name):
                    info.defs[target.id] = node
                    info.imports.pop(target.id, None)
                    if target.id == "__all__":
                        info.all_names = _all_names(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            info.defs[node.target.id] = node
            info.imports.pop(node.target.id, None)
    return info


class _PackageDirs:
    """Which folders are packages, cached: regular ones and namespace portions inside them.

    A folder with an `__init__.py` is a regular package. One without, inside a
    package, is a namespace package (PEP 420): `import plane.app.views.user`
    works with no `views/user/__init__.py`. A top-level folder without one is
    not taken for a package: scripts and source roots (`src/`) live there.
    """

    def __init__(self, known_rels: set[str]) -> None:
        self.known = known_rels
        self.cache: dict[str, bool] = {}

    def is_package(self, directory: Path, rel_dir: str) -> bool:
        found = self.cache.get(rel_dir)
        if found is None:
            init_rel = f"{rel_dir}/__init__.py"
            found = init_rel in self.known or (directory / "__init__.py").is_file()
            parent = PurePosixPath(rel_dir).parent
            if not found and str(parent) != "." and parent.name.isidentifier():
                found = self.is_package(directory.parent, parent.as_posix())
            self.cache[rel_dir] = found
        return found


def module_name_for(file: SourceFile, packages: _PackageDirs) -> tuple[str, bool] | None:
    """The dotted module name of a Python file and whether it is a package `__init__`."""
    rel = PurePosixPath(file.rel)
    # Migrations (`0001_initial`) are not identifiers but are still modules Django loads.
    if rel.suffix != ".py" or not rel.stem.replace("_", "a").isalnum():
        return None
    is_package = rel.stem == "__init__"
    parts: list[str] = [] if is_package else [rel.stem]
    directory, rel_dir = file.path.parent, rel.parent
    while (
        str(rel_dir) != "."
        and rel_dir.name.isidentifier()
        and packages.is_package(directory, rel_dir.as_posix())
    ):
        parts.insert(0, rel_dir.name)
        directory, rel_dir = directory.parent, rel_dir.parent
    if not parts:
        return None
    return ".".join(parts), is_package


def build_modules(
    files: Iterable[SourceFile],
    shadowed: dict[str, list[str]] | None = None,
    project: Project | None = None,
) -> dict[str, ModuleInfo]:
    """Every parsed Python file as a ModuleInfo, by dotted name (first path wins).

    Files whose module name an earlier path already took are listed in
    `shadowed` (module name -> their paths): several projects in one tree.
    With `project`, each file's name and table are kept across a server
    session's runs (`Project.per_file`): they depend on the file and, for the
    name, on which files exist.
    """
    python = [file for file in files if file.kind == "python"]
    rels = sorted(file.rel for file in python)
    packages = _PackageDirs(set(rels))
    layout = hashlib.blake2b("\0".join(rels).encode(), digest_size=16).hexdigest()
    modules: dict[str, ModuleInfo] = {}
    for file in python:
        named = (
            project.per_file("module", file, layout, lambda f: _module_of(f, packages))
            if project is not None
            else _module_of(file, packages)
        )
        if named is None:
            continue
        if named.name in modules:
            if shadowed is not None:
                shadowed.setdefault(named.name, []).append(file.rel)
            continue
        modules[named.name] = named
    return modules


def _module_of(file: SourceFile, packages: _PackageDirs) -> ModuleInfo | None:
    named = module_name_for(file, packages)
    return read_module(named[0], file, named[1]) if named is not None else None


class NameResolver:
    """Follows names through imports, re-exports and star imports to where they are defined."""

    def __init__(self, modules: dict[str, ModuleInfo]) -> None:
        self.modules = modules
        self._cache: dict[str, str] = {}
        # Package short name -> the top-level folders holding a package of that name.
        self._roots: dict[str, list[str]] | None = None

    def local(self, module: str, name: str) -> str | None:
        """The qualified name `name` has in `module`'s namespace, or None if unbound there."""
        return self._local(module, name, set())

    def _local(self, module: str, name: str, seen: set[str]) -> str | None:
        info = self.modules.get(module)
        if info is None or module in seen:
            return None
        if name in info.defs:
            return f"{module}.{name}"
        if name in info.imports:
            return info.imports[name]
        seen = seen | {module}
        for star in info.star_imports:
            star_info = self.modules.get(star)
            if star_info is None or name.startswith("_"):
                continue
            if star_info.all_names is not None and name not in star_info.all_names:
                continue
            found = self._local(star, name, seen)
            if found is not None:
                return found
        if info.is_package and f"{module}.{name}" in self.modules:
            return f"{module}.{name}"
        return None

    def canonical(self, qualified: str) -> str:
        """Where `qualified` is really defined: `blog.Post` -> `blog.models.Post` if re-exported.

        Names outside the project (django.db.models.Model) come back unchanged.
        """
        cached = self._cache.get(qualified)
        if cached is None:
            cached = self._canonical(qualified, 0)
            self._cache[qualified] = cached
        return cached

    def _canonical(self, qualified: str, depth: int) -> str:
        if depth > 20:
            return qualified
        parts = qualified.split(".")
        for cut in range(len(parts), 0, -1):
            module = ".".join(parts[:cut])
            if module not in self.modules:
                continue
            if cut == len(parts):
                return qualified
            attribute, rest = parts[cut], parts[cut + 1 :]
            target = self.local(module, attribute)
            if target is None or target == f"{module}.{attribute}":
                return qualified
            return self._canonical(".".join([target, *rest]), depth + 1)
        rooted = self._under_source_root(parts[0])
        if rooted is not None:
            return self._canonical(f"{rooted}.{qualified}", depth + 1)
        return qualified

    def _under_source_root(self, top: str) -> str | None:
        """`apps` for `homepage` when `apps/homepage/` is the only project package so named.

        Old layouts put a folder on `sys.path` (`sys.path.insert(0, "apps")`) and
        import its packages by their short names; a name no top-level module
        takes is looked for one folder down.
        """
        if self._roots is None:
            self._roots = {}
            for name, info in self.modules.items():
                root, _, short = name.rpartition(".")
                if info.is_package and root and "." not in root:
                    self._roots.setdefault(short, []).append(root)
        found = self._roots.get(top, [])
        return found[0] if len(found) == 1 and top not in self.modules else None

    def resolve(self, module: str, dotted: str) -> str | None:
        """The canonical qualified name of `dotted` (`m.Post`) as written in `module`."""
        head, _, rest = dotted.partition(".")
        target = self.local(module, head)
        if target is None:
            return None
        return self.canonical(f"{target}.{rest}" if rest else target)


def dotted_name(expr: ast.expr) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if isinstance(expr, ast.Name):
        parts.append(expr.id)
        return ".".join(reversed(parts))
    return None
