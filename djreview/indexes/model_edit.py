"""Model edits for index fixes: `db_index=True` or `Meta.indexes` entries, as one Edit.

Each edit is tried as a checked text edit first (keyword_text, meta_text:
the usual layouts, verified by re-parsing with `ast`); libcst
(model_edit_libcst) takes the rest, and is imported only then. `edit_between`
turns old and new text into the one `Edit` a `Fix` carries.
"""

from __future__ import annotations

import functools
import sys

from djreview.indexes.keyword_text import add_db_index_text, parsed
from djreview.indexes.meta_text import add_meta_indexes_text
from djreview.model import Edit, Location
from djreview.source.code_style import DEFAULT_LINE_LENGTH


def add_db_index(text: str, model: str, field: str) -> str | None:
    """`text` with `db_index=True` on `model.field`, or None if the field is not a call there."""
    edited = add_db_index_text(text, model, field)
    if edited is not None:
        return edited
    from djreview.indexes import model_edit_libcst

    return model_edit_libcst.add_db_index(text, model, field)


def add_meta_indexes(
    text: str, model: str, entries: list[str], width: int = DEFAULT_LINE_LENGTH
) -> str | None:
    """`text` with `entries` (source of `models.Index(...)` calls) added to `model.Meta.indexes`.

    Creates `indexes` in an existing Meta, or a Meta class after the last
    field, when missing; the lines it writes stay within `width`.
    """
    edited = add_meta_indexes_text(text, model, entries, width)
    if edited is not None:
        return edited
    from djreview.indexes import model_edit_libcst

    return model_edit_libcst.add_meta_indexes(text, model, entries, width)


def release_caches() -> None:
    """Drop the cached trees of edited files (libcst's too, if it was needed at all)."""
    parsed.cache_clear()
    module = sys.modules.get("djreview.indexes.model_edit_libcst")
    if module is not None:
        module.release_caches()


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a code-point offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def edit_at(rel: str, text: str, start: int, end: int, replacement: str) -> Edit:
    """The Edit replacing the code points `start:end` of `text` by `replacement`."""
    start_line, start_column = _position(text, start)
    end_line, end_column = _position(text, end)
    return Edit(Location(rel, start_line, start_column, end_line, end_column), replacement)


@functools.lru_cache(maxsize=256)
def edit_between(rel: str, old: str, new: str) -> Edit:
    """The single smallest Edit that turns `old` into `new`, snapped to whole lines.

    Memoised (a pure function of its strings; an Edit is frozen): the scan is
    character by character, and a session plans the same fixes after every edit.
    """
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    # Whole lines keep edits of different fixes on one file from touching each other.
    start = old.rfind("\n", 0, start) + 1
    line_end = old.find("\n", end_old)
    grow = (len(old) if line_end == -1 else line_end + 1) - end_old
    end_old += grow
    end_new += grow
    start_line, start_column = _position(old, start)
    end_line, end_column = _position(old, end_old)
    return Edit(Location(rel, start_line, start_column, end_line, end_column), new[start:end_new])
