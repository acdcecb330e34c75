"""DJR301: mark_safe() on data that is not provably literal or escaped."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator

from djreview.checks.base import Check
from djreview.checks.security._model_values import DefinedFunctions, markup_context
from djreview.checks.security._safe_html import (
    Constrained,
    Resolve,
    SafeMarkup,
    TemplateUses,
)
from djreview.checks.security.template_filter_unescaped import filter_flags
from djreview.model import Finding, Severity
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis
from djreview.taint.names import imported_names, qualified_callee
from djreview.taint.sinks import MARK_SAFE, MARK_SAFE_QUALIFIED
from djreview.taint.sources import call_name

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef)
# A filter that takes `autoescape` promises to escape: whether it does is DJR322's question.
# An `is_safe` filter's own mark_safe() is judged here like any other.
_FILTER_FLAGS = frozenset({"needs_autoescape"})


class MarkSafeOnVariable(Check):
    """`mark_safe()` (or `SafeString()`) on data that is not provably literal or escaped.

    ## What it does
    Flags `mark_safe(x)` / `SafeString(x)` (resolved through the imports:
    `mark_safe as ms` counts, a `mark_safe` imported from another library or
    defined in the module does not) unless every part of `x` is a
    literal, a translation string, or the output of an escaping function
    (`escape`, `conditional_escape`, `format_html`, `format_html_join`,
    `render_to_string`, `json_script`...), also when `x` is a local variable
    or a list joined from such parts. Inside template filters registered with
    `needs_autoescape` the call is DJR322's; in an `is_safe=True` filter it
    is this rule's (the flag changes nothing once the filter marks its
    result safe itself). When request data
    reaches the call, it is DJR311's (reflected XSS, on by default), which
    says where the data came from and carries the path.

    Not reported, deliberately:
    - the result of a project helper (same module, `self.method()`, or
      imported from another module) whose **every** `return` is itself safe
      by these rules: a function that escapes or builds with `format_html`
      on every path sanitises, whatever its name. One raw path and it does
      not;
    - parameters annotated `int`, `float`, `bool`, `Decimal`, `UUID`, dates:
      they cannot hold markup;
    - a parameter of an undecorated `_private` function or method when every
      call of it in the module passes safe markup (public and registered
      functions have callers this cannot see); a template filter's argument
      when every use in the project's templates writes it as a string
      literal (`|default_if_empty:"<i>empty</i>"`), or leaves it to a safe
      default;
      a class attribute assigned once in the class body to safe text (a dict
      of translated messages);
    - a value under `if isinstance(x, SafeString)` (or `SafeData`, `Markup`):
      it is already safe markup; `re.sub()` of safe text with a safe
      replacement; elements and slices of a list of safe parts;
    - a model field whose values cannot hold markup, read through the
      project's types (a field with `choices`, numbers, dates, UUIDs, IP
      addresses, booleans), the `obj` of a registered `ModelAdmin`'s display
      method being an instance of its model; the `get_FOO_display()` label
      Django generates for a field with choices, unless the project defines
      a method of that name (judged by its returns, or reported when it
      cannot be resolved);
    - values an operator or administrator sets: `django.conf.settings.*` and
      django-constance's `config.*`. Their HTML is on purpose (the triage
      policy counts administrator-written markup as not a defect);
    - translation functions however imported (`gettext_lazy as t`);
    - test modules and migrations.

    Audit-level (off by default; `--select audit` or `DJR301`): 4 of 24
    findings on ten unseen projects were true; the rest was markup built
    safely in ways only a reader sees (docs/triage/security.md).

    ## Why is this bad?
    `mark_safe` tells Django's template engine not to escape the value. If any
    part of it comes from a user (a comment, a profile field, a query
    parameter), the user can inject `<script>` into every page that shows it
    (cross-site scripting).

    ## Example
    ```python
    def badge(user):
        return mark_safe(f"<b>{user.first_name}</b>")
    ```

    ## Use instead
    ```python
    def badge(user):
        return format_html("<b>{}</b>", user.first_name)
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe
    - https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html
    """

    uses = (TaintAnalysis, ProjectModel, DefinedFunctions)
    id = "DJR301"
    name = "mark-safe-on-variable"
    message = (
        "{call}() on non-literal data switches off HTML escaping for whatever it holds; "
        "build the markup with format_html() instead"
    )
    severity = Severity.WARNING
    category = "security"
    cwe = (79,)
    security_severity = 6.1
    precision = "high"
    tags = ("xss", "audit")
    enabled_by_default = False
    hints = tuple(sorted(MARK_SAFE))

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per mark_safe() whose argument is not provably safe."""
        tree = file.tree
        if tree is None:
            return ()
        resolve, constrained = markup_context(project, file)
        templates = _template_uses(project)

        return self._visit(
            file, project, tree, [tree], (imported_names(tree), resolve, constrained, templates)
        )

    def _visit(
        self,
        file: SourceFile,
        project: Project,
        node: ast.AST,
        scopes: list[ast.AST],
        context: tuple[dict[str, str], Resolve, Constrained, TemplateUses],
    ) -> Iterator[Finding]:
        names, resolve, constrained, templates = context
        for child in ast.iter_child_nodes(node):
            inner = [child, *scopes] if isinstance(child, _SCOPES) else scopes
            if isinstance(child, ast.FunctionDef) and filter_flags(child) & _FILTER_FLAGS:
                continue
            if (
                isinstance(child, ast.Call)
                and qualified_callee(child.func, names) in MARK_SAFE_QUALIFIED
                and child.args
                and not SafeMarkup(
                    inner, child.lineno, resolve, constrained=constrained, templates=templates
                ).is_safe(child.args[0])
                and project.analysis(TaintAnalysis).hit_at(file, child, "markup") is None
            ):
                # Request data reaching the call is DJR311's (on by default): one finding.
                yield self.finding((file, child), call=call_name(child.func))
            yield from self._visit(file, project, child, inner, context)


def _template_uses(project: Project) -> TemplateUses:
    """The argument of every `|name(...)` / `|name:"..."` use in the project's templates."""
    found: dict[str, list[str | None]] = {}

    def uses(name: str) -> list[str | None]:
        if name not in found:
            pattern = re.compile(
                r"\|\s*"
                + re.escape(name)
                + r"\b(?:\s*\(([^()]*)\)|:(\"[^\"]*\"|'[^']*'|[^\s|}]+))?"
            )
            found[name] = [
                match.group(1) if match.group(1) is not None else match.group(2)
                for file in project.files
                if file.kind == "template"
                for match in pattern.finditer(file.text)
            ]
        return found[name]

    return uses
