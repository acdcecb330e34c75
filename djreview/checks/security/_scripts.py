"""Operator code: scripts and management commands, and modules only commands import."""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from djreview.project.modules import ModuleInfo, resolve_relative
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.source.test_code import skipped


def stand_alone_script(file: SourceFile, project: Project) -> bool:
    """A module ending with `if __name__ == "__main__":` that no project module imports."""
    tree = file.tree
    if tree is None or not tree.body or not _is_main_guard(tree.body[-1]):
        return False
    model = project.analysis(ProjectModel)
    info = model.module_for(file)
    if info is None:
        # Not a module of its own (a name no import can spell), or one whose name an
        # earlier path took: only the first cannot be imported.
        return not PurePosixPath(file.rel).stem.isidentifier()
    return not importers(model, info)


def operator_command(file: SourceFile, project: Project) -> bool:
    """A management command module, or a module that only management commands import.

    Tests aside, every project module importing it must be a command (at least one).
    """
    if _is_command(file.rel):
        return True
    model = project.analysis(ProjectModel)
    info = model.module_for(file)
    found = importers(model, info) if info is not None else []
    return bool(found) and all(_is_command(other.rel) for other in found)


def importers(model: ProjectModel, info: ModuleInfo) -> list[ModuleInfo]:
    """The project modules (tests aside) that import `info` or name it in a dotted string."""
    short = info.name.rpartition(".")[2]
    return [
        other
        for other in model.modules.values()
        if other.rel != info.rel
        and not skipped(other.rel)
        and short in other.file.text
        and imports_module(other, info.name)
    ]


def _is_command(rel: str) -> bool:
    """`<app>/management/commands/<name>.py`, the module `manage.py <name>` runs."""
    path = PurePosixPath(rel)
    return path.parent.parts[-2:] == ("management", "commands") and path.stem != "__init__"


def _is_main_guard(statement: ast.stmt) -> bool:
    test = statement.test if isinstance(statement, ast.If) else None
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def imports_module(importer: ModuleInfo, module: str) -> bool:
    """Whether `importer` imports `module` (anywhere in it) or names it in a dotted string."""
    if "." in module and module in importer.file.text:
        return True
    tree = importer.file.tree
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = (
                resolve_relative(importer.package, node.module, node.level)
                if node.level
                else node.module or ""
            )
            names = [source, *(f"{source}.{alias.name}" for alias in node.names)]
        else:
            continue
        if any(found == module or found.startswith(f"{module}.") for found in names):
            return True
    return False
