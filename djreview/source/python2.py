"""Read Python 2 source: rewrite the lines Python 3 rejects, one error at a time.

Django projects older than Django 2.0 are still in the field (and in the git
history of every project that has one); their models and views are as much a
part of the project as the rest. `ast.parse` rejects the whole file on one
`print x`, so such a file used to lose every model, view and N+1 finding in it.

Each rewrite touches only the line Python reports, keeps the line count (so
every node's line number is the original's), and keeps the columns left of
the change. The rewrites are the handful of statement forms Python 2 code
uses; a line none of them mends ends the attempt, and the caller reports the
original error.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

# At most this many rewrites per file: a file needing more is not mostly Python 2.
_MAX_REWRITES = 400

_NOT_EQUAL = re.compile(r"<>")
_EXCEPT_COMMA = re.compile(r"^(\s*except\s+)(.+?)\s*,\s*([A-Za-z_]\w*)\s*:")
_RAISE_COMMA = re.compile(r"^(\s*raise\s+)([\w.]+)\s*,\s*(.+?)\s*$")
_PRINT = re.compile(r"^(\s*)print\b(?!\s*\()\s*(.*?)\s*$")
_EXEC = re.compile(r"^(\s*)exec\b(?!\s*\()\s*(.+?)(?:\s+in\s+(.+?))?\s*$")
# `0644` (octal), and `10L` (long): a digit run not part of a name or a float.
_OCTAL = re.compile(r"(?<![\w.])0(\d+)(?![\w.])")
_LONG = re.compile(r"(?<![\w.])(\d+)[lL](?!\w)")
_UR_PREFIX = re.compile(r"(?<![\w])[uU][rR](?=['\"])")
_BACKTICKS = re.compile(r"`([^`]+)`")


def _exec(match: re.Match[str]) -> str:
    indent, code, namespaces = match.group(1), match.group(2), match.group(3)
    return f"{indent}exec({code}{', ' + namespaces if namespaces else ''})"


def _print(match: re.Match[str]) -> str:
    indent, rest = match.group(1), match.group(2)
    if rest.endswith(","):  # `print x,` suppresses the newline
        return f"{indent}print({rest[:-1]}, end=' ')"
    return f"{indent}print({rest})"


_REWRITES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (_NOT_EQUAL, "!="),
    (_EXCEPT_COMMA, r"\1\2 as \3:"),
    (_RAISE_COMMA, r"\1\2(\3)"),
    (_PRINT, _print),
    (_EXEC, _exec),
    (_OCTAL, r"0o\1"),
    (_LONG, r"\1"),
    (_UR_PREFIX, "r"),
    (_BACKTICKS, r"repr(\1)"),
)


def _mended(line: str) -> str | None:
    """`line` with the first rewrite that changes it, or None."""
    for pattern, replacement in _REWRITES:
        changed = pattern.sub(replacement, line)
        if changed != line:
            return changed
    return None


def parse_python2(text: str, filename: str) -> tuple[ast.Module, int] | None:
    """The tree of `text` read as Python 2, and how many lines were rewritten.

    None when the text does not parse after the rewrites. The caller asks only
    after Python 3 rejected the text.
    """
    if "\t" in text:
        # Python 2 read a tab as reaching the next multiple of eight columns.
        text = "\n".join(line.expandtabs(8) for line in text.split("\n"))
    lines = text.split("\n")
    rewritten: set[int] = set()
    for _ in range(_MAX_REWRITES):
        try:
            tree = ast.parse("\n".join(lines), filename=filename, type_comments=False)
        except (RecursionError, MemoryError, ValueError):
            return None
        except SyntaxError as exc:
            index = (exc.lineno or 0) - 1
            if not 0 <= index < len(lines):
                return None
            mended = _mended(lines[index])
            if mended is None:
                return None
            lines[index] = mended
            rewritten.add(index)
            continue
        return tree, len(rewritten)
    return None
