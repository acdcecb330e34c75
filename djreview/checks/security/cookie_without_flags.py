"""DJR317: cookies set without Secure, HttpOnly or SameSite."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from djreview.checks.base import Check
from djreview.model import Finding
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.sources import call_name

_FLAGS = ("secure", "httponly", "samesite")


class CookieWithoutFlags(Check):
    """`set_cookie()` without `secure`, `httponly` or `samesite`.

    ## What it does
    Flags `response.set_cookie()` and `set_signed_cookie()` calls that leave
    out any of `secure=`, `httponly=` and `samesite=`, and names the missing
    ones. A flag passed explicitly (even `httponly=False` for a cookie
    JavaScript must read) is a decision and is not flagged; calls that pass
    `**kwargs` are skipped. Django's `SESSION_COOKIE_*` / `CSRF_COOKIE_*`
    settings do not apply to cookies set by hand.

    Not reported, deliberately: a missing `httponly` or `samesite` on a
    cookie whose value is the CSRF token (`get_token(request)`,
    `csrf(request)["csrf_token"]`): it is the double-submit half of CSRF
    protection, which JavaScript must read and which grants nothing alone
    (Django's own `csrftoken` cookie is not HttpOnly either). A missing
    `secure` on it is still reported. Test modules and migrations are not
    reported.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR317` switches it on): which cookies carry authority (a session, a
    token) and which only remember a preference (a consent choice, the
    last product viewed) is the project's knowledge, not the call's. On
    eleven unseen projects none of its 3 findings (judged in four rounds)
    was a defect: two cookies that hold no authority, and one set by an
    endpoint that checks its own token. semgrep keeps its
    `django-secure-set-cookie` rule among its audit rules too.

    ## Why is this bad?
    Without `secure` the cookie also travels over plain HTTP, where anyone on
    the network reads it; without `httponly` any injected script can steal
    it; without `samesite` browsers send it on cross-site requests.

    ## Example
    ```python
    response.set_cookie("last_viewed", product.slug)
    ```

    ## Use instead
    ```python
    response.set_cookie("last_viewed", product.slug, secure=True, httponly=True, samesite="Lax")
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/request-response/#django.http.HttpResponse.set_cookie
    - https://owasp.org/www-community/controls/SecureCookieAttribute
    """

    id = "DJR317"
    name = "cookie-without-flags"
    message = "set_cookie() leaves out {missing}, so the cookie {effect}"
    category = "security"
    cwe = (614, 1004)
    security_severity = 4.3
    precision = "medium"
    tags = ("cookies", "audit")
    enabled_by_default = False
    hints = ("set_cookie", "set_signed_cookie")

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per cookie set without all three flags."""
        return self._findings(file)

    def _findings(self, file: SourceFile) -> Iterator[Finding]:
        # The innermost function of each call (functions come parents first).
        owner = {id(n): f for f in file.functions() for n in ast.walk(f) if isinstance(n, ast.Call)}
        for node in file.nodes_of(ast.Call):
            if not (
                isinstance(node.func, ast.Attribute)
                and node.func.attr in {"set_cookie", "set_signed_cookie"}
            ):
                continue
            given = {kw.arg for kw in node.keywords}
            if None in given:
                continue
            missing = [flag for flag in _FLAGS if flag not in given]
            if _holds_csrf_token(node, owner.get(id(node))):
                # The double-submit half of CSRF protection: scripts must read it.
                missing = [flag for flag in missing if flag == "secure"]
            if missing:
                yield self.finding(
                    (file, node),
                    missing=", ".join(f"{flag}=" for flag in missing),
                    effect=_effect(missing),
                )


def _effect(missing: list[str]) -> str:
    effects = {
        "secure": "also travels over plain HTTP",
        "httponly": "is readable by scripts",
        "samesite": "is sent on cross-site requests as the browser sees fit",
    }
    return " and ".join(effects[flag] for flag in missing)


def _holds_csrf_token(call: ast.Call, function: ast.AST | None) -> bool:
    """The cookie's value is the CSRF token (`get_token(request)`, `csrf(request)[...]`)."""
    value = next((kw.value for kw in call.keywords if kw.arg == "value"), None)
    if value is None and len(call.args) >= 2:
        value = call.args[1]
    if value is None:
        return False
    if _is_csrf_token(value):
        return True
    if not isinstance(value, ast.Name) or function is None:
        return False
    assigned = [
        node.value
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == value.id for t in node.targets)
    ]
    return bool(assigned) and all(_is_csrf_token(v) for v in assigned)


def _is_csrf_token(node: ast.expr) -> bool:
    if isinstance(node, ast.Call):
        return call_name(node.func) == "get_token"
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and node.slice.value == "csrf_token"
        and isinstance(node.value, ast.Call)
        and call_name(node.value.func) == "csrf"
    )
