"""DJR322: template filters that promise escaping or safety and do not keep the promise."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from djreview.checks.base import Check
from djreview.checks.security._model_values import DefinedFunctions, markup_context
from djreview.checks.security._safe_html import SafeMarkup
from djreview.model import Finding, Severity
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis
from djreview.taint.sources import call_name

_ESCAPERS = frozenset({"conditional_escape", "escape", "format_html", "format_html_join"})
# Calls that build text from their parts: the argument stays raw text in the result.
_STRING_BUILDERS = frozenset({"str", "format", "join", "replace", "strip", "upper", "lower"})


class TemplateFilterUnescaped(Check):
    """A `needs_autoescape` filter marks unescaped input safe, or an `is_safe` filter adds raw text.

    ## What it does
    Flags filters registered with `@register.filter(needs_autoescape=True)`
    whose body neither reads the `autoescape` argument nor calls
    `conditional_escape` / `escape` / `format_html`, yet marks something
    that can hold markup safe; and filters registered with `is_safe=True`
    that return a plain string holding their argument (`{{ x|f:arg }}`)
    unescaped: Django marks that result safe whenever the input was, so the
    argument reaches the page as HTML.

    Not reported, deliberately:
    - a `needs_autoescape` filter whose `mark_safe()` calls hold only values
      that cannot carry markup, judged as DJR301 judges a `mark_safe()`
      argument: literals, numbers, dates and `strftime()`, the
      `get_FOO_display()` label of a field with choices, translated text,
      `reverse()`, escaped values and project helpers that return such
      values. There is nothing to escape, so ignoring `autoescape` is
      harmless;
    - an `is_safe=True` filter that calls `mark_safe()` itself: the flag
      changes nothing there, `mark_safe()` decides. Whether what it marks is
      safe is DJR301's question (audit-level, `--select audit`), which
      reports it like any other `mark_safe()` of a variable;
    - an `is_safe=True` filter that uses its argument only to compare
      (`value == arg`), to test or to look up (`value[arg]`): no text of the
      argument reaches the result, only string building carries it there;
    - test modules and migrations.

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

    uses = (TaintAnalysis, ProjectModel, DefinedFunctions)
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
        return self._findings(file, project)

    def _findings(self, file: SourceFile, project: Project) -> Iterator[Finding]:
        tree = file.tree
        if tree is None:
            return
        for node in file.nodes_of(ast.FunctionDef):
            flags = filter_flags(node)
            if "needs_autoescape" in flags and not _escapes(node):
                if _marks_only_safe_values(file, tree, node, project):
                    continue
                yield self.finding(
                    (file, node),
                    name=node.name,
                    flag="needs_autoescape=True",
                    problem="never reads `autoescape` nor escapes its input",
                )
            elif "is_safe" in flags:
                returned = _raw_argument_returned(node)
                if returned is not None:
                    yield self.finding(
                        (file, returned),
                        name=node.name,
                        flag="is_safe=True",
                        problem="returns its argument unescaped in text Django marks safe",
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


def _marks_only_safe_values(
    file: SourceFile, tree: ast.Module, function: ast.FunctionDef, project: Project
) -> bool:
    """Every `mark_safe()` in the filter holds only values that cannot carry markup."""
    marked = [
        node
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and call_name(node.func) == "mark_safe" and node.args
    ]
    if not marked:
        return False
    resolve, constrained = markup_context(project, file)

    return all(
        SafeMarkup([function, tree], call.lineno, resolve, constrained=constrained).is_safe(
            call.args[0]
        )
        for call in marked
    )


def _raw_argument_returned(function: ast.FunctionDef) -> ast.Return | None:
    """A `return` of plain text that holds the filter's argument (its second parameter) raw."""
    params = [*function.args.posonlyargs, *function.args.args]
    if len(params) < 2:
        return None
    argument = params[1].arg
    for node in ast.walk(function):
        if isinstance(node, ast.Return) and node.value is not None and _raw(node.value, argument):
            return node
    return None


def _raw(node: ast.expr, name: str) -> bool:
    """`name` appears in `node` as text: through string building only, not inside a
    comparison, a lookup by it (`d[name]`) or a call other than string building."""
    if isinstance(node, ast.Name):
        return node.id == name
    if isinstance(node, ast.Subscript | ast.Attribute):
        return _raw(node.value, name)  # a slice of the text is text; `d[name]` is a lookup
    if isinstance(node, ast.IfExp):
        return _raw(node.body, name) or _raw(node.orelse, name)
    parts: list[ast.expr]
    if isinstance(node, ast.Call):
        if call_name(node.func) not in _STRING_BUILDERS:
            return False  # an escaper, mark_safe() (DJR301's), a lookup by the argument
        receiver = [node.func.value] if isinstance(node.func, ast.Attribute) else []
        parts = [*receiver, *node.args, *(keyword.value for keyword in node.keywords)]
    elif isinstance(node, ast.BinOp):
        parts = [node.left, node.right]
    elif isinstance(node, ast.JoinedStr | ast.BoolOp):
        parts = list(node.values)
    elif isinstance(node, ast.FormattedValue):
        parts = [node.value]
    else:
        return False  # a comparison, `not`, a number: no text of the argument
    return any(_raw(part, name) for part in parts)
