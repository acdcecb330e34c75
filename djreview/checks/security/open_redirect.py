"""DJR314: redirects to a URL taken from the request."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck


class OpenRedirect(TaintCheck):
    """A redirect goes to a URL taken from the request without checking its host.

    ## What it does
    Flags `redirect()`, `HttpResponseRedirect()` and
    `HttpResponsePermanentRedirect()` whose target comes from the request
    (`?next=`, a form field, the Referer header), unless it was checked with
    `url_has_allowed_host_and_scheme()` or starts with a fixed path
    (`f"/posts/{slug}/"`). Callees are matched by qualified name through the
    imports: `from django.shortcuts import redirect as go` counts.

    Not reported, deliberately: a `redirect` imported from another library
    or defined in the module (a look-alike); the result of a helper whose
    every return is a checked or code-built URL (`reverse()`, a fixed path,
    `obj.get_absolute_url()`), even when another of its paths returns an
    object's URL; test modules and migrations.

    ## Why is this bad?
    A link to your login page with `?next=https://evil.example/` sends users
    who trust your domain to a phishing copy of it (open redirect).

    ## Example
    ```python
    def after_login(request):
        return redirect(request.GET["next"])
    ```

    ## Use instead
    ```python
    def after_login(request):
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "/"
        return redirect(target)
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.http.url_has_allowed_host_and_scheme
    - https://cwe.mitre.org/data/definitions/601.html
    """

    id = "DJR314"
    name = "open-redirect"
    message = (
        "{sink} sends the user to a URL from {source} without url_has_allowed_host_and_scheme()"
    )
    cwe = (601,)
    security_severity = 6.1
    tags = ("redirect",)
    kinds = frozenset({"redirect"})
