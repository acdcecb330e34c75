"""DJR312: `format_html()` given a template that was formatted before the call."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator

from djreview.checks.base import Check
from djreview.checks.security._model_values import DefinedFunctions, markup_context
from djreview.checks.security._safe_html import SafeMarkup
from djreview.model import Finding, Severity
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis
from djreview.taint.names import imported_names, qualified_callee

_FORMAT_HTML = frozenset({"django.utils.html.format_html"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef)
# Whether a value, in the given scopes (innermost first) before a line, is safe markup.
IsSafe = Callable[[ast.expr, list[ast.AST], int], bool]


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
    escaped as they should be. Test code and migrations are not reported.

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

        def safe(node: ast.expr, scopes: list[ast.AST], line: int) -> bool:
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
                if any(not safe(part, inner, child.lineno) for part in parts):
                    yield self.finding((file, child))
            yield from self._visit(file, child, inner, names, safe)


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
