"""One project file, read once and parsed lazily, shared by every rule.

Python files are parsed with stdlib `ast`, the fast reader every Python check
shares. The YAML rules' ast-grep trees are the engine's (engine/yaml_rules.py),
built per file only when a pattern rule applies; libcst, about ten times slower
to parse, is reserved for fixes.
"""

from __future__ import annotations

import ast
import hashlib
import io
import os
import re
import stat
import sys
import tokenize
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from pathlib import Path
from typing import Literal, TypeVar, cast

from djreview.model import Location
from djreview.source.python2 import parse_python2

FileKind = Literal["python", "template"]
NodeT = TypeVar("NodeT", bound=ast.AST)
_NEWLINE = re.compile(r"\r\n|\r|\n")

# Nested expressions deeper than this make CPython's parser or our recursive
# visitors blow the stack; such files are generated code, not hand-written.
_MAX_RECURSION = 20_000


class UnreadableFile(Exception):
    """The file cannot be analysed; the message says why, for the user."""


def decode_source(data: bytes, kind: FileKind) -> str:
    """Decode file bytes as Python would: BOM, PEP 263 cookie, else UTF-8.

    Raises UnreadableFile for binary content or undecodable bytes.
    """
    if b"\x00" in data:
        raise UnreadableFile("binary content (NUL bytes)")
    if kind == "python":
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            # Not UTF-8 and no (known) PEP 263 cookie, e.g. latin-1 bytes without one.
            raise UnreadableFile(f"cannot decode: {exc}") from None
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise UnreadableFile(f"cannot decode as {encoding}: {exc.__class__.__name__}") from None
    return text.removeprefix("\ufeff")


def content_digest(data: bytes) -> str:
    """A short, collision-safe digest of file bytes (blake2b is the fastest stdlib hash)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, refusing FIFOs, sockets, devices and oversized files.

    The file is opened non-blocking and checked with fstat on the open handle,
    so a FIFO named `x.py` cannot hang the run, even if swapped in after discovery.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from None
    chunks = []
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file")
        if info.st_size > max_bytes:
            raise UnreadableFile(
                f"larger than the {max_bytes // 1024} KiB limit ({info.st_size} bytes)"
            )
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(handle, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(handle)
    data = b"".join(chunks)
    if len(data) > max_bytes:  # it grew after fstat
        raise UnreadableFile(f"larger than the {max_bytes // 1024} KiB limit")
    return data


@dataclass
class SourceFile:
    """A file of the analysed project, with its text and lazily built trees."""

    path: Path
    rel: str
    kind: FileKind
    text: str
    parse_error: str | None = field(default=None, init=False)
    # Lines rewritten to read the file as Python 2 (python2.py); 0 for Python 3.
    python2_lines: int = field(default=0, init=False)

    # A digest of the file's bytes: the key of its cache entries.
    digest: str = field(default="", compare=False)

    @classmethod
    def read(cls, path: Path, rel: str, kind: FileKind, max_bytes: int) -> SourceFile:
        """Read and decode a file, or raise UnreadableFile with the reason."""
        data = read_regular_file(path, max_bytes)
        text = decode_source(data, kind)
        return cls(path=path, rel=rel, kind=kind, text=text, digest=content_digest(data))

    @cached_property
    def lines(self) -> list[str]:
        """Source lines without their endings, numbered as Python numbers them.

        Only \\n, \\r\\n and \\r end a line: `str.splitlines` also breaks at form
        feeds and other separators, which shifted every later line of such a file.
        """
        parts = self.text.split("\n") if "\r" not in self.text else _NEWLINE.split(self.text)
        if parts and parts[-1] == "":
            parts.pop()
        return parts

    @cached_property
    def tree(self) -> ast.Module | None:
        """The stdlib AST, or None (with `parse_error` set) when it cannot parse."""
        if self.kind != "python":
            return None
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, _MAX_RECURSION))
        try:
            return ast.parse(self.text, filename=self.rel, type_comments=False)
        except SyntaxError as exc:
            python2 = parse_python2(self.text, self.rel)
            if python2 is not None:
                self.python2_lines = python2[1]
                return python2[0]
            self.parse_error = f"syntax error at line {exc.lineno}: {exc.msg}"
        except (RecursionError, MemoryError, ValueError) as exc:
            self.parse_error = f"cannot parse: {exc.__class__.__name__}"
        finally:
            sys.setrecursionlimit(limit)
        return None

    @cached_property
    def nodes_by_type(self) -> dict[type[ast.AST], list[ast.AST]]:
        """The nodes grouped by their exact class (expression contexts left out)."""
        tree = self.tree
        return _group_nodes(tree) if tree is not None else {}

    @cached_property
    def statements_by_type(self) -> dict[type[ast.AST], list[ast.AST]]:
        """The statements grouped by their exact class; expressions are not entered."""
        tree = self.tree
        return _group_statements(tree) if tree is not None else {}

    def release_groupings(self) -> None:
        """Forget the node lists (rebuilt on demand): a file's checks are done with them.

        They are a twentieth of a large run's peak memory when kept for every file.
        """
        for name in ("nodes_by_type", "statements_by_type"):
            vars(self).pop(name, None)

    def nodes_of(self, kind: type[NodeT]) -> list[NodeT]:
        """Every node of exactly this class (`ast.Call`, `ast.ClassDef`...), parents first.

        A check looking for calls visits the tenth of the nodes that are calls
        instead of testing every node of the file; the grouping is built once
        per file and shared by every check. Statements (classes, functions)
        come from a walk that skips expressions: no statement lives inside
        one, and expressions are most of a tree.
        """
        grouped = self.statements_by_type if issubclass(kind, ast.stmt) else self.nodes_by_type
        return cast("list[NodeT]", grouped.get(kind, []))

    def functions(self) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        """Every function and method of the file, async ones included (parents first)."""
        return [*self.nodes_of(ast.FunctionDef), *self.nodes_of(ast.AsyncFunctionDef)]

    @cached_property
    def _line_starts(self) -> array[int]:
        """The offset in `text` where each line starts (4 bytes a line, not a string each)."""
        starts = array("i", [0])
        if "\r" in self.text:
            starts.extend(match.end() for match in _NEWLINE.finditer(self.text))
        else:
            starts.extend(accumulate(len(line) + 1 for line in self.text.split("\n")[:-1]))
        return starts

    def text_of_lines(self, first: int, last: int) -> str:
        """The text from the start of 1-based line `first` to the end of line `last` (inclusive).

        For cheap word tests on a function or statement: slicing the text keeps
        a large run from holding every line of every file as its own string.
        """
        starts = self._line_starts
        if first < 1 or first > len(starts):
            return ""
        end = starts[last] if last < len(starts) else len(self.text)
        return self.text[starts[first - 1] : end]

    def lines_containing(self, word: str) -> list[int]:
        """The 1-based numbers of the lines holding `word`, in order, without splitting the text."""
        found: list[int] = []
        position = self.text.find(word)
        while position != -1:
            line = bisect_right(self._line_starts, position)
            if not found or found[-1] != line:
                found.append(line)
            position = self.text.find(word, position + len(word))
        return found

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, or '' past the end."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def _column(self, line: int, byte_offset: int) -> int:
        """Convert an ast UTF-8 byte column on a 1-based line to a 1-based code point."""
        if self.text.isascii():  # O(1) in CPython; no need to split the file into lines
            return byte_offset + 1
        text = self.line_text(line)
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore")) + 1

    def node_location(self, node: ast.AST) -> Location:
        """The Location of an ast node (expression or statement)."""
        start_line = getattr(node, "lineno", 1)
        end_line = getattr(node, "end_lineno", None) or start_line
        start_col = self._column(start_line, getattr(node, "col_offset", 0))
        end_offset = getattr(node, "end_col_offset", None)
        end_col = self._column(end_line, end_offset) if end_offset is not None else start_col
        return Location(self.rel, start_line, start_col, end_line, end_col)

    def span_location(
        self, start_line: int, start_col0: int, end_line: int, end_col0: int
    ) -> Location:
        """A Location from 1-based lines and 0-based code-point columns (ast-grep, templates)."""
        return Location(self.rel, start_line, start_col0 + 1, end_line, end_col0 + 1)

    def snippet(self, location: Location) -> str:
        """The source text of a location's first line (trailing blanks removed)."""
        return self.line_text(location.start_line).rstrip()


def _group_nodes(tree: ast.AST) -> dict[type[ast.AST], list[ast.AST]]:
    """Every node under `tree` by class, in one pass (faster than `ast.walk` plus a sort).

    `ctx` fields (the shared Load/Store/Del markers) are skipped: no check
    looks for them, and they are a third of all nodes.
    """
    grouped: dict[type[ast.AST], list[ast.AST]] = {}
    stack: list[ast.AST] = [tree]
    pop, push = stack.pop, stack.append
    node_class = ast.AST
    while stack:
        node = pop()
        group = grouped.get(type(node))
        if group is None:
            grouped[type(node)] = [node]
        else:
            group.append(node)
        for name in node._fields:
            if name == "ctx":
                continue
            value = getattr(node, name, None)
            if type(value) is list:
                for item in reversed(value):
                    if isinstance(item, node_class):
                        push(item)
            elif isinstance(value, node_class):
                push(value)
    return grouped


# The fields of statements that hold statements (bodies, branches, handlers, cases).
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _group_statements(tree: ast.AST) -> dict[type[ast.AST], list[ast.AST]]:
    """Every statement under `tree` by class, parents first, without entering expressions."""
    grouped: dict[type[ast.AST], list[ast.AST]] = {}
    stack: list[ast.AST] = [tree]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        if isinstance(node, ast.stmt):
            group = grouped.get(type(node))
            if group is None:
                grouped[type(node)] = [node]
            else:
                group.append(node)
        for name in _BODIES:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in reversed(value):
                    push(item)  # statements, except handlers and match cases (which hold them)
    return grouped
