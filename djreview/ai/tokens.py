"""Matching a model's snippet in a Python file by tokens: quote style, spacing and comments aside.

Models copy code loosely: `'next'` for `"next"`, other spacing or line
breaks, a withheld comment left out (see `labels`), or `<redacted>` where
the prompt hid a secret. Both texts are tokenized; comments, newlines and
indentation are dropped; strings compare by prefix and content, not quotes;
a string holding `<redacted>` matches any string with the same text around
it, and what it stood for is captured so the replacement can be given back
the original value.
"""

from __future__ import annotations

import io
import re
import textwrap
import tokenize
from dataclasses import dataclass

from djreview.ai.redact import REDACTED

_SKIP = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENDMARKER,
}
_STRING = re.compile(r"(?is)^(?P<prefix>[rbuf]*)(?P<quote>'''|\"\"\"|'|\")(?P<body>.*)(?P=quote)$")


@dataclass(frozen=True, slots=True)
class Token:
    """One significant token: its comparable form and its span in the text."""

    kind: int
    key: str
    start: int
    end: int


def _key(kind: int, text: str) -> str:
    if kind == tokenize.STRING:
        match = _STRING.match(text)
        if match:
            return f"{match['prefix'].lower()}\x00{match['body']}"
    return text


def tokens(text: str) -> list[Token]:
    """The significant tokens of `text` (as many as tokenize reads before an error)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    found: list[Token] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in _SKIP or not token.string:
                continue
            start = starts[token.start[0] - 1] + token.start[1]
            end = starts[token.end[0] - 1] + token.end[1]
            found.append(Token(token.type, _key(token.type, token.string), start, end))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # a partial snippet: an open bracket or string at its end
    return found


def _same(wanted: Token, have: Token) -> list[str] | None:
    """None when the tokens differ; else what `<redacted>` stood for in `have`."""
    if wanted.kind != have.kind:
        return None
    if wanted.key == have.key:
        return []
    if wanted.kind != tokenize.STRING or REDACTED not in wanted.key:
        return None
    pattern = "(.*?)".join(re.escape(part) for part in wanted.key.split(REDACTED))
    match = re.fullmatch(pattern, have.key, re.S)
    return list(match.groups()) if match else None


@dataclass(frozen=True, slots=True)
class TokenMatch:
    """Where the snippet's tokens occur in the file, and the redacted values they cover."""

    start: int
    end: int
    originals: tuple[str, ...]


def find(text: str, snippet: str) -> list[TokenMatch]:
    """Every place the snippet's tokens occur in `text` (Python source)."""
    wanted = tokens(textwrap.dedent(snippet).strip("\n"))
    if not wanted:
        return []
    have = tokens(text)
    matches = []
    for first in range(len(have) - len(wanted) + 1):
        originals: list[str] = []
        for offset, token in enumerate(wanted):
            same = _same(token, have[first + offset])
            if same is None:
                break
            originals += same
        else:
            last = have[first + len(wanted) - 1]
            matches.append(TokenMatch(have[first].start, last.end, tuple(originals)))
    return matches
