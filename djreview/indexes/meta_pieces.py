"""One `Meta.indexes` entry as text pieces that compose with the other entries of the model.

Each index fix adds only its own index. Several fixes of one model must
still merge when `djreview fix` applies them together, though each alone
may have to create `class Meta` or its `indexes` list. So an entry is given
as pieces, (start, end, replacement) over the unedited text:

- the container pieces (`class Meta:` / `indexes = [`, the closing `]`, a
  comma after the last existing entry) depend only on the model, so the
  fixes of one model carry identical ones, which the fix layer applies once;
- the entry's own lines are an insertion just before the closing bracket.

Pieces at the same place apply in the order `djreview.fix.apply` gives
them, sorted by replacement: an opening that starts with a newline comes
first, an entry (indented one level deeper) before the closing bracket.
`verified` re-parses the result and compares it with the intended class,
for one entry and for every entry of a model together.
"""

from __future__ import annotations

import ast
import functools

from djreview.indexes.keyword_text import Lines, fresh_class, parsed, top_class, verified
from djreview.indexes.meta_text import assigned_name, indent_of, intended_class, line_end
from djreview.source.code_style import DEFAULT_LINE_LENGTH, wrap_call

Piece = tuple[int, int, str]
_INDENT = "    "


def _container(text: str, lines: Lines, cls: ast.ClassDef) -> tuple[list[Piece], int, str] | None:
    """(container pieces, where entries go, the entries' indent) for `cls`, or None."""
    meta = next((s for s in cls.body if isinstance(s, ast.ClassDef) and s.name == "Meta"), None)
    if meta is None:
        fields = [s for s in cls.body if assigned_name(s)]
        anchor = fields[-1] if fields else cls.body[-1]
        at = line_end(text, lines, anchor)
        if not text[:at].endswith("\n"):
            return None
        meta_open = f"\n{_INDENT}class Meta:\n{_INDENT * 2}indexes = [\n"
        return [(at, at, meta_open), (at, at, f"{_INDENT * 2}]\n")], at, _INDENT * 3
    indent = indent_of(lines, meta.body[-1])
    if indent != _INDENT * 2:
        return None
    assigned = [s for s in meta.body if assigned_name(s) == "indexes"]
    if not assigned:
        at = line_end(text, lines, meta.body[-1])
        if not text[:at].endswith("\n"):
            return None
        # The opening goes before the newline of Meta's last line, so it precedes the entries.
        pieces = [(at - 1, at - 1, f"\n{indent}indexes = ["), (at, at, f"{indent}]\n")]
        return pieces, at, indent + _INDENT
    value = getattr(assigned[0], "value", None)
    if len(assigned) != 1 or not isinstance(value, ast.List):
        return None
    opening, closing = lines.start_of(value), lines.end_of(value) - 1
    if text[opening] != "[" or text[closing] != "]":
        return None
    if value.lineno == value.end_lineno:
        return _inline(text, lines, value, opening, closing, indent)
    if not value.elts:
        return None
    row = text.rfind("\n", 0, closing) + 1
    last = value.elts[-1]
    if text[row:closing].strip(" ") or lines.end_of(last) > row:
        return None
    first_indent = indent_of(lines, value.elts[0])
    if first_indent.strip(" "):
        return None
    after = lines.end_of(last)
    pieces = [] if text[after:row].lstrip(" ").startswith(",") else [(after, after, ",")]
    return pieces, row, first_indent


def _inline(
    text: str, lines: Lines, value: ast.List, opening: int, closing: int, indent: str
) -> tuple[list[Piece], int, str]:
    """An inline `indexes = [a, b]` opened onto lines: `[`, the old entries on one line, `]`.

    The closing piece replaces the `]` itself, so the entries inserted
    before it (an empty range at the same place) come first.
    """
    inner = indent + _INDENT
    if not value.elts:
        return [(opening + 1, closing, "\n"), (closing, closing + 1, f"{indent}]")], closing, inner
    first, last = lines.start_of(value.elts[0]), lines.end_of(value.elts[-1])
    # The comma rides on the last entry's final character: an empty range at `closing`
    # would sort among the new entries.
    pieces = [
        (opening + 1, first, f"\n{inner}"),
        (last - 1, last, f"{text[last - 1]},\n"),
        (closing, closing + 1, f"{indent}]"),
    ]
    if last < closing:
        pieces.append((last, closing, ""))  # a trailing comma or spaces before `]`
    return pieces, closing, inner


@functools.lru_cache(maxsize=256)
def index_pieces(
    text: str, model: str, entry: str, width: int = DEFAULT_LINE_LENGTH
) -> tuple[Piece, ...] | None:
    """The pieces that add `entry` to `model.Meta.indexes`, or None for an unusual layout.

    Memoised, as the other fix texts (a pure function of its strings): a
    language server plans the same index fixes after every edit.
    """
    if "\r" in text or "\t" in text or "\\\n" in text:
        return None
    tree = parsed(text)
    cls = top_class(tree, model) if tree is not None else None
    lines = Lines(text)
    if tree is None or cls is None or indent_of(lines, cls.body[0]) != _INDENT:
        return None
    try:
        found = _container(text, lines, cls)
    except IndexError:
        return None
    if found is None:
        return None
    pieces, at, indent = found
    line = wrap_call(entry, indent, width) + "\n"
    result = (*pieces, (at, at, line))
    return result if verified_pieces(text, model, [entry], [result]) else None


@functools.lru_cache(maxsize=256)
def hides_inherited(text: str, model: str) -> bool:
    """Whether a new `indexes` list would hide inherited ones: `class Meta(Base.Meta)` with
    no `indexes` of its own inherits the base's, which a list of its own would drop."""
    tree = parsed(text)
    cls = top_class(tree, model) if tree is not None else None
    meta = next(
        (s for s in (cls.body if cls else []) if isinstance(s, ast.ClassDef) and s.name == "Meta"),
        None,
    )
    return (
        meta is not None
        and bool(meta.bases)
        and not any(assigned_name(s) == "indexes" for s in meta.body)
    )


def applied(text: str, pieces: list[Piece]) -> str:
    """`text` with `pieces` applied as the fix layer applies edits (duplicates once, sorted)."""
    out = text
    for start, end, replacement in sorted(dict.fromkeys(pieces), reverse=True):
        out = out[:start] + replacement + out[end:]
    return out


def verified_pieces(
    text: str, model: str, entries: list[str], groups: list[tuple[Piece, ...]]
) -> bool:
    """Whether the pieces of `groups` (one per entry, its own line last) applied together
    give `model` with every entry added, in the order the insertions sort in."""
    return _verified_pieces(text, model, tuple(entries), tuple(groups))


@functools.lru_cache(maxsize=256)
def _verified_pieces(
    text: str, model: str, entries: tuple[str, ...], groups: tuple[tuple[Piece, ...], ...]
) -> bool:
    tree = parsed(text)
    cls = top_class(tree, model) if tree is not None else None
    if tree is None or cls is None:
        return False
    new = applied(text, [piece for group in groups for piece in group])
    order = sorted(range(len(entries)), key=lambda i: groups[i][-1][2])
    try:
        intended = intended_class(fresh_class(text, cls), [entries[i] for i in order])
    except (SyntaxError, ValueError):
        return False
    return verified(tree, new, intended) is not None
