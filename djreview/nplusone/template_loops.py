"""Templates that read relations inside `{% for %}` over a view's queryset (DJR110).

Views give templates their querysets: the project model's views (generic
views' own names, `get_context_data`, render calls with context dicts,
templates named by `template_name`, a parameter default, `get_template_names()`
or Django's default) and custom tag libraries (an inclusion tag's returned
dict; a tag binding a context name, `{% tag as x %}` or `context["x"] = ...`
in a `Node.render()`). Templates are found and parsed by the project model
(Django's loader order, one DTL tree per file): `{% for %}` binds rows (not
in its `{% empty %}`), `{% with %}` and `{% include ... with %}` rebind rows
and context names (an include without `only` sees both, in a loop or not),
a tag called with a row runs its function (and an inclusion tag's template)
once per row, and every variable path starting at a row (`post.author.name`,
`post.tags.all`, `post.comments.count`, `{{ post }}` through `__str__`) in a
variable or tag is read like Python code in a loop body, method calls
implied. `{% comment %}` and `{% verbatim %}` are not read.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from djreview.model import Location
from djreview.nplusone.evaluate import Evaluator, Scope
from djreview.nplusone.expr_shapes import FEW_ROWS
from djreview.nplusone.querysets import Instance, QuerySetState
from djreview.nplusone.relation_map import Schema
from djreview.nplusone.rows import READ, REQUERY, Access, RowReader, Via
from djreview.project.dtl import Node, Tag, Text, include_name
from djreview.project.template_tags import TemplateTag, template_tags
from djreview.project.views import ViewInfo
from djreview.source.file import SourceFile

VARIABLE = re.compile(r"(?<![\w.'\"])([A-Za-z_]\w*(?:\.\w+)*)")
STRING = re.compile(r"'[^']*'|\"[^\"]*\"")
_KEYWORDS = frozenset(
    {"in", "not", "and", "or", "is", "as", "with", "only", "None", "True", "False"}
)
MAX_INCLUDE = 3
# Context names -> a queryset (iterated by `{% for %}`) or one object (`object`).
Context = dict[str, QuerySetState | Instance]
_PYTHON_KEYWORDS = frozenset(keyword.kwlist)


@dataclass(frozen=True)
class TemplateAccess:
    """A per-row read in a template, with where it is and the loop around it."""

    access: Access
    location: Location
    loop: Location
    state: QuerySetState
    view: tuple[SourceFile, ast.AST]


def _location(file: SourceFile, offset: int, length: int) -> Location:
    line = file.text.count("\n", 0, offset) + 1
    column = offset - (file.text.rfind("\n", 0, offset) + 1)
    return file.span_location(line, column, line, column + length)


def _token(text: str, lines: list[int], line: int, column: int) -> tuple[int, str]:
    """The offset and source text of the `{{ }}` / `{% %}` token a DTL node starts at.

    `lines` holds the offset of each line start; DTL columns are 1-based.
    """
    start = lines[line - 1] + column - 1
    end = text.index("}}" if text.startswith("{{", start) else "%}", start + 2) + 2
    return start, text[start:end]


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer("\n", text))]


def _few_by_arguments(tag: TemplateTag, node: Tag) -> bool:
    """`return qs[:limit]` with `{% tag limit=5 as x %}` (or a default of 5): a handful of rows."""
    function = tag.function
    positional = [*function.args.posonlyargs, *function.args.args]
    defaults = dict(
        zip(
            [a.arg for a in positional[len(positional) - len(function.args.defaults) :]],
            function.args.defaults,
            strict=True,
        )
    )
    passed = dict(arg.split("=", 1) for arg in node.args if "=" in arg)
    returns = [n.value for n in ast.walk(function) if isinstance(n, ast.Return) and n.value]
    for value in returns:
        if not (isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Slice)):
            return False
        upper = value.slice.upper
        if not isinstance(upper, ast.Name) or value.slice.lower is not None:
            return False
        given = passed.get(upper.id)
        default = defaults.get(upper.id)
        bound: object = None
        if given is not None:
            bound = int(given) if given.isdigit() else None
        elif isinstance(default, ast.Constant):
            bound = default.value
        if type(bound) is not int or bound > FEW_ROWS:
            return False
    return bool(returns)


def _renamed(
    context: Context, pairs: list[tuple[str, str]], source: Context | None = None
) -> Context:
    """`{% with rows=posts %}`, `include ... with rows=posts|slice:":3"`: context names renamed.

    A `slice` to at most a handful of rows marks the rows few; other filters
    (unknown results) drop the name.
    """
    source = context if source is None else source
    renamed = dict(context)
    for target, expression in pairs:
        name, _, rest = expression.partition("|")
        value = source.get(name)
        if value is None:
            continue
        if not rest:
            renamed[target] = value
            continue
        bounds = re.fullmatch(r"""slice:["']:(\d+)["']""", rest)
        if isinstance(value, QuerySetState) and bounds and int(bounds.group(1)) <= FEW_ROWS:
            renamed[target] = replace(value, few=True)
        else:
            renamed.pop(target, None)
    return renamed


def _returned_dict(function: ast.AST) -> dict[str, ast.expr]:
    """The string keys of the dict literals a function returns."""
    found: dict[str, ast.expr] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Dict):
            for key, value in zip(node.value.keys, node.value.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    found[key.value] = value
    return found


def _expression(path: str) -> ast.expr | None:
    """`post.tags.all` -> the Python `post.tags.all()` (templates call without parentheses).

    None for paths Python cannot spell (`row.0`, keywords).
    """
    parts = path.split(".")
    if not all(part.isidentifier() and part not in _PYTHON_KEYWORDS for part in parts):
        return None
    text = parts[0] + "".join(
        f".{p}()" if p in READ or p in REQUERY else f".{p}" for p in parts[1:]
    )
    return ast.parse(text, mode="eval").body


class TemplateReader:
    """Connects views to templates and finds per-row reads in their loops."""

    def __init__(self, schema: Schema, evaluator: Evaluator) -> None:
        self.schema = schema
        self.evaluator = evaluator
        self.index = schema.index
        self._lines: dict[str, list[int]] = {}
        self.rows = RowReader(schema, implicit_calls=True)
        self._by_file: dict[str, list[ViewInfo]] | None = None
        self._tags: dict[tuple[str, str], TemplateTag] | None = None
        self._libraries: dict[str, set[str]] = {}

    @property
    def tags(self) -> dict[tuple[str, str], TemplateTag]:
        """The project's custom template tags and filters by (library, name)."""
        if self._tags is None:
            self._tags = template_tags(self.index.modules)
        return self._tags

    def _custom_tag(self, template: SourceFile, name: str) -> TemplateTag | None:
        """The project tag `name` as the template's `{% load %}`ed libraries define it."""
        if not self.tags:
            return None
        libraries = self._libraries.get(template.rel)
        if libraries is None:
            libraries = self._libraries[template.rel] = self.index.parsed_template(
                template
            ).libraries
        return next((tag for lib in sorted(libraries) if (tag := self.tags.get((lib, name)))), None)

    def find(self, name: str) -> SourceFile | None:
        """The template file Django would load for `name` (`blog/post_list.html`)."""
        found = self.index.template(name)
        return found.file if found is not None else None

    def views(self, file: SourceFile) -> Iterator[tuple[str, Context, ast.AST]]:
        """(template name, context querysets and objects, view node) for the views of a file.

        The views, their templates (explicit, inherited, Django's default) and
        context (generic views' own names, `get_context_data`, render calls in
        functions and methods, dicts built in variables) come from the project
        model; only the values are evaluated here.
        """
        if self._by_file is None:
            self._by_file = {}
            for view in self.index.views.values():
                self._by_file.setdefault(view.file, []).append(view)
        yield from self._tag_pages(file)
        for view in self._by_file.get(file.rel, []):
            if isinstance(view.node, ast.ClassDef):
                yield from self._class_view(file, view, view.node)
            else:
                scope = self.evaluator.scope_for(file, view.node, None)
                for call in view.renders:
                    context = self._evaluated(call.context, scope)
                    for name in call.templates if context else ():
                        yield name, context, call.node

    def _tag_pages(self, file: SourceFile) -> Iterator[tuple[str, Context, ast.AST]]:
        """Templates a tag library of `file` gives querysets to, as views do.

        An inclusion tag renders its template with the dict it returns; a
        template that calls a tag binding a context name (`{% get_tabs %}`,
        `{% recent_posts as posts %}`) is read from the start, the tag binding
        the name for the nodes after it.
        """
        finder = self.index.template_finder
        for tag in self.tags.values():
            if tag.module.rel != file.rel:
                continue
            if tag.kind == "inclusion" and tag.template:
                scope = self.evaluator.scope_for(file, tag.function, None)
                context = self._evaluated(_returned_dict(tag.function), scope)
                if context:
                    yield tag.template, context, tag.function
            if not tag.assigns and tag.kind != "simple":
                continue
            for rel, template in finder.files.items():
                if f"{tag.name}" not in template.text:
                    continue
                tree = self.index.parsed_template(template)
                if tag.library in tree.libraries and any(
                    tag.assigns or "as" in node.args for node in tree.tags(tag.name)
                ):
                    name = finder.name_of(rel)
                    if name is not None:
                        yield name, {}, tag.function

    def _tag_context(self, tag: TemplateTag, node: Tag, context: Context) -> Context:
        """The context after a tag that binds names: `{% x as name %}`, `context["k"] = ...`."""
        added: Context = {}
        module = tag.module
        if tag.render is not None and tag.assigns:
            scope = Scope(module.file, module.name, tag.render)
            added = self._evaluated(tag.assigns, scope)
        elif tag.kind == "simple" and len(node.args) >= 2 and node.args[-2] == "as":
            scope = self.evaluator.scope_for(module.file, tag.function, None)
            value = self.evaluator.returns(tag.function, scope, 0)
            if isinstance(value, QuerySetState) and _few_by_arguments(tag, node):
                value = replace(value, few=True)
            if isinstance(value, Instance) or (
                isinstance(value, QuerySetState) and not value.values
            ):
                added[node.args[-1]] = value
        return {**context, **added} if added else context

    def _tag_rows(
        self,
        template: SourceFile,
        start: int,
        token: str,
        tag: TemplateTag,
        node: Tag,
        context: Context,
        bound: dict[str, tuple[Instance, Location]],
        view: tuple[SourceFile, ast.AST],
        depth: int,
    ) -> Iterator[TemplateAccess]:
        """A tag called with loop rows runs its function (and its template) once per row."""
        args = node.args[: node.args.index("as")] if "as" in node.args else node.args
        parameters = tag.parameters
        rows: dict[str, tuple[Instance, Location]] = {}
        for index, arg in enumerate(args):
            target, _, source = arg.rpartition("=")
            if not target and index < len(parameters):
                target = parameters[index]
            if target and source in bound:
                rows[target] = bound[source]
        if not rows or tag.kind == "compiled":
            return
        module = tag.module
        location = _location(template, start, len(token))
        step = Via(module.file, tag.function, f"{{% {tag.name} %}}")
        instances = {name: row for name, (row, _) in rows.items()}
        first, loop = next(iter(rows.values()))
        for access in self.rows.scan(module.file, list(tag.function.body), instances, (step,), 1):
            trigger = access.trigger or (access.file, access.node)
            state = access.state or first.state
            text = f"{{% {tag.name} %}}"
            yield TemplateAccess(
                replace(access, text=text, trigger=trigger), location, loop, state, view
            )
        if tag.kind == "inclusion" and tag.template and depth < MAX_INCLUDE:
            included = self.index.template(tag.template)
            frame = {
                key: rows[value.id]
                for key, value in _returned_dict(tag.function).items()
                if isinstance(value, ast.Name) and value.id in rows
            }
            if included is not None and frame:
                yield from self.scan(included.file, context, frame, view, depth + 1)

    def _class_view(
        self, file: SourceFile, view: ViewInfo, cls: ast.ClassDef
    ) -> Iterator[tuple[str, Context, ast.AST]]:
        class_scope = self.evaluator.scope_for(file, None, cls)
        context: Context = {}
        implicit = view.implicit_context()
        if implicit:
            state = self.evaluator.class_queryset(class_scope, 0)
            if state is not None and not state.values:
                for name, kind in implicit.items():
                    context[name] = state if kind == "object_list" else Instance(state.model, state)
                if "object_list" in implicit.values():
                    context["page_obj"] = state
        method = self.index.classes.method(view.qualified_name, "get_context_data")
        if method is not None and view.extra_context:
            info, function = method
            owner = self._owner(info.file, function) or cls
            scope = Scope(info.file, info.name, function, owner, leaf=class_scope)
            context.update(self._evaluated(view.extra_context, scope))
        if context:
            names = (view.template_name,) if view.template_name else view.default_templates
            for name in names:
                yield name, context, cls
        for call in view.renders:
            method_node = next(
                (
                    item
                    for item in cls.body
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                    and item.lineno <= call.node.lineno <= (item.end_lineno or item.lineno)
                ),
                None,
            )
            scope = self.evaluator.scope_for(file, method_node, cls)
            found = self._evaluated(call.context, scope)
            for name in call.templates if found else ():
                yield name, found, call.node

    @staticmethod
    def _owner(file: SourceFile, function: ast.AST) -> ast.ClassDef | None:
        tree = file.tree
        for node in tree.body if tree is not None else []:
            if isinstance(node, ast.ClassDef) and function in node.body:
                return node
        return None

    def _evaluated(self, expressions: dict[str, ast.expr], scope: Scope) -> Context:
        found: Context = {}
        for key, value in expressions.items():
            result = self.evaluator.value(value, scope)
            if isinstance(result, Instance) or (
                isinstance(result, QuerySetState) and not result.values
            ):
                found[key] = result
        return found

    def scan(
        self,
        template: SourceFile,
        context: Context,
        rows: dict[str, tuple[Instance, Location]],
        view: tuple[SourceFile, ast.AST],
        depth: int = 0,
    ) -> Iterator[TemplateAccess]:
        """Per-row reads in `template`, with `context` querysets and `rows` bound loop variables."""
        tree = self.index.parsed_template(template)
        lines = self._lines.get(template.rel)
        if lines is None:
            lines = self._lines[template.rel] = _line_starts(template.text)
        yield from self._nodes(template, lines, tree.nodes, context, dict(rows), view, depth)

    def _nodes(
        self,
        template: SourceFile,
        lines: list[int],
        nodes: list[Node],
        context: Context,
        bound: dict[str, tuple[Instance, Location]],
        view: tuple[SourceFile, ast.AST],
        depth: int,
    ) -> Iterator[TemplateAccess]:
        for node in nodes:
            if isinstance(node, Text):
                continue
            start, token = _token(template.text, lines, node.line, node.column)
            name = node.name if isinstance(node, Tag) else ""
            yield from self._variables(template, start, token, bound, view, name)
            if not isinstance(node, Tag):
                continue
            inner, inner_context = bound, context
            custom = self._custom_tag(template, name)
            if custom is not None:
                context = self._tag_context(custom, node, context)
                yield from self._tag_rows(
                    template, start, token, custom, node, context, bound, view, depth
                )
            if name == "for":
                inner = self._loop(template, node, start, token, context, bound)
            elif name == "with":
                inner = dict(bound)
                for target, source in self._assignments(node.args):
                    if source in bound:
                        inner[target] = bound[source]
                inner_context = _renamed(context, self._assignments(node.args))
            elif name == "include" and depth < MAX_INCLUDE:
                yield from self._include(node, context, bound, view, depth)
            yield from self._nodes(
                template, lines, node.children, inner_context, inner, view, depth
            )
            for branch in node.branches.values():
                # `{% empty %}` runs when there is no row: the loop variable is not bound there.
                outer = bound if name == "for" else inner
                yield from self._nodes(template, lines, branch, context, outer, view, depth)

    def _loop(
        self,
        template: SourceFile,
        tag: Tag,
        start: int,
        token: str,
        context: Context,
        bound: dict[str, tuple[Instance, Location]],
    ) -> dict[str, tuple[Instance, Location]]:
        """The variables bound inside `{% for row in rows %}` (one row; unpacking binds none)."""
        args = tag.args
        frame = dict(bound)
        if len(args) >= 3 and args[1] == "in" and "," not in args[0]:
            row = self._row(args[2], context, bound)
            if row is not None:
                frame[args[0]] = (row, _location(template, start, len(token)))
        return frame

    @staticmethod
    def _assignments(words: list[str]) -> list[tuple[str, str]]:
        pairs = [tuple(w.split("=", 1)) for w in words if "=" in w]
        if len(words) == 3 and words[1] == "as":
            pairs.append((words[2], words[0]))
        return [(str(p[0]), str(p[1])) for p in pairs if len(p) == 2]

    def _include(
        self,
        tag: Tag,
        context: Context,
        bound: dict[str, tuple[Instance, Location]],
        view: tuple[SourceFile, ast.AST],
        depth: int,
    ) -> Iterator[TemplateAccess]:
        """`{% include "x.html" %}` sees the loop variables; `with` rebinds, `only` hides them."""
        name = include_name(tag)
        included = self.index.template(name) if name is not None else None
        if included is None:
            return
        args = tag.args
        frame = {} if "only" in args else dict(bound)
        seen = {} if "only" in args else context
        if "with" in args:
            pairs = self._assignments(args[args.index("with") + 1 :])
            for target, source in pairs:
                if source in bound:
                    frame[target] = bound[source]
            seen = _renamed(seen, pairs, context)
        if frame or seen:
            # Outside a loop too: the snippet's own `{% for %}` runs over the view's querysets.
            yield from self.scan(included.file, seen, frame, view, depth + 1)

    def _row(
        self,
        source: str,
        context: Context,
        bound: dict[str, tuple[Instance, Location]],
    ) -> Instance | None:
        value = context.get(source)
        if isinstance(value, QuerySetState):
            return None if value.few or value.empty else Instance(value.model, value)
        root = source.split(".", 1)[0]
        if "." not in source:
            return None
        context_object = context.get(root)
        if isinstance(context_object, QuerySetState) and source == f"{root}.object_list":
            # `{% for row in page_obj.object_list %}`: the rows of the page.
            return self._row(root, context, bound)
        if root in bound:
            row = bound[root][0]
        elif isinstance(context_object, Instance):
            row = context_object
        else:
            return None
        expression = _expression(source)
        return self.rows.iterated(expression, {root: row}) if expression else None

    def _variables(
        self,
        template: SourceFile,
        start: int,
        token: str,
        bound: dict[str, tuple[Instance, Location]],
        view: tuple[SourceFile, ast.AST],
        tag: str,
    ) -> Iterator[TemplateAccess]:
        if not bound or tag in ("include", "load", "block", "extends", "endblock"):
            return
        masked = STRING.sub(lambda m: " " * len(m.group(0)), token)
        for match in VARIABLE.finditer(masked, 2):
            path = match.group(1)
            root = path.split(".", 1)[0]
            if root in _KEYWORDS or root not in bound:
                continue
            row, loop = bound[root]
            location = _location(template, start + match.start(), len(path))
            if "." not in path:
                if token.startswith("{{") and masked[match.end() :].lstrip().startswith(
                    ("}}", "|")
                ):
                    accesses = self.rows.follow(template, ast.Name(root), row, "__str__", root)
                else:
                    continue
            else:
                expression = _expression(path)
                if expression is None:
                    continue
                accesses = self.rows.scan(template, [expression], {root: row})
            for access in accesses:
                yield TemplateAccess(access, location, loop, row.state, view)
