"""Lossless model edits for index fixes with libcst: the layouts the text edits leave to it.

Each function takes the model file's text and returns the new text (or None
when the class or field is not where the analysis saw it). Imported only
when a text edit (keyword_text, meta_text) declines a file: libcst costs a
quarter of a second to import and a tenth of a second per pass over a large
models file.
"""

from __future__ import annotations

import functools

import libcst as cst

from djreview.source.code_style import DEFAULT_LINE_LENGTH, wrap_call


def _args_with(
    args: list[cst.Arg], new: cst.Arg, opening: cst.BaseParenthesizableWhitespace
) -> list[cst.Arg]:
    """Append `new` keeping the call's layout: one per line with trailing comma, or inline."""
    if not args:
        return [new]
    last = args[-1]
    if isinstance(last.comma, cst.Comma):
        between = (
            args[-2].comma.whitespace_after
            if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma)
            else opening
        )
        return [
            *args[:-1],
            last.with_changes(comma=cst.Comma(whitespace_after=between)),
            new.with_changes(comma=last.comma),
        ]
    return [
        *args[:-1],
        last.with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
            whitespace_after_arg=cst.SimpleWhitespace(""),
        ),
        new.with_changes(whitespace_after_arg=last.whitespace_after_arg),
    ]


def _elements_with(
    elements: list[cst.BaseElement], new: cst.Element, opening: cst.BaseParenthesizableWhitespace
) -> list[cst.BaseElement]:
    """Append a list element with the same layout rules as `_args_with`."""
    if not elements:
        return [new]
    last = elements[-1]
    if isinstance(last.comma, cst.Comma):
        previous = elements[-2].comma if len(elements) >= 2 else None
        between = previous.whitespace_after if isinstance(previous, cst.Comma) else opening
        return [
            *elements[:-1],
            last.with_changes(comma=cst.Comma(whitespace_after=between)),
            new.with_changes(comma=last.comma),
        ]
    return [
        *elements[:-1],
        last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
        new,
    ]


def _class(module: cst.Module, name: str) -> cst.ClassDef | None:
    for statement in module.body:
        if isinstance(statement, cst.ClassDef) and statement.name.value == name:
            return statement
    return None


def _assigned(statement: cst.BaseStatement, name: str) -> cst.Assign | cst.AnnAssign | None:
    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    for small in statement.body:
        if isinstance(small, cst.Assign) and any(
            isinstance(t.target, cst.Name) and t.target.value == name for t in small.targets
        ):
            return small
        if (
            isinstance(small, cst.AnnAssign)
            and isinstance(small.target, cst.Name)
            and small.target.value == name
        ):
            return small
    return None


class _FieldIndexer(cst.CSTTransformer):
    """Adds (or switches on) `db_index=True` in one field of one model class."""

    def __init__(self, model: str, field: str) -> None:
        self.model, self.field = model, field
        self.classes: list[str] = []
        self.done = False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.classes.append(node.name.value)
        return True

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self.classes.pop()
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if (
            self.classes == [self.model]
            and any(
                isinstance(t.target, cst.Name) and t.target.value == self.field
                for t in updated.targets
            )
            and isinstance(updated.value, cst.Call)
        ):
            return updated.with_changes(value=self._indexed(updated.value))
        return updated

    def _indexed(self, call: cst.Call) -> cst.Call:
        self.done = True
        true = cst.Name("True")
        for index, arg in enumerate(call.args):
            if arg.keyword is not None and arg.keyword.value == "db_index":
                args = list(call.args)
                args[index] = arg.with_changes(value=true)
                return call.with_changes(args=args)
        new = cst.Arg(
            value=true,
            keyword=cst.Name("db_index"),
            equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
        )
        return call.with_changes(args=_args_with(list(call.args), new, call.whitespace_before_args))


@functools.lru_cache(maxsize=16)
def _parse(text: str) -> cst.Module | None:
    """One libcst parse per model file text, however many fixes edit it (modules are immutable)."""
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError:
        return None


@functools.lru_cache(maxsize=16)
def _spans(text: str) -> dict[int, tuple[int, int]]:
    """Where each top-level statement's code lies in `text`, by `id()` of the statement.

    Worked out once per file, so an edit to one class regenerates that
    class's code only, not the whole module's (a large models file takes
    libcst a tenth of a second per full pass).
    """
    module = _parse(text)
    if module is None:
        return {}
    position = sum(len(module.code_for_node(line)) for line in module.header)
    spans: dict[int, tuple[int, int]] = {}
    for statement in module.body:
        code = module.code_for_node(statement)
        if text[position : position + len(code)] != code:
            return {}  # not laid out as expected: callers regenerate the whole module
        spans[id(statement)] = (position, position + len(code))
        position += len(code)
    return spans


def _replaced(text: str, module: cst.Module, old: cst.BaseStatement, new: cst.BaseStatement) -> str:
    """`text` with the top-level statement `old` replaced by `new`."""
    span = _spans(text).get(id(old))
    if span is None:
        return module.with_changes(body=[new if s is old else s for s in module.body]).code
    start, end = span
    return text[:start] + module.code_for_node(new) + text[end:]


def release_caches() -> None:
    """Drop the cached libcst modules (tens of MiB for large models files) once fixes are built."""
    _parse.cache_clear()
    _spans.cache_clear()


def add_db_index(text: str, model: str, field: str) -> str | None:
    """`text` with `db_index=True` on `model.field`, or None if the field is not a call there."""
    module = _parse(text)
    if module is None:
        return None
    indexer = _FieldIndexer(model, field)
    target = _class(module, model)
    if target is None:  # not a top-level class statement: visit the whole module
        new = module.visit(indexer)
        return new.code if indexer.done else None
    updated = target.visit(indexer)
    if not indexer.done or not isinstance(updated, cst.ClassDef):
        return None
    return _replaced(text, module, target, updated)


def add_meta_indexes(
    text: str, model: str, entries: list[str], width: int = DEFAULT_LINE_LENGTH
) -> str | None:
    """`text` with `entries` (source of `models.Index(...)` calls) added to `model.Meta.indexes`.

    Creates `indexes` in an existing Meta, or a Meta class after the last
    field, when missing.
    """
    module = _parse(text)
    if module is None:
        return None
    target = _class(module, model)
    if target is None or not isinstance(target.body, cst.IndentedBlock):
        return None
    body = list(target.body.body)
    meta_at = next(
        (i for i, s in enumerate(body) if isinstance(s, cst.ClassDef) and s.name.value == "Meta"),
        None,
    )
    if meta_at is None:
        # The new lines sit at the class body's indentation plus two levels.
        depth = len(_indent(target.body)) + 8
        source = (
            "class Meta:\n    indexes = [\n"
            + "".join(_entry(e, 8, depth, width) for e in entries)
            + "    ]\n"
        )
        meta = cst.parse_statement(source).with_changes(leading_lines=[cst.EmptyLine(indent=False)])
        last_field = max(
            (i for i, s in enumerate(body) if _assigned(s, _target_name(s))), default=len(body) - 1
        )
        body.insert(last_field + 1, meta)
    else:
        meta_class = body[meta_at]
        assert isinstance(meta_class, cst.ClassDef) and isinstance(
            meta_class.body, cst.IndentedBlock
        )
        meta_body = list(meta_class.body.body)
        for position, statement in enumerate(meta_body):
            assign = _assigned(statement, "indexes")
            if assign is not None and isinstance(assign.value, cst.List):
                listed = assign.value
                elements: list[cst.BaseElement] = list(listed.elements)
                block = len(_indent(target.body)) + len(_indent(meta_class.body))
                for entry in entries:
                    # Laid out at its final depth with the comma that will follow it;
                    # libcst adds the block's indentation to continuation lines itself.
                    first, *rest = wrap_call(entry, " " * (block + 4), width).split("\n")
                    laid = "\n".join([first[block + 4 :], *(line[block:] for line in rest)])
                    laid = laid.removesuffix(",")
                    new = cst.Element(cst.parse_expression(laid))
                    elements = _elements_with(elements, new, listed.lbracket.whitespace_after)
                assert isinstance(statement, cst.SimpleStatementLine)
                meta_body[position] = statement.with_changes(
                    body=[assign.with_changes(value=listed.with_changes(elements=elements))]
                )
                break
            if assign is not None:
                return None
        else:
            depth = len(_indent(target.body)) + len(_indent(meta_class.body)) + 4
            source = "indexes = [\n" + "".join(_entry(e, 4, depth, width) for e in entries) + "]\n"
            meta_body.append(cst.parse_statement(source))
        body[meta_at] = meta_class.with_changes(body=meta_class.body.with_changes(body=meta_body))
    updated = target.with_changes(body=target.body.with_changes(body=body))
    return _replaced(text, module, target, updated)


def _indent(block: cst.IndentedBlock) -> str:
    """A block's own indentation (libcst leaves it None for the module default)."""
    return block.indent if block.indent is not None else "    "


def _entry(entry: str, own: int, depth: int, width: int) -> str:
    """One list entry of a statement parsed alone: `own` spaces deep there, `depth` once placed.

    libcst re-indents the statement's lines as a block, so the entry is laid
    out for its final depth and then shifted back to the depth it has alone.
    """
    laid = wrap_call(entry, " " * depth, width)
    shift = depth - own
    return "".join(line[shift:] + "\n" for line in laid.split("\n"))


def _target_name(statement: cst.BaseStatement) -> str:
    if isinstance(statement, cst.SimpleStatementLine) and statement.body:
        small = statement.body[0]
        if isinstance(small, cst.Assign) and isinstance(small.targets[0].target, cst.Name):
            return small.targets[0].target.value
        if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
            return small.target.value
    return ""
