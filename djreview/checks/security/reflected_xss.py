"""DJR311: request data written into an HTML response body."""

from __future__ import annotations

from djreview.checks.security._matched_values import matched_before_sink
from djreview.checks.security._post_fields import Pages, set_by_own_pages
from djreview.checks.security._taint import TaintCheck
from djreview.project.project_model import ProjectModel
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis
from djreview.taint.function import Hit


class ReflectedXss(TaintCheck):
    """Request data is written unescaped into an `HttpResponse` body.

    ## What it does
    Follows request data through variables, string building and helpers and
    flags it where it becomes the content of `HttpResponse` (and its error
    subclasses) served as HTML, the default content type, or where it is
    passed to `mark_safe()` / `SafeString()` (resolved through the imports),
    which tells every template that renders it not to escape it. Values
    passed through `escape()`, `conditional_escape()` or `format_html()`,
    and responses with a non-HTML `content_type` (`text/plain`, JSON), are
    fine.

    Not reported, deliberately: the Host header (`request.headers["Host"]`,
    `request.META["HTTP_HOST"]`) written into the response: a cross-site
    page cannot make a victim's browser send a Host of its choosing, so the
    value is reflected only to the one who sent it (a shared cache keyed
    without the header is a cache-poisoning question, not this rule's).
    E-mails and redirects built from it stay reported by their rules. Also
    `mark_safe()` of values that do not come
    from the request (model fields, helpers' results). Whether those hold
    markup is DJR301's question, an audit rule (off by default) because a
    reader must judge it: on unseen projects most such values were built
    safely in ways no rule proves. A field of a CSRF-protected POST body
    that only the site's own pages fill, as DJR314 decides it (every form
    posting to the view fills it with a literal, a `{% url %}` or the
    page's own URL, or nothing in the project's templates and scripts names
    it): no cross-site form can send it. A value that has just matched a
    stored row on a `SlugField`, `UUIDField` or integer field
    (`get_object_or_404(Form, slug__exact=slug)`, `Form.objects.get(pk=pk)`,
    a statement of the view's own body between the value's one binding and
    the response, the field resolved through the model): the lookup raises
    unless the value equals a stored slug, UUID or number, which holds no
    markup (stored values are trusted to obey their field's validators).
    A key of a dict the code built with literal keys (also one a helper
    returns, `public_feed(request)["pagination"]`, and one merged with
    `{**a, **b}`) carries only the value stored under it; a helper that
    reads its dict parameter only by literal keys receives only those
    (SEED's public feed). The dict as a whole still carries every value.

    ## Why is this bad?
    A link with `?q=<script>...</script>` runs the attacker's script in the
    victim's session on your domain (reflected cross-site scripting). Templates
    escape automatically; hand-built responses do not.

    ## Example
    ```python
    def search(request):
        return HttpResponse(f"<h1>Results for {request.GET['q']}</h1>")
    ```

    ## Use instead
    ```python
    def search(request):
        return HttpResponse(format_html("<h1>Results for {}</h1>", request.GET["q"]))
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/topics/security/#cross-site-scripting-xss-protection
    """

    id = "DJR311"
    name = "reflected-xss"
    message = (
        "Request data from {source} reaches {sink} unescaped and is served as HTML; "
        "escape it or use a template"
    )
    cwe = (79,)
    security_severity = 6.1
    tags = ("xss",)
    kinds = frozenset({"html", "markup"})
    uses = (TaintAnalysis, ProjectModel, Pages)

    def accepts_in(self, project: Project, hit: Hit, hits: list[Hit]) -> bool:
        """Not when the data is a POST field the site's own forms fill (behind the CSRF token),
        nor a value that has just matched a stored slug, UUID or number."""
        return not all(
            set_by_own_pages(project, flow) or matched_before_sink(project, flow)
            for flow in (hit, *hit.others)
        )
