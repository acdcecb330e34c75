"""DJR503: a POST form without `{% csrf_token %}`."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator

from djreview.checks.security._template import (
    TemplateCheck,
    Token,
    flatten,
    location,
    tokenize,
)
from djreview.model import Finding, Severity
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project

_FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
_END = re.compile(r"</form\s*>", re.IGNORECASE)
_POST = re.compile(r"""\bmethod\s*=\s*["']?post\b""", re.IGNORECASE)
_EXTERNAL = re.compile(r"""\baction\s*=\s*["']?(https?:)?//""", re.IGNORECASE)
# No action, or an empty one: the form posts back to the page's own URL.
_ACTION = re.compile(r"""\baction\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
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
    as a field only when its name has `form` in it. Nor a form that posts
    back to its own page (no `action`, or `action=""`) in a template that
    only `TemplateView.as_view(template_name=...)` in the URLconf serves
    (its name written nowhere else in the project): `TemplateView` answers
    POST with 405, so the form is a sample that changes nothing (a style
    guide's example form).

    Nor the tokenless forms of a template that writes the token outside
    every form (`var csrftoken = "{{ csrf_token }}"` in a `<script>`, a
    `<meta>` tag, a lone `{% csrf_token %}`): that page hands the token to
    its scripts, which submit the forms with it in the `X-CSRFToken` header
    (CiviWiki's four upload forms, sent by `$.ajax`). Only the template
    itself is read, not the base it extends: a token in a base layout
    still leaves the child's forms reported.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR503` switches it on): a tokenless POST form is mostly a
    form whose token a script or a base layout sends, a mock-up, or a view
    that takes no POST; on 27 projects judged before any tuning none of 9
    was a defect, nor any of 20 recorded in all rounds. A rule stays in the default
    set only if at least one in four of its findings is true, both on
    first contact with unseen projects and after the fixes made since
    (docs/triage/security.md, session 12).

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
    precision = "low"
    tags = ("csrf", "templates", "audit")
    enabled_by_default = False
    uses = (ProjectModel,)

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per POST form without a token."""
        return self._findings(file, _only_served_by_template_view(file, project))

    def _findings(self, file: SourceFile, static_page: bool) -> Iterator[Finding]:
        flat = flatten(file.text)
        tokens = tokenize(file.text)
        blocks = [t for t in tokens if t.kind == "block" and t.words]
        forms = [(m, _END.search(flat, m.end())) for m in _FORM.finditer(flat)]
        spans = [(m.start(), end.end() if end else len(flat)) for m, end in forms]
        if _token_for_scripts(tokens, spans):
            return
        for form, closing in forms:
            tag = file.text[form.start() : form.end()]
            if not _POST.search(tag) or _EXTERNAL.search(tag):
                continue
            action = _ACTION.search(tag)
            if static_page and (action is None or not action.group(2).strip()):
                continue
            end = closing.start() if closing else len(flat)
            inside = {t.words[0] for t in blocks if form.end() <= t.offset < end}
            body = file.text[form.end() : end]
            if _HAND_WRITTEN_TOKEN.search(body) or not _SUBMITS.search(body):
                continue
            if not inside & _MAY_ADD_TOKEN:
                yield self.finding(location(file, form.start(), form.end()))


def _token_for_scripts(tokens: tuple[Token, ...], forms: list[tuple[int, int]]) -> bool:
    """The template writes the CSRF token outside every form: its scripts send it.

    `var csrftoken = "{{ csrf_token }}"`, `<meta name="csrf-token" content="{{ csrf_token }}">`,
    a `{% csrf_token %}` the page's JavaScript reads: the forms of such a page are
    submitted by script with the token in a header (CiviWiki's image uploads).
    """
    for token in tokens:
        writes = (token.kind == "var" and token.expression == "csrf_token") or (
            token.kind == "block" and token.words[:1] == ["csrf_token"]
        )
        if writes and not any(start <= token.offset < end for start, end in forms):
            return True
    return False


def _only_served_by_template_view(file: SourceFile, project: Project) -> bool:
    """Whether only `TemplateView.as_view(template_name=...)` patterns name this template."""
    model = project.analysis(ProjectModel)
    served = [
        literal.value
        for pattern in model.urls
        if (pattern.view or "").startswith("django.views.generic")
        and (pattern.view or "").endswith(".TemplateView")
        and isinstance(literal := pattern.view_kwargs.get("template_name"), ast.Constant)
        and isinstance(literal.value, str)
        and file.rel.endswith("templates/" + literal.value)
    ]
    if not served:
        return False
    name = served[0]
    mentions = sum(
        other.text.count(f'"{name}"') + other.text.count(f"'{name}'") for other in project.files
    )
    return mentions <= len(served)
