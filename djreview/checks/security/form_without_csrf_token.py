"""DJR503: a POST form without `{% csrf_token %}`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from djreview.checks.security._template import TemplateCheck, flatten, location, tokenize
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project

_FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
_END = re.compile(r"</form\s*>", re.IGNORECASE)
_POST = re.compile(r"""\bmethod\s*=\s*["']?post\b""", re.IGNORECASE)
_EXTERNAL = re.compile(r"""\baction\s*=\s*["']?(https?:)?//""", re.IGNORECASE)
# Tags that may emit the token themselves (an included partial, crispy-forms).
_MAY_ADD_TOKEN = frozenset({"csrf_token", "include", "crispy", "render_form", "bootstrap_form"})

# A token written by hand: `<input name="csrfmiddlewaretoken" value="{{ csrf_token }}">`.
_HAND_WRITTEN_TOKEN = re.compile(r"csrfmiddlewaretoken|\{\{\s*csrf_token", re.IGNORECASE)
# What a form submits: fields, buttons, or a rendered form (`{{ form }}`, `{{ form.as_p }}`).
_SUBMITS = re.compile(r"<(?:input|textarea|select|button)\b|\{\{\s*[\w.]*form", re.IGNORECASE)


class FormWithoutCsrfToken(TemplateCheck):
    """A `<form method="post">` has no `{% csrf_token %}`.

    ## What it does
    Flags POST forms in templates with no `{% csrf_token %}` between `<form>`
    and `</form>`. Forms posting to another site (`action="https://..."`) are
    not flagged (the token must not leak there), nor forms that `{% include %}`
    a partial or render through crispy-forms, which may add the token.

    Not reported, deliberately: a hand-written token
    (`<input name="csrfmiddlewaretoken" value="{{ csrf_token }}">`, common in
    Jinja templates), and POST forms with no field, button or variable inside
    (wrappers that submit nothing a forger could choose); a variable counts
    as a field only when its name has `form` in it.

    ## Why is this bad?
    With `CsrfViewMiddleware` on, the form fails with 403 for every user; the
    usual "fix" is `@csrf_exempt` on the view, which opens it to cross-site
    request forgery. Without the middleware the form is forgeable already.

    ## Example
    ```django
    <form method="post" action="{% url 'comment-create' post.slug %}">
      <textarea name="body"></textarea>
    </form>
    ```

    ## Use instead
    ```django
    <form method="post" action="{% url 'comment-create' post.slug %}">
      {% csrf_token %}
      <textarea name="body"></textarea>
    </form>
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/howto/csrf/
    """

    id = "DJR503"
    name = "form-without-csrf-token"
    message = (
        "This POST form has no {% csrf_token %}, so CSRF protection rejects it or was switched off"
    )
    severity = Severity.WARNING
    cwe = (352,)
    security_severity = 6.5
    precision = "high"
    tags = ("csrf", "templates")

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per POST form without a token."""
        return self._findings(file)

    def _findings(self, file: SourceFile) -> Iterator[Finding]:
        flat = flatten(file.text)
        blocks = [t for t in tokenize(file.text) if t.kind == "block" and t.words]
        for form in _FORM.finditer(flat):
            tag = file.text[form.start() : form.end()]
            if not _POST.search(tag) or _EXTERNAL.search(tag):
                continue
            closing = _END.search(flat, form.end())
            end = closing.start() if closing else len(flat)
            inside = {t.words[0] for t in blocks if form.end() <= t.offset < end}
            body = file.text[form.end() : end]
            if _HAND_WRITTEN_TOKEN.search(body) or not _SUBMITS.search(body):
                continue
            if not inside & _MAY_ADD_TOKEN:
                yield self.finding(location(file, form.start(), form.end()))
