"""The project's own code style, for the text djreview's fixes insert.

A fix line that overflows the project's line length, or quotes strings the
other way from the code around it, fails the project's own lint step and gets
rewritten by hand. The style is read from the formatter and linter
configuration nearest to the edited file, as ruff and black find theirs:

- line length: `[tool.ruff] line-length`, `ruff.toml`/`.ruff.toml`,
  `[tool.black] line-length`, then `[flake8] max-line-length` (setup.cfg,
  tox.ini, .flake8); 88 (ruff's and black's default) when none is set;
- quotes: `[tool.ruff.format] quote-style` ("single"/"double"); black without
  `skip-string-normalization`, or ruff's formatter configured without a
  quote style, means double quotes; otherwise (no formatter, "preserve", or
  string normalisation skipped) the quote most string literals of the edited
  file use.

Only configuration files are read; nothing of the project is imported.
"""

from __future__ import annotations

import ast
import configparser
import io
import tokenize
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULT_LINE_LENGTH = 88
_FLAKE8_FILES = ("setup.cfg", "tox.ini", ".flake8")


@dataclass(frozen=True, slots=True)
class CodeStyle:
    """Line length and preferred string quote (None: follow the file) of one folder."""

    line_length: int = DEFAULT_LINE_LENGTH
    quote: str | None = None

    def quote_in(self, text: str) -> str:
        """The quote character for new literals in a file whose source is `text`."""
        return self.quote or dominant_quote(text)

    def literal(self, value: str, text: str) -> str:
        """`value` as a string literal quoted the way the file `text` quotes."""
        quote = self.quote_in(text)
        if quote in value or "\\" in value:
            return repr(value)
        return f"{quote}{value}{quote}"


@lru_cache(maxsize=128)
def dominant_quote(text: str) -> str:
    """The quote most one-line string literals of `text` use; double when none or a tie.

    Memoised by text: every fix in one file asks again (a server session, per edit).
    """
    single = double = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.STRING:
                continue
            body = token.string.lstrip("rRbBuUfF")
            if body.startswith(("'''", '"""')):
                continue
            if body.startswith("'"):
                single += 1
            elif body.startswith('"'):
                double += 1
    except (tokenize.TokenError, SyntaxError):
        pass
    return "'" if single > double else '"'


def style_for(path: Path) -> CodeStyle:
    """The style that governs the file at `path` (the nearest configuring folder's)."""
    return _folder_style(path.parent.resolve())


@lru_cache(maxsize=256)
def _folder_style(folder: Path) -> CodeStyle:
    length: int | None = None
    quote: str | None = None
    quote_known = False
    for directory in (folder, *folder.parents):
        found = _read_folder(directory)
        if found is not None:
            length, quote, quote_known = found
            break
    if not quote_known:
        quote = None
    return CodeStyle(length or DEFAULT_LINE_LENGTH, quote)


def _read_folder(directory: Path) -> tuple[int | None, str | None, bool] | None:
    """(line length, quote, whether the formatter decides quotes) configured in `directory`."""
    tables: list[tuple[str, dict[str, Any]]] = []
    pyproject = _toml(directory / "pyproject.toml")
    tool = pyproject.get("tool", {}) if pyproject else {}
    for name in ("ruff.toml", ".ruff.toml"):
        ruff_file = _toml(directory / name)
        if ruff_file is not None:
            tables.append(("ruff", ruff_file))
            break
    else:
        if isinstance(tool.get("ruff"), dict):
            tables.append(("ruff", tool["ruff"]))
    if isinstance(tool.get("black"), dict):
        tables.append(("black", tool["black"]))
    flake8 = _flake8_length(directory)
    if not tables and flake8 is None:
        return None
    length: int | None = None
    quote: str | None = None
    decided = False
    for kind, table in tables:
        if length is None and isinstance(table.get("line-length"), int):
            length = table["line-length"]
        if decided:
            continue
        if kind == "ruff" and isinstance(table.get("format"), dict):
            style = table["format"].get("quote-style", "double")
            quote, decided = {"single": ("'", True), "double": ('"', True)}.get(
                style, (None, False)
            )
        elif kind == "black" and not table.get("skip-string-normalization", False):
            quote, decided = '"', True
    return length or flake8, quote, decided


def _toml(path: Path) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def _flake8_length(directory: Path) -> int | None:
    for name in _FLAKE8_FILES:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(directory / name, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        for section in ("flake8", "pycodestyle"):
            value = parser.get(section, "max-line-length", fallback=None) or parser.get(
                section, "max_line_length", fallback=None
            )
            if value and value.strip().isdigit():
                return int(value.strip())
    return None


def wrap_call(source: str, indent: str, width: int, end: str = ",", prefix: str = "") -> str:
    """The call expression `source` laid out at `indent` after `prefix`, then `end`, in `width`.

    One line when it fits; else black's layouts: the arguments together on
    one line inside the parentheses, then one argument per line with a
    trailing comma. `source` must be a call whose arguments are on one line.
    """
    one = f"{indent}{prefix}{source}{end}"
    if len(one) <= width:
        return one
    call = ast.parse(source, mode="eval").body
    if not isinstance(call, ast.Call):
        return one
    head = ast.get_source_segment(source, call.func)
    parts = [ast.get_source_segment(source, arg) for arg in call.args]
    parts += [
        f"{kw.arg}={ast.get_source_segment(source, kw.value)}" if kw.arg else None
        for kw in call.keywords
    ]
    if head is None or not parts or any(part is None for part in parts):
        return one
    inner = indent + "    "
    together = f"{inner}{', '.join(p for p in parts if p)}"
    if len(together) <= width:
        return f"{indent}{prefix}{head}(\n{together}\n{indent}){end}"
    listed = "".join(f"{inner}{part},\n" for part in parts)
    return f"{indent}{prefix}{head}(\n{listed}{indent}){end}"
