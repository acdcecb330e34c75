"""DJR315: the server fetches a URL taken from the request."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck


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
    checked and not reported; a `get` imported from another
    library does not (a look-alike, not reported); nor do test modules and
    migrations.

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
