"""A small Django Template Language parser: a syntax tree with line numbers.

Tokenised as Django's Lexer does (`{{ }}`, `{% %}`, `{# #}`); variables are
split into a lookup path and filters; `for`/`empty`, `if`/`elif`/`else`,
`with`, `block`, `autoescape`, `filter`, `spaceless` and any custom tag that
has a matching `end<name>` become block nodes with children; `extends`,
`include` (with `with ... only`), `load`, `csrf_token`, `url` and other tags
are leaf nodes keeping their raw bits. It never raises: unbalanced tags are
recorded in `Template.errors`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_TOKEN = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})", re.DOTALL)
_BITS = re.compile(r"""(?:[^\s"']+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')+""")
# Built-in block tags and the tags that split them into branches.
_BRANCHES = {
    "for": ("empty",),
    "if": ("elif", "else"),
    "ifchanged": ("else",),
    "ifequal": ("else",),
    "ifnotequal": ("else",),
}
_RAW_BLOCKS = frozenset({"comment", "verbatim"})


@dataclass
class Variable:
    """`{{ post.author.name|default:"?" }}`: lookup path and (filter, argument) pairs."""

    text: str
    lookup: str
    filters: list[tuple[str, str | None]]
    line: int
    column: int

    @property
    def parts(self) -> list[str]:
        """The dotted lookup split: ['post', 'author', 'name']."""
        return self.lookup.split(".") if self.lookup else []


@dataclass
class Text:
    """Literal text between tags."""

    text: str
    line: int


@dataclass
class Tag:
    """A template tag. Block tags have `children` (and `branches`: 'empty', 'else'...)."""

    name: str
    bits: list[str]
    line: int
    column: int
    children: list[Node] = field(default_factory=list)
    branches: dict[str, list[Node]] = field(default_factory=dict)
    end_line: int | None = None

    @property
    def args(self) -> list[str]:
        """The bits after the tag name."""
        return self.bits[1:]


Node = Variable | Text | Tag


@dataclass
class Template:
    """A parsed template: top-level nodes plus what extends/include/load/block say."""

    nodes: list[Node]
    extends: str | None = None
    errors: list[tuple[int, str]] = field(default_factory=list)

    def walk(self) -> Iterator[tuple[Node, tuple[Tag, ...]]]:
        """Every node with its enclosing block tags (outermost first)."""
        yield from _walk(self.nodes, ())

    def tags(self, name: str) -> Iterator[Tag]:
        """Every tag called `name`."""
        return (node for node, _ in self.walk() if isinstance(node, Tag) and node.name == name)

    def variables(self) -> Iterator[tuple[Variable, tuple[Tag, ...]]]:
        """Every `{{ variable }}` with its enclosing block tags."""
        for node, parents in self.walk():
            if isinstance(node, Variable):
                yield node, parents

    @property
    def includes(self) -> list[str]:
        """Literal template names of `{% include %}` tags."""
        return [name for tag in self.tags("include") if (name := include_name(tag)) is not None]

    @property
    def blocks(self) -> dict[str, Tag]:
        """`{% block name %}` tags by name."""
        return {tag.args[0]: tag for tag in self.tags("block") if tag.args}

    @property
    def libraries(self) -> set[str]:
        """Tag libraries `{% load %}`ed (`{% load x from y %}` counts y)."""
        found: set[str] = set()
        for tag in self.tags("load"):
            args = tag.args
            found.update(args[args.index("from") + 1 :] if "from" in args else args)
        return found


def _walk(nodes: list[Node], parents: tuple[Tag, ...]) -> Iterator[tuple[Node, tuple[Tag, ...]]]:
    for node in nodes:
        yield node, parents
        if isinstance(node, Tag):
            inner = (*parents, node)
            yield from _walk(node.children, inner)
            for branch in node.branches.values():
                yield from _walk(branch, inner)


def unquote(text: str) -> str | None:
    """The string inside matching quotes, else None."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return None


def include_name(tag: Tag) -> str | None:
    """The literal template name of an include/extends tag."""
    return unquote(tag.args[0]) if tag.args else None


def split_filters(text: str) -> tuple[str, list[tuple[str, str | None]]]:
    """`a.b|f:"x"|g` -> ('a.b', [('f', '"x"'), ('g', None)]), respecting quotes."""
    parts = re.findall(r"""(?:[^|"']+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')+""", text)
    lookup = parts[0].strip() if parts else ""
    filters: list[tuple[str, str | None]] = []
    for part in parts[1:]:
        name, colon, argument = part.partition(":")
        filters.append((name.strip(), argument.strip() if colon else None))
    return lookup, filters


def parse_variable(text: str, line: int, column: int) -> Variable:
    """A Variable from the text between `{{` and `}}`."""
    lookup, filters = split_filters(text.strip())
    if unquote(lookup) is not None:
        lookup = ""
    return Variable(text.strip(), lookup, filters, line, column)


def parse(source: str) -> Template:
    """Parse template source; never raises."""
    template = Template(nodes=[])
    stack: list[tuple[Tag, list[Node]]] = []
    current = template.nodes
    block_names = _block_names(source)
    raw_until: str | None = None
    line, position = 1, 0
    for match in _TOKEN.finditer(source):
        start, token = match.start(), match.group()
        line += source.count("\n", position, start)
        column = start - source.rfind("\n", 0, start)
        if raw_until is not None:
            if token.startswith("{%") and token[2:-2].strip() == raw_until:
                raw_until = None
                stack[-1][0].end_line = line
                stack.pop()
                current = stack[-1][1] if stack else template.nodes
            line, position = line + token.count("\n"), match.end()
            continue
        if start > position:
            current.append(Text(source[position:start], line))
        if token.startswith("{{"):
            current.append(parse_variable(token[2:-2], line, column))
        elif token.startswith("{%"):
            bits = _BITS.findall(token[2:-2].strip())
            if bits:
                current = _tag(
                    template, stack, current, Tag(bits[0], bits, line, column), block_names
                )
                if bits[0] in _RAW_BLOCKS and stack and stack[-1][0].name == bits[0]:
                    raw_until = f"end{bits[0]}"
        line += token.count("\n")
        position = match.end()
    if position < len(source):
        current.append(Text(source[position:], line))
    for tag, _ in stack:
        template.errors.append((tag.line, f"unclosed {{% {tag.name} %}}"))
    return template


def _block_names(source: str) -> set[str]:
    """Tags that have an `end<name>` somewhere: those open a block."""
    return {name[3:] for name in re.findall(r"{%\s*(end\w+)", source)}


def _tag(
    template: Template,
    stack: list[tuple[Tag, list[Node]]],
    current: list[Node],
    tag: Tag,
    block_names: set[str],
) -> list[Node]:
    name = tag.name
    if name.startswith("end") and name[3:] in block_names:
        if stack and stack[-1][0].name == name[3:]:
            stack[-1][0].end_line = tag.line
            stack.pop()
        else:
            template.errors.append((tag.line, f"unexpected {{% {name} %}}"))
        return stack[-1][1] if stack else template.nodes
    if stack and name in _BRANCHES.get(stack[-1][0].name, ()):
        opener = stack[-1][0]
        key = name if name not in opener.branches else f"{name}{len(opener.branches)}"
        branch: list[Node] = [tag] if name == "elif" else []
        opener.branches[key] = branch
        stack[-1] = (opener, branch)
        return branch
    if name == "extends" and template.extends is None:
        template.extends = include_name(tag)
    current.append(tag)
    if name in block_names:
        stack.append((tag, tag.children))
        return tag.children
    return current
