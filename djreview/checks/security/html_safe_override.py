"""DJR313: a class whose instances Django's templates trust as HTML."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from djreview.checks.security._resolved import ModuleCheck, qualified
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.names import imported_names

_SAFE_TYPES = frozenset({"SafeString", "SafeText", "SafeData"})
# By qualified name; django.utils.html re-exports them. A bare name bound by no
# import or definition may come from a star import, so it counts too.
_SAFE_BASES = frozenset(
    {f"django.utils.{module}.{name}" for module in ("safestring", "html") for name in _SAFE_TYPES}
    | _SAFE_TYPES
)
_HTML_SAFE = frozenset({"django.utils.html.html_safe", "html_safe"})


class HtmlSafeOverride(ModuleCheck):
    """This class declares its own HTML as safe; templates render it unescaped.

    ## What it does
    An audit rule, off by default (select it with `--select DJR313`): lists
    classes that define `__html__()`, are decorated with `@html_safe`, or
    subclass `SafeString` / `SafeText` / `SafeData` (decorator and bases
    resolved through the imports: `html_safe as hs` counts, a `SafeString`
    imported from another library or defined in the module does not).

    It deliberately does not report uses of those classes (`mark_safe()` and
    `SafeString(x)` on data are DJR301's), an `__html__` function outside a
    class, nor tests and migrations.

    ## Why is this bad?
    Django's templates and `conditional_escape` trust whatever `__html__()`
    returns, and every instance of a `SafeString` subclass. If `__str__` (for
    `@html_safe`), `__html__` or the string includes a field a user wrote,
    every template that shows the object has an XSS hole that no `|escape`
    fixes.

    ## Example
    ```python
    @html_safe
    class Badge:
        def __str__(self):
            return f"<b>{self.user.first_name}</b>"
    ```

    ## Use instead
    ```python
    class Badge:
        def __html__(self):
            return format_html("<b>{}</b>", self.user.first_name)
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.html_safe
    """

    id = "DJR313"
    name = "html-safe-override"
    message = (
        "This class declares its own HTML as safe; every template renders its output unescaped"
    )
    severity = Severity.NOTE
    cwe = (79,)
    security_severity = 3.0
    precision = "low"
    tags = ("xss", "audit")
    enabled_by_default = False
    hints = ("__html__", "html_safe", *sorted(_SAFE_TYPES))

    def module_findings(
        self, file: SourceFile, project: Project, tree: ast.Module
    ) -> Iterator[Finding]:
        """One finding per `@html_safe` decorator, safe-string subclass and `__html__` method."""
        names = imported_names(tree)
        for cls in ast.walk(tree):
            if not isinstance(cls, ast.ClassDef):
                continue
            for decorator in cls.decorator_list:
                if qualified(decorator, names) in _HTML_SAFE:
                    yield self.finding((file, decorator))
            if any(qualified(base, names) in _SAFE_BASES for base in cls.bases):
                yield self.finding((file, cls))
            for method in cls.body:
                if isinstance(method, ast.FunctionDef) and method.name == "__html__":
                    yield self.finding((file, method))
