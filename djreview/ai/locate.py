"""Turning the model's content-located edits into djreview `Edit`s with exact positions.

A snippet must occur exactly once in the file. Only whitespace is tolerated:
a snippet that differs from the file in indentation or spacing still matches,
and the replacement is re-indented to the file's indentation. The positions
djreview computes here are what `djreview fix` applies later, so the model
never supplies a line number.
"""

from __future__ import annotations

import re

from djreview.ai.context import FLAG
from djreview.model import Edit, Location


class NotLocated(ValueError):
    """A snippet matches zero or several times; the message says which."""


def _strip_margin(snippet: str) -> str:
    """Drop the prompt's `>> ` flag margin if the model copied it."""
    return "\n".join(
        line[len(FLAG) :] if line.startswith(FLAG) else line for line in snippet.split("\n")
    )


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _reindent(replacement: str, file_indent: str) -> str:
    """Move the replacement to the file's indentation, keeping its relative indentation.

    The replacement's first line stands where the snippet's first line stood.
    """
    lines = replacement.split("\n")
    model_indent = _indent(next((line for line in lines if line.strip()), ""))
    out = [lines[0].lstrip(" \t")]
    for line in lines[1:]:
        if line.startswith(model_indent):
            line = file_indent + line[len(model_indent) :]
        out.append(line)
    return "\n".join(out)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _span(text: str, start: int, end: int, path: str) -> Location:
    start_line, start_column = _position(text, start)
    end_line, end_column = _position(text, end)
    return Location(path, start_line, start_column, end_line, end_column)


def locate(text: str, path: str, snippet: str, replacement: str) -> Edit:
    """The Edit replacing the single occurrence of `snippet` in `text`; raise NotLocated."""
    if not snippet.strip():
        raise NotLocated(f"{path}: the snippet is empty")
    count = text.count(snippet)
    if count == 1:
        start = text.index(snippet)
        return Edit(_span(text, start, start + len(snippet), path), replacement)
    if count > 1:
        raise NotLocated(f"{path}: the snippet occurs {count} times; include more lines")
    for candidate in dict.fromkeys((snippet, _strip_margin(snippet))):
        tokens = candidate.split()
        pattern = re.compile(r"\s+".join(re.escape(token) for token in tokens))
        matches = list(pattern.finditer(text))
        if len(matches) > 1:
            raise NotLocated(f"{path}: the snippet occurs {len(matches)} times; include more lines")
        if matches:
            match = matches[0]
            line_start = text.rfind("\n", 0, match.start()) + 1
            file_indent = _indent(text[line_start : match.start()])
            if candidate != snippet:
                replacement = _strip_margin(replacement)
            fitted = _reindent(replacement, file_indent)
            return Edit(_span(text, match.start(), match.end(), path), fitted)
    raise NotLocated(f"{path}: the snippet does not occur in the file")
