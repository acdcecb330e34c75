"""The package graph of djreview has no cycle, and the module names do not collide.

The graph is read from the code: every `import` and `from ... import`, at
module level, inside functions and under `if TYPE_CHECKING:` alike, since a
type-only import is still a dependency a reader must follow.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import djreview

PACKAGE = Path(djreview.__file__).parent
# Same role in each package: the whole-project analysis it memoises on the
# project (`project.analysis(NPlusOne)`, `IndexAnalysis`, `TaintAnalysis`);
# and the AI step's settings beside the analysed project's Django settings.
SAME_NAME_ALLOWED = {"analysis.py", "settings.py"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(source: str, name: str, is_package: bool = False) -> set[str]:
    """The djreview modules the code of module `name` imports, wherever the import is."""
    base = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - node.level + 1]
                module = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            # `from djreview.engine import parallel` depends on the submodule.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {item for item in found if item == "djreview" or item.startswith("djreview.")}


def _layer(module: str) -> str:
    """The package (or top-level module) of a module: `djreview.engine.cache` -> `engine`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "djreview"


def package_graph() -> dict[str, set[str]]:
    """Top-level package (or top-level module) -> the ones it imports."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        code = path.read_text(encoding="utf-8")
        source = _layer(name)
        targets = {_layer(item) for item in imported(code, name, path.name == "__init__.py")}
        targets -= {source, "djreview"}
        graph.setdefault(source, set()).update(targets)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of `graph` as a path, or [] when it is acyclic."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_cycle_finder_reports_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_type_checking_and_function_level_imports_count() -> None:
    code = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from djreview.source.project import Project\n"
        "def run():\n"
        "    from djreview.engine import parallel\n"
        "    from . import base\n"
    )
    found = imported(code, "djreview.checks.example")
    assert "djreview.source.project" in found
    assert "djreview.engine.parallel" in found
    assert "djreview.checks.base" in found


def test_packages_import_each_other_without_cycles() -> None:
    cycle = _cycle(package_graph())
    assert not cycle, "package import cycle: " + " -> ".join(cycle)


def test_no_two_modules_share_a_confusable_name() -> None:
    names = Counter(path.name for path in PACKAGE.rglob("*.py") if path.name != "__init__.py")
    shared = {name for name, count in names.items() if count > 1}
    assert shared <= SAME_NAME_ALLOWED, sorted(shared - SAME_NAME_ALLOWED)
