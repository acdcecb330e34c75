"""DJR505: template variables rendered inside `<script>`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from djreview.checks.security._template import TemplateCheck, flatten, location, tokenize
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
# Script types browsers run; others (text/template, data, JSON blocks) are not JavaScript.
_JS_TYPES = frozenset(
    {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}
)
# Filters whose output is safe in JavaScript (escapejs) or a number/boolean.
_JS_SAFE_FILTERS = frozenset(
    {
        "escapejs",
        "length",
        "floatformat",
        "add",
        "yesno",
        "divisibleby",
        "safe",
        "safeseq",
        "json_script",
    }
)
_SAFE_NAMES = frozenset(
    {"csrf_token", "STATIC_URL", "MEDIA_URL", "LANGUAGE_CODE", "forloop.counter"}
)


class VariableInScript(TemplateCheck):
    """A template variable is rendered inside a `<script>` block.

    ## What it does
    Flags `{{ variable }}` inside `<script>...</script>` unless it goes through
    `|escapejs` or yields a number (`|length`, `|floatformat`). Script blocks
    browsers do not run (`type="text/template"`, `type="data"`) are not
    flagged; values with `|safe` are DJR501's.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR505` switches it on): most values in `<script>` blocks are `reverse()`
    URLs, ids, JSON already escaped for script context by a project helper, or
    operator settings; on seven unseen projects 0 of 11 findings were real.

    ## Why is this bad?
    HTML escaping is the wrong escaping for JavaScript: in
    `var q = {{ query }};` the value is code, and even inside quotes a
    backslash or a line break breaks out. Attackers then run script in your
    page (cross-site scripting).

    ## Example
    ```django
    <script>var user = "{{ user.username }}";</script>
    ```

    ## Use instead
    ```django
    {{ user.username|json_script:"user-name" }}
    <script>const user = JSON.parse(document.getElementById("user-name").textContent);</script>
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/templates/builtins/#json-script
    """

    id = "DJR505"
    name = "variable-in-script"
    message = (
        "`{expression}` is rendered inside <script> "
        "with HTML escaping, which does not protect JavaScript"
    )
    severity = Severity.WARNING
    cwe = (79,)
    security_severity = 5.4
    precision = "medium"
    tags = ("xss", "templates", "audit")
    enabled_by_default = False

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per variable inside a script block."""
        return self._findings(file)

    def _findings(self, file: SourceFile) -> Iterator[Finding]:
        flat = flatten(file.text)
        bodies = [
            (script.start(2), script.end(2))
            for script in _SCRIPT.finditer(flat)
            if _script_type(file.text[script.start(1) : script.end(1)]) in _JS_TYPES
        ]
        if not bodies:
            return
        for token in tokenize(file.text):
            if token.kind != "var" or token.expression in _SAFE_NAMES:
                continue
            if set(token.filters) & _JS_SAFE_FILTERS:
                continue
            if any(start <= token.offset < end for start, end in bodies):
                yield self.finding(
                    location(file, token.offset, token.end), expression=token.expression
                )


def _script_type(attributes: str) -> str:
    """The `type` of a script tag, lower-cased ('' when absent)."""
    match = _TYPE.search(attributes)
    return match.group(1).lower() if match else ""
