"""`db_index=True` added to a model field by a plain text edit, checked with stdlib `ast`.

The common layouts of a field call (arguments inline, or one per line with a
trailing comma) are edited as text at positions `ast` gives, laid out as
libcst's edit would be, and the result is re-parsed and compared with the
intended tree. Anything unusual (comments or parentheses near the edit, a
field assigned twice, odd line endings) returns None and the caller falls
back to libcst, which a large models file costs a tenth of a second per edit.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Sequence

from djreview.source.code_style import wrap_call

_BLANK = re.compile(r"[ \t\n]*")
_SEPARATOR = re.compile(r",[ \t\n]*")
_KEYWORD = "db_index"


class Lines:
    """Character offsets of `ast` positions (1-based line, UTF-8 byte column)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        for line in text.split("\n")[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def offset(self, line: int, byte_column: int) -> int:
        start = self.starts[line - 1]
        end = self.text.find("\n", start)
        row = self.text[start : end if end != -1 else len(self.text)]
        prefix = row.encode("utf-8")[:byte_column].decode("utf-8", errors="strict")
        return start + len(prefix)

    def start_of(self, node: ast.AST) -> int:
        return self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end_of(self, node: ast.AST) -> int:
        return self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]


def _field_calls(tree: ast.Module, model: str, field: str) -> list[ast.Call]:
    """`field = <call>` in the body of the top-level class `model` (not in nested classes/defs)."""
    found: list[ast.Call] = []
    for cls in tree.body:
        if not (isinstance(cls, ast.ClassDef) and cls.name == model):
            continue
        stack: list[ast.AST] = list(cls.body)
        while stack:
            node = stack.pop()
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == field for t in node.targets)
                and isinstance(node.value, ast.Call)
            ):
                found.append(node.value)
            for name in ("body", "orelse", "finalbody", "handlers"):
                stack.extend(getattr(node, name, None) or [])
    return found


def _arguments(call: ast.Call) -> list[ast.expr | ast.keyword]:
    """The call's arguments in source order (positional, keyword and starred alike)."""
    arguments: list[ast.expr | ast.keyword] = [*call.args, *call.keywords]
    return sorted(arguments, key=lambda n: (n.lineno, n.col_offset))


def _edit(text: str, lines: Lines, call: ast.Call) -> str | None:
    """The text with the keyword added to (or switched on in) `call`, or None if unusual."""
    for keyword in call.keywords:
        if keyword.arg == _KEYWORD:
            value_start, value_end = lines.start_of(keyword.value), lines.end_of(keyword.value)
            head = text[lines.start_of(keyword) : value_start]
            if re.fullmatch(rf"{_KEYWORD}[ \t]*=[ \t]*", head) is None:
                return None
            if lines.end_of(keyword) != value_end:
                return None  # a parenthesised value: libcst decides how it looks
            return text[:value_start] + "True" + text[value_end:]
    opening = lines.end_of(call.func)
    closing = lines.end_of(call) - 1
    if text[opening : opening + 1] != "(" or text[closing : closing + 1] != ")":
        return None
    return appended(text, lines, opening, closing, _arguments(call), [f"{_KEYWORD}=True"])


def appended(
    text: str,
    lines: Lines,
    opening: int,
    closing: int,
    items: Sequence[ast.expr | ast.keyword],
    new: list[str],
    width: int | None = None,
) -> str | None:
    """`new` items appended inside the brackets at `opening`/`closing`, in libcst's layout.

    Inline items get `, new`; one item per line with a trailing comma gets
    each new item on its own line, indented like the last, the trailing comma
    kept (a call item longer than `width` split over lines). None when
    comments or odd separators sit between the items.
    """
    if not items:
        if _BLANK.fullmatch(text, opening + 1, closing) is None:
            return None
        return text[: opening + 1] + ", ".join(new) + text[opening + 1 :]
    last_end = lines.end_of(items[-1])
    tail = text[last_end:closing]
    if _BLANK.fullmatch(tail):
        return text[:last_end] + "".join(f", {item}" for item in new) + text[last_end:]
    if _SEPARATOR.fullmatch(tail) is None:
        return None
    if len(items) >= 2:
        before = text[lines.end_of(items[-2]) : lines.start_of(items[-1])]
        if _SEPARATOR.fullmatch(before) is None:
            return None
        between = before[1:]
    else:
        between = text[opening + 1 : lines.start_of(items[-1])]
        if _BLANK.fullmatch(between) is None:
            return None
    comma = last_end + 1
    if width is not None and "\n" in between:
        newline = between.rindex("\n") + 1
        indent = between[newline:]
        laid = "".join(between[:newline] + wrap_call(item, indent, width, end=",") for item in new)
        return text[:comma] + laid + text[comma:]
    return text[:comma] + "".join(f"{between}{item}," for item in new) + text[comma:]


@functools.lru_cache(maxsize=16)
def parsed(text: str) -> ast.Module | None:
    """The module's tree, parsed once per text however many fixes edit it (never mutated)."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def top_class(tree: ast.Module, name: str) -> ast.ClassDef | None:
    """The one top-level class of this name (None when absent or defined twice)."""
    found = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name]
    return found[0] if len(found) == 1 else None


def fresh_class(text: str, cls: ast.ClassDef) -> ast.ClassDef:
    """A new tree of just this top-level class, parsed from its own lines (free to mutate)."""
    first = min([cls.lineno, *(d.lineno for d in cls.decorator_list)])
    rows = text.split("\n")[first - 1 : cls.end_lineno]
    node = ast.parse("\n".join(rows)).body[0]
    assert isinstance(node, ast.ClassDef)
    return node


def verified(tree: ast.Module, new: str, intended: ast.ClassDef) -> str | None:
    """`new` if it parses to the old module with only the class replaced by `intended`.

    The edit lies inside the class's text: the same number of top-level
    statements and an equal class mean nothing else moved.
    """
    try:
        after = ast.parse(new)
    except (SyntaxError, ValueError):
        return None
    edited = top_class(after, intended.name)
    if len(after.body) != len(tree.body) or edited is None:
        return None
    return new if ast.dump(edited) == ast.dump(intended) else None


@functools.lru_cache(maxsize=256)
def add_db_index_text(text: str, model: str, field: str) -> str | None:
    """`text` with `db_index=True` on `model.field`, or None when only libcst should try.

    Memoised (a pure function of its strings): a session plans the same fixes after every edit.
    """
    if "\r" in text or "\\\n" in text:
        return None
    tree = parsed(text)
    cls = top_class(tree, model) if tree is not None else None
    if tree is None or cls is None:
        return None
    calls = _field_calls(tree, model, field)
    if len(calls) != 1:
        return None
    try:
        new = _edit(text, Lines(text), calls[0])
        if new is None:
            return None
        intended = fresh_class(text, cls)
    except (UnicodeDecodeError, IndexError, SyntaxError, ValueError):
        return None
    (call,) = _field_calls(ast.Module(body=[intended], type_ignores=[]), model, field)
    existing = [k for k in call.keywords if k.arg == _KEYWORD]
    if existing:
        existing[0].value = ast.Constant(True)
    else:
        call.keywords.append(ast.keyword(arg=_KEYWORD, value=ast.Constant(True)))
    return verified(tree, new, intended)
