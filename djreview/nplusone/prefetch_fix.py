"""N+1 fixes: add or extend select_related/prefetch_related/only at the queryset origin.

Edits are insertions computed from the `ast` positions of the origin
expression, so the user's formatting is kept byte for byte; the edited file
is parsed again and a fix that would not parse is dropped.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable

from djreview.fix.apply import FixError, apply_edits
from djreview.model import Applicability, Edit, Fix, Location
from djreview.nplusone.querysets import Origin
from djreview.source.code_style import style_for
from djreview.source.file import SourceFile

# The queryset methods a fix may add, in the order they are chained.
METHODS = ("select_related", "prefetch_related", "only")


def _quoted(names: Iterable[str], quote: str = '"') -> str:
    return ", ".join(f"{quote}{name}{quote}" for name in names)


# A statement whose whole value the fix may wrap in parentheses to keep lines short.
_WRAPPABLE_PREFIX = re.compile(r"^\s*(?:return|yield|[\w.]+(?:\s*:\s*[^=]+)?\s*=|for\s.+\sin)\s*$")


def _wrapped(file: SourceFile, node: ast.expr, at: Location, calls: list[str]) -> list[Edit]:
    """The insertions that chain `calls` onto `node` at `at`, within the project's line length.

    Short enough: on the line as it is. Too long: each call on its own line,
    in a chain already split over lines (`.filter(...)` lines) or else in
    parentheses put around a statement's whole value (`qs = (...)`); where
    neither is possible, on the line as it is.
    """
    joined = "".join(calls)
    style = style_for(file.path)
    line = file.lines[at.start_line - 1]
    if len(line) + len(joined) <= style.line_length:
        return [Edit(at, joined)]
    where = file.node_location(node)
    if where.start_line != where.end_line:
        last = file.lines[where.end_line - 1]
        if last.lstrip().startswith("."):
            indent = last[: len(last) - len(last.lstrip())]
            return [Edit(at, "".join(f"\n{indent}{call}" for call in calls))]
        return [Edit(at, joined)]
    before = line[: where.start_column - 1]
    if not _WRAPPABLE_PREFIX.match(before):
        return [Edit(at, joined)]
    indent = line[: len(line) - len(line.lstrip())]
    inner = indent + "    "
    start = Location(file.rel, where.start_line, where.start_column)
    tail = "".join(f"\n{inner}{call}" for call in calls)
    after = Location(file.rel, where.end_line, where.end_column)
    edits = [Edit(start, f"(\n{inner}"), Edit(at, tail)]
    if at != after:
        # `.iterator(...)` follows the inserted calls on its own line, inside the parentheses.
        return [edits[0], Edit(at, tail + f"\n{inner}"), Edit(after, f"\n{indent})")]
    return [edits[0], Edit(at, tail + f"\n{indent})")]


def _end(file: SourceFile, node: ast.AST) -> Location:
    location = file.node_location(node)
    return Location(file.rel, location.end_line, location.end_column)


def _existing_call(node: ast.expr, method: str) -> ast.Call | None:
    """The `.method("a", ...)` call with string-literal arguments in the origin's chain."""
    while isinstance(node, ast.Call | ast.Attribute | ast.Subscript):
        if isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr == method
                and node.args
                and not node.keywords
                and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)
            ):
                return node
            node = func
        else:
            node = node.value
    return None


def _iterator_call(node: ast.expr) -> ast.Call | None:
    """The `.iterator(...)` call in the origin's chain: it returns a generator, not a queryset."""
    while isinstance(node, ast.Call | ast.Attribute | ast.Subscript):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr == "iterator":
                return node
            node = node.func
        else:
            node = node.value
    return None


def _follows_all(node: ast.expr) -> bool:
    """Whether the chain has a bare `select_related()` (every non-null FK).

    `select_related("x")` after it replaces the follow-all with `x` alone and
    drops the joins it made: a fix there would add N+1s elsewhere.
    """
    while isinstance(node, ast.Call | ast.Attribute | ast.Subscript):
        if isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "select_related"
                and not node.args
                and not node.keywords
            ):
                return True
            node = func
        else:
            node = node.value
    return False


def applicable(origin: Origin, needs: dict[str, list[str]]) -> dict[str, list[str]]:
    """The part of `needs` a fix may add at `origin` without breaking what it does now."""
    if origin.node is not None and _follows_all(origin.node):
        return {method: paths for method, paths in needs.items() if method != "select_related"}
    return needs


def _chunk_size(file: SourceFile, iterator: ast.Call) -> list[Edit]:
    """`iterator()` gains `chunk_size=`: Django prefetches per chunk only with it (4.1+)."""
    if iterator.args or any(k.arg == "chunk_size" for k in iterator.keywords):
        return []
    end = file.node_location(iterator)
    text = "chunk_size=2000" + (", " if iterator.keywords else "")
    if iterator.keywords:
        first = file.node_location(iterator.keywords[0])
        return [Edit(Location(file.rel, first.start_line, first.start_column), text)]
    return [Edit(Location(file.rel, end.end_line, end.end_column - 1), text)]


def origin_edits(origin: Origin, needs: dict[str, list[str]]) -> list[Edit]:
    """The insertions that give the queryset at `origin` every path in `needs` (method -> paths)."""
    file = origin.file
    wanted = {method: sorted(set(paths)) for method, paths in needs.items() if paths}
    if origin.node is None:
        statement = origin.model_stmt
        if not isinstance(statement, ast.Assign):
            return []
        indent = " " * statement.col_offset
        quote = style_for(file.path).quote_in(file.text)
        chained = "".join(
            f".{method}({_quoted(wanted[method], quote)})" for method in METHODS if method in wanted
        )
        # `model = Post` gains `queryset = Post.objects...` (the view's default).
        model = ast.get_source_segment(file.text, statement.value) or ast.unparse(statement.value)
        text = f"\n{indent}queryset = {model}._default_manager{chained}"
        return [Edit(_end(file, statement), text)]
    edits = []
    quote = style_for(file.path).quote_in(file.text)
    appended: list[str] = []
    for method in METHODS:
        if method not in wanted:
            continue
        call = _existing_call(origin.node, method)
        if call is not None:
            present = {a.value for a in call.args if isinstance(a, ast.Constant)}
            missing = [name for name in wanted[method] if name not in present]
            if missing:
                edits.append(Edit(_end(file, call.args[-1]), f", {_quoted(missing, quote)}"))
        else:
            appended.append(f".{method}({_quoted(wanted[method], quote)})")
    if appended:
        iterator = _iterator_call(origin.node)
        if iterator is None:
            edits.extend(_wrapped(file, origin.node, _end(file, origin.node), appended))
        else:
            # Chained onto the queryset before `.iterator()`, never onto its generator.
            assert isinstance(iterator.func, ast.Attribute)
            edits.extend(_wrapped(file, origin.node, _end(file, iterator.func.value), appended))
            if "prefetch_related" in wanted:
                edits.extend(_chunk_size(file, iterator))
    return edits


def build_fix(origin: Origin, needs: dict[str, list[str]], safe: bool) -> Fix | None:
    """One fix for everything the queryset at `origin` lacks, or None if it cannot be made."""
    needs = applicable(origin, needs)
    edits = origin_edits(origin, needs)
    if not edits or not parses(origin.file.text, edits):
        return None
    parts = [f"{method}({_quoted(sorted(set(paths)))})" for method, paths in needs.items() if paths]
    return Fix(
        description=f"add {' and '.join(parts)} to the queryset at {origin.where()}",
        edits=tuple(edits),
        applicability=Applicability.SAFE if safe else Applicability.UNSAFE,
    )


def parses(text: str, edits: list[Edit]) -> bool:
    """Whether the file still parses after `edits`.

    The file parsed with `ast` before (origins come from its tree), so `ast`
    can judge the result: libcst took 1 s per large file here (20 of 75 s
    on netbox for 18 fixes) and is not needed for text insertions.
    """
    return _parses(text, tuple(edits))


@functools.lru_cache(maxsize=256)
def _parses(text: str, edits: tuple[Edit, ...]) -> bool:
    """`parses`, memoised (a pure function): a session builds the same fixes after every edit."""
    try:
        ast.parse(apply_edits(text, edits))
    except (FixError, SyntaxError, ValueError):
        return False
    return True


def admin_fix(origin: Origin, paths: list[str]) -> Fix | None:
    """Add (or extend) `list_select_related` on the ModelAdmin class at `origin`."""
    cls = origin.class_node
    if cls is None:
        return None
    file = origin.file
    wanted = sorted(set(paths))
    edits: list[Edit] = []
    for statement in cls.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id == "list_select_related"
        ):
            value = statement.value
            if not isinstance(value, ast.List | ast.Tuple) or not value.elts:
                return None
            present = {e.value for e in value.elts if isinstance(e, ast.Constant)}
            missing = [name for name in wanted if name not in present]
            edits = [Edit(_end(file, value.elts[-1]), f", {_quoted(missing)}")] if missing else []
            break
    else:
        anchor = origin.model_stmt or cls.body[-1]
        indent = " " * anchor.col_offset
        edits = [Edit(_end(file, anchor), f"\n{indent}list_select_related = [{_quoted(wanted)}]")]
    if not edits or not parses(file.text, edits):
        return None
    return Fix(
        description=f"add {_quoted(wanted)} to list_select_related of {cls.name}",
        edits=tuple(edits),
        applicability=Applicability.SAFE,
    )
