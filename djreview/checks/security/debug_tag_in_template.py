"""DJR506: `{% debug %}` left in a template."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from djreview.checks.security._template import TemplateCheck, location, tokenize
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project


class DebugTagInTemplate(TemplateCheck):
    """A `{% debug %}` tag dumps the template context and settings into the page.

    ## What it does
    Flags the `{% debug %}` tag (Django's built-in, and Jinja2's `debug`
    extension) in any template.

    It deliberately does not report `{% if debug %}` or `{{ debug }}` (the
    `debug` context variable of `django.template.context_processors.debug`,
    true only for `INTERNAL_IPS` when `DEBUG` is on), nor the tag inside a
    `{# comment #}`, nor templates under test folders.

    ## Why is this bad?
    Django renders `{% debug %}` only when `DEBUG` is on, but a template is
    easily served from a staging host with `DEBUG` on, and Jinja2's tag
    renders whatever the setting: every visitor then sees the whole context
    (users, querysets, form data, CSRF token) and the loaded modules.

    ## Example
    ```django
    <footer>{% debug %}</footer>
    ```

    ## Use instead
    Remove the tag; use django-debug-toolbar locally.

    ## References
    - https://docs.djangoproject.com/en/stable/ref/templates/builtins/#debug
    - https://cwe.mitre.org/data/definitions/215.html
    """

    id = "DJR506"
    name = "debug-tag-in-template"
    message = "{% debug %} prints the whole template context and the loaded modules into the page"
    severity = Severity.WARNING
    cwe = (215,)
    security_severity = 5.3
    precision = "high"
    tags = ("data-exposure", "templates")
    hints = ("debug",)

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per `{% debug %}` tag."""
        return self._findings(file)

    def _findings(self, file: SourceFile) -> Iterator[Finding]:
        for token in tokenize(file.text):
            # Jinja2's whitespace control: `{%- debug -%}`.
            if token.kind == "block" and token.content.strip("-+ \n") == "debug":
                yield self.finding(location(file, token.offset, token.end))
