"""DJR311: request data written into an HTML response body."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck


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

    Not reported, deliberately: `mark_safe()` of values that do not come
    from the request (model fields, helpers' results). Whether those hold
    markup is DJR301's question, an audit rule (off by default) because a
    reader must judge it: on unseen projects most such values were built
    safely in ways no rule proves.

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
