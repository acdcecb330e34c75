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
import re

_BLANK = re.compile(r"[ \t\n]*")
_SEPARATOR = re.compile(r",[ \t\n]*")
_KEYWORD = "db_index"


class _Lines:
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


def _edit(text: str, lines: _Lines, call: ast.Call) -> str | None:
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
    arguments = _arguments(call)
    if not arguments:
        if _BLANK.fullmatch(text, opening + 1, closing) is None:
            return None
        return text[: opening + 1] + f"{_KEYWORD}=True" + text[opening + 1 :]
    last = arguments[-1]
    last_end = lines.end_of(last)
    tail = text[last_end:closing]
    if _BLANK.fullmatch(tail):
        return text[:last_end] + f", {_KEYWORD}=True" + text[last_end:]
    if _SEPARATOR.fullmatch(tail) is None:
        return None
    # One argument per line with a trailing comma: the new one goes on its own
    # line, indented like the last, and takes over the trailing comma.
    if len(arguments) >= 2:
        before = text[lines.end_of(arguments[-2]) : lines.start_of(last)]
        if _SEPARATOR.fullmatch(before) is None:
            return None
        between = before[1:]
    else:
        between = text[opening + 1 : lines.start_of(last)]
        if _BLANK.fullmatch(between) is None:
            return None
    comma = last_end + 1
    return text[:comma] + between + f"{_KEYWORD}=True," + text[comma:]


def _with_keyword(tree: ast.Module, model: str, field: str) -> str:
    """The dump of `tree` with the keyword set on the field call (what the edit must give)."""
    (call,) = _field_calls(tree, model, field)
    existing = [k for k in call.keywords if k.arg == _KEYWORD]
    if existing:
        existing[0].value = ast.Constant(True)
    else:
        call.keywords.append(ast.keyword(arg=_KEYWORD, value=ast.Constant(True)))
    return ast.dump(tree)


def add_db_index_text(text: str, model: str, field: str) -> str | None:
    """`text` with `db_index=True` on `model.field`, or None when only libcst should try."""
    if "\r" in text or "\\\n" in text:
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    calls = _field_calls(tree, model, field)
    if len(calls) != 1:
        return None
    try:
        new = _edit(text, _Lines(text), calls[0])
    except (UnicodeDecodeError, IndexError):
        return None
    if new is None:
        return None
    try:
        produced = ast.dump(ast.parse(new))
    except (SyntaxError, ValueError):
        return None
    return new if produced == _with_keyword(tree, model, field) else None
