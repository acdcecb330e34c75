"""DJR308: request data compiled as a template."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck


class TemplateInjection(TaintCheck):
    """Request data is compiled as template source: `Template(x)`, `engine.from_string(x)`.

    ## What it does
    Flags request data passed as the source of `django.template.Template`,
    `jinja2.Template`, or `from_string()` of a template engine.

    ## Why is this bad?
    The template language can read every variable in the context and call
    methods on them; with Jinja2 it reaches arbitrary Python
    (server-side template injection). Data belongs in the context, not in the
    template source.

    ## Example
    ```python
    def greet(request):
        return HttpResponse(Template("Hello " + request.GET["name"]).render(Context()))
    ```

    ## Use instead
    ```python
    def greet(request):
        template = Template("Hello {{ name }}")
        return HttpResponse(template.render(Context({"name": request.GET["name"]})))
    ```

    ## References
    - https://portswigger.net/web-security/server-side-template-injection
    """

    id = "DJR308"
    name = "template-injection"
    message = (
        "Request data from {source} is compiled as template source by {sink}; "
        "put it in the context instead"
    )
    cwe = (1336,)
    security_severity = 8.8
    tags = ("injection",)
    kinds = frozenset({"template"})
