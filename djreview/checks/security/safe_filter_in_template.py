"""DJR501: `|safe` / `|safeseq` on a template variable."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from djreview.checks.security._template import (
    TemplateCheck,
    autoescape_off_blocks,
    location,
    lone_variable,
    looks_like_html,
    tokenize,
)
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project

# Filters that escape or sanitise their input before |safe (`|to_markdown|safe` in
# projects whose markdown filter runs an HTML sanitiser, `|bleach|safe`, `|escape|safe`).
_SANITISING = re.compile(
    r"escape|sanitiz|sanitis|bleach|clean|markdown|linebreaks|urlize", re.IGNORECASE
)


class SafeFilterInTemplate(TemplateCheck):
    """A template variable is rendered with `|safe` or `|safeseq`, unescaped.

    ## What it does
    Flags `{{ value|safe }}` and `{{ values|safeseq }}` in Django templates
    when the value is a variable (a string literal such as `{{ "<br>"|safe }}`
    is the author's own markup). Comments are ignored, and so are templates
    that write no HTML tag at all (SMS or chat messages named `.html`), and
    values that pass an escaping or sanitising filter first (`|escape`,
    `|bleach`, `|sanitize`, a `markdown` filter: check that yours cleans).
    An `{% autoescape off %}` block around one variable and nothing else is
    the same `|safe`, and is reported here (DJR502 reports the blocks that
    span more).

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR501` switches it on): `|safe` / `{% autoescape off %}` marks a value as
    trusted markup; whether it is depends on how the value was cleaned before it
    was stored (a form field's `clean()`, a markup renderer, a sanitiser in a
    model method), which the template cannot show. On seven unseen projects 2 of
    64 such findings were real.

    ## Why is this bad?
    `|safe` switches off autoescaping for that value: if it ever holds text a
    user wrote (a post body, a profile field), the user's `<script>` runs for
    every visitor of the page (stored cross-site scripting).

    ## Example
    ```django
    <div class="body">{{ post.body|safe }}</div>
    ```

    ## Use instead
    Render the text escaped (`{{ post.body|linebreaks }}`), or sanitise the HTML
    when it is saved (an allow-list sanitiser such as nh3/bleach) and mark only
    that result safe in Python.

    ## References
    - https://docs.djangoproject.com/en/stable/ref/templates/builtins/#safe
    """

    id = "DJR501"
    name = "safe-filter-in-template"
    message = "{marker} renders `{expression}` without HTML escaping"
    severity = Severity.WARNING
    cwe = (79,)
    security_severity = 6.1
    precision = "medium"
    tags = ("xss", "templates", "audit")
    enabled_by_default = False

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per variable marked safe in an HTML template."""
        return self._findings(file) if looks_like_html(file.text) else ()

    def _findings(self, file: SourceFile) -> Iterator[Finding]:
        tokens = tokenize(file.text)
        for opening, body in autoescape_off_blocks(tokens):
            variable = lone_variable(body)
            if variable is not None and not variable.expression.startswith(("'", '"')):
                yield self.finding(
                    location(file, opening.offset, opening.end),
                    marker="{% autoescape off %}",
                    expression=variable.expression,
                )
        for token in tokens:
            if token.kind != "var":
                continue
            filters = token.filters
            marked = [name for name in filters if name in {"safe", "safeseq"}]
            if not marked or token.expression.startswith(("'", '"')):
                continue
            before = filters[: filters.index(marked[0])]
            if not any(_SANITISING.search(name) for name in before):
                yield self.finding(
                    location(file, token.offset, token.end),
                    marker="|" + marked[0],
                    expression=token.expression,
                )
