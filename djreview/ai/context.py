"""What the model sees about one finding: the flagged code in its scope, and what it refers to.

Only the enclosing function or class (flagged lines marked), the code at the
finding's related locations and flow steps, the model classes the scope names,
and the deterministic fix. Never whole files, never unrelated files. The
trees are the run's shared `ast` trees; nothing is re-parsed.
"""

from __future__ import annotations

import ast
import logging
from dataclasses import dataclass

from djreview.model import Finding, Location
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project

log = logging.getLogger("djreview")

MAX_SCOPE_LINES = 80
MAX_MODELS = 3
MAX_MODEL_LINES = 40
RELATED_RADIUS = 3
FLAG = ">> "
PLAIN = "   "


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A delimited piece of project code for the prompt."""

    title: str
    path: str
    first_line: int
    text: str


def node_span(node: ast.AST) -> tuple[int, int]:
    """First and last line of a node, decorators included."""
    decorators = getattr(node, "decorator_list", [])
    start = min([getattr(node, "lineno", 1), *(d.lineno for d in decorators)])
    return start, getattr(node, "end_lineno", None) or start


def enclosing_scope(tree: ast.Module, line: int) -> ast.AST | None:
    """The innermost function or class whose span (decorators included) holds `line`."""
    best: ast.AST | None = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            start, end = node_span(node)
            if start <= line <= end and (best is None or node_span(best)[0] <= start):
                best = node
    return best


def _window(file: SourceFile, start: int, end: int, flagged: set[int], title: str) -> CodeBlock:
    lines = []
    for number in range(start, end + 1):
        margin = FLAG if number in flagged else PLAIN
        lines.append(margin + file.line_text(number))
    return CodeBlock(title, file.rel, start, "\n".join(lines))


def scope_block(file: SourceFile, location: Location, radius: int | None = None) -> CodeBlock:
    """The enclosing function or class with the flagged lines marked (a window if too long).

    With `radius`, only that many lines either side of the flagged lines (to fit a context).
    """
    flagged = set(range(location.start_line, location.end_line + 1))
    tree = file.tree
    scope = enclosing_scope(tree, location.start_line) if tree is not None else None
    if scope is not None:
        start, end = node_span(scope)
        kind = "class" if isinstance(scope, ast.ClassDef) else "function"
        title = f"enclosing {kind} {getattr(scope, 'name', '')}"
    else:
        start, end, title = location.start_line - 10, location.end_line + 10, "surrounding code"
    if end - start + 1 > MAX_SCOPE_LINES:
        half = MAX_SCOPE_LINES // 2
        start, end = max(start, location.start_line - half), min(end, location.end_line + half)
    if radius is not None:
        start = max(start, location.start_line - radius)
        end = min(end, location.end_line + radius)
    return _window(file, max(start, 1), min(end, len(file.lines)), flagged, title)


def model_classes(project: Project) -> dict[str, tuple[SourceFile, ast.ClassDef]]:
    """The project's own model classes by class name, from the project model."""
    try:
        models = list(project.analysis(ProjectModel).models.values())
    except Exception:  # a broken index costs the prompt its model context, not the review
        log.debug("project model unavailable for AI context", exc_info=True)
        return {}
    found: dict[str, tuple[SourceFile, ast.ClassDef]] = {}
    for info in sorted(models, key=lambda m: m.label):
        file = project.by_rel.get(info.file)
        if info.builtin or info.node is None or file is None:
            continue
        found.setdefault(info.name, (file, info.node))
    return found


def _names(block: CodeBlock) -> set[str]:
    words: set[str] = set()
    for line in block.text.splitlines():
        token = ""
        for char in line + " ":
            if char.isalnum() or char == "_":
                token += char
            elif token:
                words.add(token)
                token = ""
    return words


def _lines(block: CodeBlock) -> set[tuple[str, int]]:
    last = block.first_line + block.text.count("\n")
    return {(block.path, line) for line in range(block.first_line, last + 1)}


def model_blocks(
    models: dict[str, tuple[SourceFile, ast.ClassDef]],
    scope: CodeBlock,
    covered: set[tuple[str, int]],
) -> list[CodeBlock]:
    """The model classes the scope names and no block shows yet (at most MAX_MODELS)."""
    blocks = []
    for name in sorted(_names(scope) & set(models)):
        file, node = models[name]
        start, end = node_span(node)
        inside = file.rel == scope.path and start <= scope.first_line <= end
        if inside or (file.rel, node.lineno) in covered:
            continue
        end = min(end, start + MAX_MODEL_LINES - 1)
        blocks.append(_window(file, start, end, set(), f"model {name}"))
        if len(blocks) == MAX_MODELS:
            break
    return blocks


def related_blocks(
    project: Project, finding: Finding, covered: set[tuple[str, int]]
) -> list[CodeBlock]:
    """The code at each related location and flow step not shown yet, a few lines either side.

    A related location may span a whole class or loop; only its first lines are sent.
    """
    blocks: list[CodeBlock] = []
    places = [(r.location, r.message) for r in finding.related]
    places += [(s.location, f"flow step: {s.message}") for s in finding.flow]
    for location, message in places:
        file = project.by_rel.get(location.path)
        if file is None or (location.path, location.start_line) in covered:
            continue
        start = max(location.start_line - RELATED_RADIUS, 1)
        last = min(location.end_line, location.start_line + RELATED_RADIUS)
        end = min(last + RELATED_RADIUS, len(file.lines))
        flagged = set(range(location.start_line, last + 1))
        block = _window(file, start, end, flagged, message)
        covered |= _lines(block)
        blocks.append(block)
    return blocks


def finding_blocks(
    project: Project, finding: Finding, models: dict[str, tuple[SourceFile, ast.ClassDef]]
) -> list[CodeBlock]:
    """Every code block the prompt for `finding` carries, the flagged scope first.

    `models` is `model_classes(project)`, computed once per run.
    """
    file = project.by_rel.get(finding.location.path)
    if file is None:
        return []
    scope = scope_block(file, finding.location)
    covered = _lines(scope)
    related = related_blocks(project, finding, covered)
    return [scope, *related, *model_blocks(models, scope, covered)]
