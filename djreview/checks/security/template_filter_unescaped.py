"""DJR322: template filters that promise escaping or safety and do not keep the promise."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from djreview.checks.base import Check
from djreview.checks.security._safe_html import SafeMarkup
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.sources import call_name

_ESCAPERS = frozenset({"conditional_escape", "escape", "format_html", "format_html_join"})


class TemplateFilterUnescaped(Check):
    """A `needs_autoescape` filter never escapes, or an `is_safe` filter marks raw input safe.

    ## What it does
    Flags filters registered with `@register.filter(needs_autoescape=True)`
    whose body neither reads the `autoescape` argument nor calls
    `conditional_escape` / `escape` / `format_html`; and filters registered
    with `is_safe=True` that return `mark_safe(...)` of something not provably
    escaped (an `is_safe` filter must not add unsafe markup, and marking its
    result safe hides that from Django's checks).

    ## Why is this bad?
    The template author trusts the filter to escape (`needs_autoescape`) or
    to keep safe input safe (`is_safe`); when it does neither, every value
    piped through it reaches the page unescaped (cross-site scripting).

    ## Example
    ```python
    @register.filter(needs_autoescape=True)
    def initial_letter(text, autoescape=True):
        return mark_safe(f"<strong>{text[0]}</strong>{text[1:]}")
    ```

    ## Use instead
    ```python
    @register.filter(needs_autoescape=True)
    def initial_letter(text, autoescape=True):
        esc = conditional_escape if autoescape else (lambda x: x)
        return mark_safe(f"<strong>{esc(text[0])}</strong>{esc(text[1:])}")
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/howto/custom-template-tags/#filters-and-auto-escaping
    """

    id = "DJR322"
    name = "template-filter-unescaped"
    message = "Filter {name}() is registered with {flag} but {problem}"
    severity = Severity.WARNING
    category = "security"
    hints = ("is_safe", "needs_autoescape")
    cwe = (79, 116)
    security_severity = 6.1
    precision = "high"
    tags = ("xss", "templates")

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per filter that breaks its escaping promise."""
        return self._findings(file)

    def _findings(self, file: SourceFile) -> Iterator[Finding]:
        for node in file.nodes_of(ast.FunctionDef):
            flags = filter_flags(node)
            if "needs_autoescape" in flags and not _escapes(node):
                yield self.finding(
                    (file, node),
                    name=node.name,
                    flag="needs_autoescape=True",
                    problem="never reads `autoescape` nor escapes its input",
                )
            elif "is_safe" in flags:
                marked = _unsafe_mark_safe(node)
                if marked is not None:
                    yield self.finding(
                        (file, marked),
                        name=node.name,
                        flag="is_safe=True",
                        problem="marks an unescaped value safe",
                    )


def filter_flags(function: ast.FunctionDef) -> set[str]:
    """`needs_autoescape` / `is_safe` set true on a `register.filter(...)` decorator."""
    flags: set[str] = set()
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and call_name(decorator.func) == "filter":
            for keyword in decorator.keywords:
                value = keyword.value
                if keyword.arg and isinstance(value, ast.Constant) and value.value is True:
                    flags.add(keyword.arg)
    return flags


def _escapes(function: ast.FunctionDef) -> bool:
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Name)
            and node.id == "autoescape"
            and isinstance(node.ctx, ast.Load)
        ):
            return True
        if isinstance(node, ast.Call) and call_name(node.func) in _ESCAPERS:
            return True
    return False


def _unsafe_mark_safe(function: ast.FunctionDef) -> ast.Call | None:
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and call_name(node.func) == "mark_safe"
            and node.args
            and not SafeMarkup([function], node.lineno).is_safe(node.args[0])
        ):
            return node
    return None
