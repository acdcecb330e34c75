"""Turning the model's content-located edits into djreview `Edit`s with exact positions.

A snippet must occur exactly once in the file: as written, else (Python) by
tokens (quote style, spacing and comments aside; `<redacted>` standing for
the secret the prompt hid, see `tokens`), else with only whitespace
tolerated. The replacement is re-indented to the file's indentation, and a
`<redacted>` in it gets the original value back. The positions djreview
computes here are what `djreview fix` applies later, so the model never
supplies a line number.
"""

from __future__ import annotations

import re

from djreview.ai.context import FLAG
from djreview.ai.redact import REDACTED
from djreview.ai.tokens import find
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


def _restore(replacement: str, originals: tuple[str, ...], path: str) -> str:
    """The replacement with each `<redacted>` given back the value it stood for, in order."""
    parts = replacement.split(REDACTED)
    if len(parts) - 1 > len(originals):
        raise NotLocated(
            f"{path}: the replacement writes {REDACTED}, a secret djreview withheld from the "
            "prompt; keep the code that holds it or read it from the environment"
        )
    out = parts[0]
    for original, part in zip(originals, parts[1:], strict=False):
        out += original + part
    return out


def _fitted(text: str, start: int, replacement: str) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    return _reindent(replacement, _indent(text[line_start:start]))


def _by_tokens(text: str, path: str, snippet: str, replacement: str) -> Edit | None:
    for candidate in dict.fromkeys((snippet, _strip_margin(snippet))):
        matches = find(text, candidate)
        if len(matches) > 1:
            raise NotLocated(f"{path}: the snippet occurs {len(matches)} times; include more lines")
        if matches:
            match = matches[0]
            end = match.end
            line_end = text.find("\n", end)
            rest = text[end : line_end if line_end >= 0 else len(text)]
            if rest.strip().startswith("#") and "#" in candidate.rstrip().rsplit("\n", 1)[-1]:
                end += len(rest)  # the model copied the trailing comment: replace it too
            if candidate != snippet:
                replacement = _strip_margin(replacement)
            restored = _restore(replacement, match.originals, path)
            return Edit(_span(text, match.start, end, path), _fitted(text, match.start, restored))
    return None


def locate(text: str, path: str, snippet: str, replacement: str) -> Edit:
    """The Edit replacing the single occurrence of `snippet` in `text`; raise NotLocated."""
    if not snippet.strip():
        raise NotLocated(f"{path}: the snippet is empty")
    count = text.count(snippet)
    if count == 1:
        start = text.index(snippet)
        return Edit(_span(text, start, start + len(snippet), path), _restore(replacement, (), path))
    if count > 1:
        raise NotLocated(f"{path}: the snippet occurs {count} times; include more lines")
    if path.endswith(".py"):
        edit = _by_tokens(text, path, snippet, replacement)
        if edit is not None:
            return edit
    for candidate in dict.fromkeys((snippet, _strip_margin(snippet))):
        tokens = candidate.split()
        pattern = re.compile(r"\s+".join(re.escape(token) for token in tokens))
        matches = list(pattern.finditer(text))
        if len(matches) > 1:
            raise NotLocated(f"{path}: the snippet occurs {len(matches)} times; include more lines")
        if matches:
            match = matches[0]
            if candidate != snippet:
                replacement = _strip_margin(replacement)
            fitted = _fitted(text, match.start(), _restore(replacement, (), path))
            return Edit(_span(text, match.start(), match.end(), path), fitted)
    raise NotLocated(f"{path}: the snippet does not occur in the file")
