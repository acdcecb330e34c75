"""`Meta.indexes` entries added to a model by a plain text edit, checked with stdlib `ast`.

The companion of keyword_text for index fixes that need `Meta.indexes`: the
usual layouts (4-space indentation; a Meta class with or without an
`indexes` list, or none) are edited as text where `ast` places them, laid out
as the libcst edit would be, and the result is re-parsed and compared with
the intended tree. Anything else returns None and the caller uses libcst.
"""

from __future__ import annotations

import ast
import functools

from djreview.indexes.keyword_text import Lines, appended, fresh_class, parsed, top_class, verified
from djreview.source.code_style import DEFAULT_LINE_LENGTH, wrap_call

_INDENT = "    "


def assigned_name(statement: ast.stmt) -> str:
    if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id
    return ""


def line_end(text: str, lines: Lines, statement: ast.stmt) -> int:
    """The offset just past the newline ending `statement`'s last line."""
    end = text.find("\n", lines.end_of(statement))
    return len(text) if end == -1 else end + 1


def indent_of(lines: Lines, statement: ast.stmt | ast.expr) -> str:
    start = lines.starts[statement.lineno - 1]
    row = lines.text[start : lines.start_of(statement)]
    return row if row.strip(" ") == "" else "\0"  # "\0": not plain spaces


def _indexes_block(indent: str, entries: list[str], width: int) -> str:
    """`indexes = [...]` at `indent`, one entry per line (libcst's layout), within `width`."""
    listed = "".join(wrap_call(entry, indent + _INDENT, width) + "\n" for entry in entries)
    return f"{indent}indexes = [\n{listed}{indent}]\n"


def _insert_after(text: str, lines: Lines, statement: ast.stmt, block: str) -> str | None:
    """`block` inserted after the line `statement` ends on (None past an unterminated line)."""
    at = line_end(text, lines, statement)
    return text[:at] + block + text[at:] if text[:at].endswith("\n") else None


def _new_meta(
    text: str, lines: Lines, cls: ast.ClassDef, entries: list[str], width: int
) -> str | None:
    """A Meta class after the last field (after the last statement if none is a field)."""
    indent = indent_of(lines, cls.body[0])
    fields = [s for s in cls.body if assigned_name(s)]
    block = f"\n{indent}class Meta:\n" + _indexes_block(indent + _INDENT, entries, width)
    return _insert_after(text, lines, fields[-1] if fields else cls.body[-1], block)


def _new_list(
    text: str, lines: Lines, meta: ast.ClassDef, entries: list[str], width: int
) -> str | None:
    """An `indexes` list appended to an existing Meta body."""
    indent = indent_of(lines, meta.body[-1])
    if indent.strip(" "):
        return None  # Meta's body shares a line with something else
    return _insert_after(text, lines, meta.body[-1], _indexes_block(indent, entries, width))


def _extended(
    text: str, lines: Lines, listed: ast.List, entries: list[str], width: int
) -> str | None:
    """Entries appended to an existing list, keeping its layout (inline or one per line)."""
    opening = lines.start_of(listed)
    closing = lines.end_of(listed) - 1
    if text[opening] != "[" or text[closing] != "]":
        return None
    return appended(text, lines, opening, closing, listed.elts, entries, width)


def _edit(text: str, cls: ast.ClassDef, entries: list[str], width: int) -> str | None:
    lines = Lines(text)
    if indent_of(lines, cls.body[0]) != _INDENT:
        return None  # not libcst's default layout: let libcst decide
    meta = next(
        (s for s in cls.body if isinstance(s, ast.ClassDef) and s.name == "Meta"),
        None,
    )
    if meta is None:
        return _new_meta(text, lines, cls, entries, width)
    assigned = [s for s in meta.body if assigned_name(s) == "indexes"]
    if not assigned:
        return _new_list(text, lines, meta, entries, width)
    value = getattr(assigned[0], "value", None)
    if len(assigned) != 1 or not isinstance(value, ast.List):
        return None
    return _extended(text, lines, value, entries, width)


def intended_class(cls: ast.ClassDef, entries: list[str]) -> ast.ClassDef:
    """`cls` (a fresh copy) with the entries in its Meta.indexes: what the edit must give."""
    parsed = [ast.parse(entry, mode="eval").body for entry in entries]
    meta = next((s for s in cls.body if isinstance(s, ast.ClassDef) and s.name == "Meta"), None)
    if meta is None:
        fields = [i for i, s in enumerate(cls.body) if assigned_name(s)]
        at = fields[-1] + 1 if fields else len(cls.body)
        listed = ast.List(elts=parsed, ctx=ast.Load())
        target = ast.Name(id="indexes", ctx=ast.Store())
        new = ast.ClassDef(
            name="Meta",
            bases=[],
            keywords=[],
            body=[ast.Assign(targets=[target], value=listed)],
            decorator_list=[],
        )
        cls.body.insert(at, new)
        return cls
    assigned = [s for s in meta.body if assigned_name(s) == "indexes"]
    if assigned:
        value = getattr(assigned[0], "value", None)
        assert isinstance(value, ast.List)
        value.elts.extend(parsed)
    else:
        target = ast.Name(id="indexes", ctx=ast.Store())
        meta.body.append(ast.Assign(targets=[target], value=ast.List(elts=parsed, ctx=ast.Load())))
    return cls


def add_meta_indexes_text(
    text: str, model: str, entries: list[str], width: int = DEFAULT_LINE_LENGTH
) -> str | None:
    """`text` with `entries` in `model.Meta.indexes` (new lines within `width`), or None
    when only libcst should try."""
    return _meta_indexes_text(text, model, tuple(entries), width)


@functools.lru_cache(maxsize=256)
def _meta_indexes_text(text: str, model: str, kept: tuple[str, ...], width: int) -> str | None:
    """`add_meta_indexes_text`, memoised: a session plans the same fixes after every edit."""
    entries = list(kept)
    if "\r" in text or "\t" in text or "\\\n" in text or not entries:
        return None
    tree = parsed(text)
    cls = top_class(tree, model) if tree is not None else None
    if tree is None or cls is None:
        return None
    try:
        new = _edit(text, cls, entries, width)
        if new is None:
            return None
        intended = intended_class(fresh_class(text, cls), entries)
    except (SyntaxError, ValueError, UnicodeDecodeError, IndexError):
        return None
    return verified(tree, new, intended)
