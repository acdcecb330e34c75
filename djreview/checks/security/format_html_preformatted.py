"""DJR312: `format_html()` given a template that was formatted before the call."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator

from djreview.checks.base import Check
from djreview.checks.security._model_values import (
    DefinedFunctions,
    file_fields,
    markup_context,
)
from djreview.checks.security._safe_html import Constrained, SafeMarkup
from djreview.checks.security._safe_html import _last_plain_assignment as last_assignment
from djreview.model import Finding, Severity
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis
from djreview.taint.names import imported_names, qualified_callee

_FORMAT_HTML = frozenset({"django.utils.html.format_html"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef)
# Whether a value, in the given scopes (innermost first) before a line, is safe markup
# (the last argument: whether the template writes it inside a double-quoted attribute).
IsSafe = Callable[[ast.expr, list[ast.AST], int, bool], bool]
# The text before a value written inside a double-quoted attribute (`<img src="`).
_IN_QUOTED_ATTRIBUTE = re.compile(r'=\s*"[^"<>]*$')


class FormatHtmlPreformatted(Check):
    """`format_html()` receives a template that was already formatted.

    ## What it does
    Flags `format_html()` (resolved through the imports: `from django.utils
    import html; html.format_html(...)` counts, a look-alike from another
    library does not) whose first argument, the template, is built by an
    f-string, `%`, `+` or `.format()` with values in it.

    It deliberately does not report a template whose built-in values are
    all literal or escaped markup, read the way DJR301 reads `mark_safe()`
    arguments: translated text, `escape()` / `format_html()` results, and
    a project helper (a method such as `self.extra_message()`, resolved to
    its definition) whose every `return` is one of those. Such a template
    is still the authors' own text, and the values passed as arguments are
    escaped as they should be. Nor a value a model field's type confines
    (choices, numbers, dates, UUIDs, a django-colorfield `ColorField`), nor
    a stored file's `.url` (also behind literal text, through a local name)
    written inside a double-quoted attribute of an f-string template: the
    storage quotes it with `filepath_to_uri()`, which leaves no `"`, `<` or
    `>` (WebODM's logo preview). The same URL in a single-quoted attribute,
    where a `'` it may hold ends the value, stays reported. Test code and
    migrations are not reported.

    ## Why is this bad?
    `format_html` escapes its *arguments* and trusts its template. Values
    formatted into the template beforehand are marked safe with it, unescaped:
    the call looks safe and is not (cross-site scripting).

    ## Example
    ```python
    format_html(f"<a href='{url}'>{name}</a>")
    ```

    ## Use instead
    ```python
    format_html("<a href='{}'>{}</a>", url, name)
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html
    """

    uses = (TaintAnalysis, ProjectModel, DefinedFunctions)
    id = "DJR312"
    name = "format-html-preformatted"
    message = (
        "format_html() receives a template that was already formatted, so the interpolated "
        "values are not escaped; pass them as arguments"
    )
    severity = Severity.WARNING
    category = "security"
    cwe = (79,)
    security_severity = 6.1
    precision = "high"
    tags = ("xss",)
    hints = ("format_html",)

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per format_html() whose template holds a value not known to be safe."""
        tree = file.tree
        if tree is None:
            return ()
        resolve, constrained = markup_context(project, file)
        is_file = file_fields(project.analysis(ProjectModel), file)

        def safe(node: ast.expr, scopes: list[ast.AST], line: int, quoted: bool) -> bool:
            if quoted and _file_url(node, scopes, line, is_file):
                return True
            return SafeMarkup(scopes, line, resolve, constrained=constrained).is_safe(node)

        return self._visit(file, tree, [tree], imported_names(tree), safe)

    def _visit(
        self,
        file: SourceFile,
        node: ast.AST,
        scopes: list[ast.AST],
        names: dict[str, str],
        safe: IsSafe,
    ) -> Iterator[Finding]:
        for child in ast.iter_child_nodes(node):
            inner = [child, *scopes] if isinstance(child, _SCOPES) else scopes
            if isinstance(child, ast.Call) and qualified_callee(child.func, names) in _FORMAT_HTML:
                template = _template(child)
                parts = _built_parts(template) if template is not None else []
                quoted = _quoted_values(template)
                if any(not safe(part, inner, child.lineno, id(part) in quoted) for part in parts):
                    yield self.finding((file, child))
            yield from self._visit(file, child, inner, names, safe)


def _quoted_values(template: ast.expr | None) -> set[int]:
    """The ids of an f-string template's values written inside a double-quoted attribute."""
    found: set[int] = set()
    text = ""
    for value in template.values if isinstance(template, ast.JoinedStr) else []:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            text += value.value
        elif isinstance(value, ast.FormattedValue):
            if _IN_QUOTED_ATTRIBUTE.search(text) and value.conversion == -1:
                found.add(id(value.value))
            text += "x"
    return found


def _file_url(node: ast.expr, scopes: list[ast.AST], line: int, is_file: Constrained) -> bool:
    """A stored file's URL (`obj.logo.url`), alone or behind literal text, also through a
    local name: `FileSystemStorage.url()` quotes it with `filepath_to_uri()`, which leaves
    no `"`, `<` or `>` in it."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and not set(node.value) & set('"<>')
    if isinstance(node, ast.Attribute) and node.attr == "url":
        return isinstance(node.value, ast.Attribute) and is_file(node.value, scopes)
    if isinstance(node, ast.Name):
        value = next((last_assignment(s, node.id, line) for s in scopes), None)
        return value is not None and _file_url(value, scopes, value.lineno, is_file)
    if isinstance(node, ast.JoinedStr):
        return all(
            _file_url(v.value if isinstance(v, ast.FormattedValue) else v, scopes, line, is_file)
            for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _file_url(node.left, scopes, line, is_file) and _file_url(
            node.right, scopes, line, is_file
        )
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and not node.keywords
    ):
        parts = [node.func.value, *node.args]
        return all(_file_url(part, scopes, line, is_file) for part in parts)
    return False


def _template(call: ast.Call) -> ast.expr | None:
    if call.args and not isinstance(call.args[0], ast.Starred):
        return call.args[0]
    return next((kw.value for kw in call.keywords if kw.arg == "format_string"), None)


def _built_parts(node: ast.expr) -> list[ast.expr]:
    """The values formatted into a template string before the call (empty: not built)."""
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        parts: list[ast.expr] = []
        for side in (node.left, node.right):
            if isinstance(side, ast.Constant):
                continue
            if isinstance(side, ast.JoinedStr | ast.BinOp):
                parts += _built_parts(side)
            elif isinstance(side, ast.Tuple) and isinstance(node.op, ast.Mod):
                parts += [e for e in side.elts if not isinstance(e, ast.Constant)]
            else:
                parts.append(side)
        return parts
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        receiver = [] if isinstance(node.func.value, ast.Constant) else [node.func.value]
        values = [*node.args, *(kw.value for kw in node.keywords)]
        return receiver + [v for v in values if not isinstance(v, ast.Constant)]
    return []
