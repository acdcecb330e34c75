"""DJR314: redirects to a URL taken from the request."""

from __future__ import annotations

import re

from djreview.checks.security._post_fields import Pages, posted_behind_token, set_by_own_pages
from djreview.checks.security._settings import development_urlconf
from djreview.checks.security._taint import TaintCheck
from djreview.project.project_model import ProjectModel
from djreview.source.project import Project
from djreview.taint.analysis import REDIRECT_HOOK, TaintAnalysis
from djreview.taint.function import Hit

# The source expression read at its step's column: `request.META["HTTP_REFERER"]`,
# `request.META.get("HTTP_REFERER")`, `request.headers["Referer"]` / `.get("referer")`.
_REFERER = re.compile(
    r"""[\w.]*(?:META|headers)\s*(?:\[|\.get\()\s*["'](?:HTTP_REFERER|referr?er)["']""",
    re.IGNORECASE,
)
# Any other read of the request on the same line (`referer or request.GET["next"]`).
_OTHER_READ = re.compile(r"\b(?:GET|POST|body|data|query_params|COOKIES|FILES)\b|META|headers")


class OpenRedirect(TaintCheck):
    """A redirect goes to a URL taken from the request without checking its host.

    ## What it does
    Flags `redirect()`, `HttpResponseRedirect()` and
    `HttpResponsePermanentRedirect()` whose target comes from the request
    (`?next=`, a form field), unless it was checked with
    `url_has_allowed_host_and_scheme()` or starts with a fixed path
    (`f"/posts/{slug}/"`, `"/posts/{}/".format(slug)`, `"/posts/%s/" % slug`),
    also a lone `/` before a name that is empty or was built with a constant
    first character other than `/`, `\\` or a space on every path (awx:
    `if n: n = f"?next={n}"`, then `redirect(f"/{n}")`); `//` and `/\\`
    stay reported.
    Callees are matched by qualified name through the imports: `from
    django.shortcuts import redirect as go` counts.

    Not reported, deliberately: a `redirect` imported from another library
    or defined in the module (a look-alike); a URL the code computed with the
    request data only after it (`f"{url}?mode={mode}"`,
    `"{}?mode={}".format(url, mode)`, `"%s?mode=%s" % (url, mode)`,
    `"?".join([url, query])` over a list or tuple literal), also through
    any number of appends (`url += f"&a={a}"` is `url = url + f"&a={a}"`):
    the query string cannot move the host; the result of a helper whose
    every return is a checked or code-built URL (`reverse()`, a fixed path,
    `obj.get_absolute_url()`), even when another of its paths returns an
    object's URL; a target whose only source is the `Referer` header
    (`request.META["HTTP_REFERER"]`, `request.headers.get("Referer")`, read
    inline or by a helper in any module, such as rdmo's `get_referer()`;
    a helper that also reads `?next=`, or is handed it as its default, or
    any other read of the request reaching the same redirect on another
    path or through another caller, stays reported): a forger can only set
    it to the page the user came from, so the redirect sends them back
    where they were, no phishing gain (on shuup, 12 of 18 findings were
    this "go back" shape); a URL that
    `django.urls.resolve()` matched: `resolve(url)` left uncaught (its
    `Resolver404` is Django's 404 answer, adhocracy-plus) or in a `try`
    whose `except` rebinds `url` or leaves, or a helper whose
    every `return` is a falsy literal or tests `resolve()` of its argument
    (peeringdb's `is_oauth_authorize()`), because `//evil.example` and
    `/\\evil.example` resolve to nothing; unless the URLconf could not be
    read or resolves any path (a root `<path:...>` or open regex, an
    included `django.contrib.flatpages.urls` or `cms.urls`). A helper that
    only compares `urlparse(url).netloc` with the site is no such guard
    (`///evil.example` passes it); a field of a CSRF-protected POST body
    (`CsrfViewMiddleware` deployed, the view not `csrf_exempt` nor a DRF
    view) that only the site's own pages fill: every form posting to the
    view (its `action` names one of the view's URL names, or the form
    posts back to a template the view renders) fills the field with a
    literal, a `{% url %}` or a context value the code sets only from
    `build_absolute_uri()`, `get_full_path()`, `request.path`, `reverse()`
    or `get_absolute_url()`, or no form posts to it and no template or
    script of the project names the field at all: a cross-site form cannot
    post without the token, so only the site's page chooses the value
    (django-crm's hidden `next` of its changelist forms, shuup's shop
    enabler). A field a form fills from `?next=`, one a whole form object
    (`{{ form.as_p }}`) or an included template may hold, and any POST
    field of a project whose forms are not in its templates stay
    reported; the arm of a conditional expression or of an `and` that the
    check admits (`(url if url_is_safe else "") or reverse("home")`,
    `url_is_safe and url`, the verdict kept in a name as DMOJ's two-factor
    login does), exactly as the body of an `if` on that check; the other
    arm (`"/" if url_is_safe else url`) stays reported; test modules and
    migrations; and a development URLconf: a module that only development
    settings (`dev_settings.py`, `local`...) name as `ROOT_URLCONF` and that
    no other module imports or `include()`s (a redirect to a local storage
    emulator served only by `runserver`). The same URLconf also named by a
    deployed settings module, or included by the deployed one, stays
    reported.

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
    uses = (TaintAnalysis, ProjectModel, Pages)

    def accepts_in(self, project: Project, hit: Hit, hits: list[Hit]) -> bool:
        """Not when the data came from the Referer header only, or from a POST field the
        site's own forms fill (behind the CSRF token)."""
        flows = (hit, *hit.others)
        if development_urlconf(project, hit.file.rel):
            return False
        if all(_from_referer(project, flow) for flow in flows):
            return False
        if hit.sink.what.endswith(REDIRECT_HOOK) and all(
            posted_behind_token(project, flow, _REFERER, url=True) for flow in flows
        ):
            # Django calls the hook after the form was sent with its token: the POST
            # field came from the site's form; `?next=` kept in its action did not.
            return False
        return not all(set_by_own_pages(project, flow, _REFERER, url=True) for flow in flows)


def _from_referer(project: Project, hit: Hit) -> bool:
    """The flow starts at a read of the Referer header, wherever it is (a helper in another
    module too), with no other request read on its line nor on the lines of the helper calls
    that hand it back (`get_referer(request, default=request.GET["next"])`)."""
    if not hit.steps or not hit.one_url_source:
        return False
    where = hit.steps[0].location
    line = _line(project, where.path, where.start_line)
    if _REFERER.match(line, where.start_column - 1) is None:
        return False
    lines = [line] + [
        _line(project, step.location.path, step.location.start_line)
        for step in hit.steps[1:]
        if step.message.startswith("returned by")
    ]
    return not any(_OTHER_READ.search(_REFERER.sub("", text)) for text in lines)


def _line(project: Project, path: str, number: int) -> str:
    file = project.by_rel.get(path)
    return file.line_text(number) if file is not None else ""
