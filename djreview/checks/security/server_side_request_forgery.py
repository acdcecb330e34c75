"""DJR315: the server fetches a URL taken from the request."""

from __future__ import annotations

from djreview.checks.security._staff_only import staff_only
from djreview.checks.security._taint import TaintCheck
from djreview.project.project_model import ProjectModel
from djreview.source.project import Project
from djreview.taint.analysis import TaintAnalysis
from djreview.taint.function import Hit


class ServerSideRequestForgery(TaintCheck):
    """The server fetches a URL that comes from the request (server-side request forgery).

    ## What it does
    Flags `requests.get/post/...`, `httpx.*`, `urllib.request.urlopen()` and
    session methods whose URL comes from the request. A URL whose scheme and
    host are fixed in the code before the first value is filled in is fine
    (`f"https://api.example.com/{x}"`, `"https://api.example.com/{}".format(x)`,
    `"https://api.example.com/%s" % x`); `"https://%s/" % host` is not: the
    host is the request's.
    Callees are resolved through the imports: `from requests import get;
    get(url)` and `import requests as r` count. A URL whose host was tested
    against a collection (`urlparse(url).hostname in ALLOWED_HOSTS`) is
    checked and not reported, also when the host was first stored in a
    variable built only from it (`host = urlparse(url).hostname.lower()`,
    an f-string or `str.format` of it: `if host in ALLOWED_HOSTS:`), or the
    parsed URL in one (`parts = urlsplit(url); if parts.netloc in ALLOWED:`,
    socorro), as long as the URL variable is not rebound after the parse; a
    `get` imported from another library does not (a look-alike, not
    reported); nor do test modules and migrations.

    Nor does it report a URL that only staff or superusers can send: every
    flow into the fetch starts in a view decorated with
    `staff_member_required` or `user_passes_test(lambda u: u.is_staff)`
    (`is_superuser` too, also through `method_decorator`), in a class whose
    `UserPassesTestMixin.test_func` requires those flags, or whose own or
    inherited `dispatch` returns or raises first without them, or in a
    `ModelAdmin` method the admin site wraps in its staff check (names
    resolved through the imports and the project's class bases). That URL
    is the operators' own input, as HTML written by administrators is: the
    fetch is the feature (an administrator pointing the site at an identity
    provider's discovery document). `permission_required` does not count: a
    permission is granted to ordinary accounts, so such a fetch is still
    reported. On a hosted multi-tenant site whose "staff" are customers, this
    is a gap to keep in mind: such a view is not reported.

    ## Why is this bad?
    The server can reach what the attacker cannot: cloud metadata endpoints
    (`169.254.169.254`), admin interfaces on localhost, internal services.

    ## Example
    ```python
    def preview(request):
        page = requests.get(request.GET["url"], timeout=5)
    ```

    ## Use instead
    Keep a list of allowed hosts, check the parsed URL's host against it (and
    resolve it to refuse private addresses) before fetching.

    ## References
    - https://owasp.org/Top10/A10_2021-Server-Side_Request_Forgery_%28SSRF%29/
    """

    id = "DJR315"
    name = "server-side-request-forgery"
    message = "{sink} fetches a URL from {source}; check its host against an allow-list first"
    cwe = (918,)
    security_severity = 8.6
    precision = "medium"
    tags = ("ssrf",)
    kinds = frozenset({"ssrf"})
    uses = (TaintAnalysis, ProjectModel)

    def accepts_in(self, project: Project, hit: Hit, hits: list[Hit]) -> bool:
        """Not when every flow starts in a view only staff or superusers reach."""
        return not all(staff_only(project, flow) for flow in (hit, *hit.others))
