"""A small Django-template tokenizer for the template security rules.

The project model has no template syntax tree yet; this splits a template into
text, `{{ variable }}`, `{% tag %}` and `{# comment #}` tokens with their
lines and columns, the way Django's own Lexer does (same regular expression),
which is all the security rules need. When the project model's parser lands,
the rules can read its tree instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from djreview.checks.base import Check
from djreview.model import Location
from djreview.source.file import SourceFile

_TAG_RE = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})", re.DOTALL)
_FILTER_SPLIT = re.compile(r"""\|(?=(?:[^"']|"[^"]*"|'[^']*')*$)""")


@dataclass(frozen=True, slots=True)
class Token:
    """One template token: kind is text, var, block or comment; `content` is the inside."""

    kind: str
    content: str
    offset: int
    end: int

    @property
    def words(self) -> list[str]:
        """A block tag's words: `['autoescape', 'off']`."""
        return self.content.split()

    @property
    def filters(self) -> list[str]:
        """A variable's filter names, in order: `['truncatewords', 'safe']`."""
        parts = _FILTER_SPLIT.split(self.content)
        return [part.split(":", 1)[0].strip() for part in parts[1:]]

    @property
    def expression(self) -> str:
        """A variable's value before its filters: `post.body`."""
        return _FILTER_SPLIT.split(self.content)[0].strip()


@lru_cache(maxsize=512)
def tokenize(text: str) -> tuple[Token, ...]:
    """The tokens of a template, in order."""
    tokens: list[Token] = []
    position = 0
    for match in _TAG_RE.finditer(text):
        if match.start() > position:
            tokens.append(Token("text", text[position : match.start()], position, match.start()))
        raw = match.group(0)
        kind = {"{{": "var", "{%": "block", "{#": "comment"}[raw[:2]]
        tokens.append(Token(kind, raw[2:-2].strip(), match.start(), match.end()))
        position = match.end()
    if position < len(text):
        tokens.append(Token("text", text[position:], position, len(text)))
    return tuple(tokens)


@lru_cache(maxsize=512)
def flatten(text: str) -> str:
    """The template with every tag, variable and comment blanked out (offsets unchanged).

    HTML scanning reads this, so a `>` inside `{% url %}` never ends a tag.
    """
    pieces = []
    for token in tokenize(text):
        if token.kind == "text":
            pieces.append(token.content)
        else:
            pieces.append("\x00" * (token.end - token.offset))
    return "".join(pieces)


def autoescape_off_blocks(tokens: tuple[Token, ...]) -> list[tuple[Token, tuple[Token, ...]]]:
    """Each `{% autoescape off %}` tag with the tokens up to its own `{% endautoescape %}`.

    Nested autoescape blocks are counted so an inner `endautoescape` does not end the
    outer block; an unclosed block runs to the end of the template (as Django's parser
    would refuse it, but the rule should still see it).
    """
    blocks = []
    for index, token in enumerate(tokens):
        if token.kind != "block" or token.words[:2] != ["autoescape", "off"]:
            continue
        depth, end = 1, len(tokens)
        for later in range(index + 1, len(tokens)):
            words = tokens[later].words[:1] if tokens[later].kind == "block" else []
            depth += words == ["autoescape"]
            depth -= words == ["endautoescape"]
            if depth == 0:
                end = later
                break
        blocks.append((token, tokens[index + 1 : end]))
    return blocks


def lone_variable(body: tuple[Token, ...]) -> Token | None:
    """The one variable a block holds when it holds nothing else but blank text and comments.

    `{% autoescape off %}{{ html }}{% endautoescape %}` is `{{ html|safe }}` spelled as a block.
    """
    variables = [t for t in body if t.kind == "var"]
    rest = [t for t in body if t.kind not in ("var", "comment")]
    if len(variables) != 1 or any(t.kind != "text" or t.content.strip() for t in rest):
        return None
    return variables[0]


_HTML_TAG = re.compile(r"<\s*[a-zA-Z!/]")


def looks_like_html(text: str) -> bool:
    """Whether a template writes any HTML tag (plain-text ones, such as SMS bodies, do not)."""
    return _HTML_TAG.search(flatten(text)) is not None


def in_tag(flat: str, offset: int) -> int:
    """The offset of the `<` of the HTML tag `offset` is inside, or -1."""
    opening = flat.rfind("<", 0, offset)
    return opening if opening > flat.rfind(">", 0, offset) else -1


def location(file: SourceFile, start: int, end: int) -> Location:
    """The Location of a character range of a template."""
    text = file.text
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1)
    end_line = text.count("\n", 0, end) + 1
    end_column = end - (text.rfind("\n", 0, end) + 1)
    return file.span_location(line, column, end_line, end_column)


class TemplateCheck(Check):
    """A security rule that reads Django templates."""

    category = "security"
    file_kinds = ("template",)
