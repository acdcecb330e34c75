"""DJR504: a template variable as an unquoted HTML attribute value."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from djreview.checks.security._template import TemplateCheck, flatten, in_tag, location, tokenize
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project

_SAFE_FILTERS = frozenset({"safe", "safeseq"})


class UnquotedAttributeVariable(TemplateCheck):
    """A template variable is the unquoted value of an HTML attribute.

    ## What it does
    Flags `{{ variable }}` written as an attribute value without quotes, e.g.
    `<a href={{ url }}>` or `<div class=x{{ extra }}>`. Quoted values and
    whole attribute lists (`<div {{ attrs }}>`) are not flagged; a value with
    `|safe` is DJR501's.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR504` switches it on): most unquoted values are integers, ids, URLs built
    by `reverse()` or filters that write a whole literal attribute (`checked`);
    on seven unseen projects 0 of 26 findings were real.

    ## Why is this bad?
    Autoescaping escapes `<`, `>`, `&` and quotes, not spaces: a value such as
    `x onmouseover=alert(document.cookie)` adds its own event-handler
    attribute (cross-site scripting through the escaped value).

    ## Example
    ```django
    <img src={{ product.image_url }} alt={{ product.name }}>
    ```

    ## Use instead
    ```django
    <img src="{{ product.image_url }}" alt="{{ product.name }}">
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/templates/language/#automatic-html-escaping
    - https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html
    """

    id = "DJR504"
    name = "unquoted-attribute-variable"
    message = (
        "`{expression}` is an unquoted attribute value;"
        " escaping does not stop a space from adding attributes"
    )
    severity = Severity.WARNING
    cwe = (83,)
    security_severity = 6.1
    precision = "high"
    tags = ("xss", "templates", "audit")
    enabled_by_default = False

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per variable used as an unquoted attribute value."""
        return self._findings(file)

    def _findings(self, file: SourceFile) -> Iterator[Finding]:
        flat = flatten(file.text)
        for token in tokenize(file.text):
            if token.kind != "var" or set(token.filters) & _SAFE_FILTERS:
                continue
            start = in_tag(flat, token.offset)
            if start >= 0 and _unquoted_value(flat[start + 1 : token.offset]):
                yield self.finding(
                    location(file, token.offset, token.end), expression=token.expression
                )


def _unquoted_value(before: str) -> bool:
    """Whether text from a tag's `<` up to a variable leaves it in an unquoted attribute value."""
    quote = ""
    for char in before:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
    if quote:
        return False
    stripped = before.rstrip()
    words = stripped.split()
    last = words[-1] if words else ""
    return last.endswith("=") if stripped != before else "=" in last
