"""DJR310: views opted out of CSRF protection, with the methods they accept."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from djreview.checks.base import Check
from djreview.model import Finding
from djreview.project.modules import dotted_name
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.names import module_names, resolve_callee
from djreview.taint.sources import call_name, is_request_object

ViewNode = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
_UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
_METHOD_DECORATORS = {
    "require_POST": ("POST",),
    "require_GET": ("GET",),
    "require_safe": ("GET", "HEAD"),
}
_SESSION_CALLS = frozenset({"login", "logout", "authenticate", "update_session_auth_hash"})
_AUTH_GUARDS = frozenset(
    {
        "login_required",
        "permission_required",
        "staff_member_required",
        "user_passes_test",
        "LoginRequiredMixin",
        "PermissionRequiredMixin",
        "UserPassesTestMixin",
    }
)
_HANDLERS = {"post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "get": "GET"}


class CsrfExemptView(Check):
    """A view that accepts unsafe methods is opted out of CSRF protection with `@csrf_exempt`.

    ## What it does
    Flags `@csrf_exempt` on function views, `@method_decorator(csrf_exempt,
    ...)` on class-based views, and `csrf_exempt(view)` wrapped in a URLconf,
    and says which methods the view accepts (from `@require_POST`,
    `@require_http_methods`, `request.method` tests, or the handler methods
    of a class). The decorator is matched by qualified name: `csrf_exempt as
    no_csrf` counts, a `csrf_exempt` from another library (a look-alike) does
    not. Views that only accept GET/HEAD are not flagged (CSRF
    protects state changes, which safe methods must not make), nor views that
    never touch the session: no `request.user`, `request.session`, `login()`
    or login-required guard, as in webhooks and token-authenticated APIs,
    where no cookie makes a forged request count.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR310` switches it on): an exemption is a decision a project makes for a
    view with its own check, and on ten unseen projects neither of its 2
    findings (judged in three rounds) was a defect: a read-only POST and an
    OAuth callback checked by its `state` parameter. semgrep keeps its
    `csrf-exempt` rule among its audit rules for the same reason.

    ## Why is this bad?
    Without the CSRF token check, another site can submit a form to this view on
    behalf of a logged-in user (change their e-mail, place an order). Webhooks
    that authenticate by signature are the usual legitimate exception: verify
    the signature and suppress the finding with `# djreview: ignore[DJR310]`.

    ## Example
    ```python
    @csrf_exempt
    @require_POST
    def update_email(request):
        request.user.email = request.POST["email"]
    ```

    ## Use instead
    Remove the decorator and send the token (`{% csrf_token %}` or the
    `X-CSRFToken` header); for webhooks, verify a signature.

    ## References
    - https://docs.djangoproject.com/en/stable/ref/csrf/#django.views.decorators.csrf.csrf_exempt
    """

    uses = (ProjectModel,)
    id = "DJR310"
    name = "csrf-exempt-view"
    message = (
        "@csrf_exempt switches off CSRF protection for this view, which accepts {methods}; "
        "any site can make a logged-in user's browser send them"
    )
    category = "security"
    hints = ("csrf_exempt",)
    cwe = (352,)
    security_severity = 6.5
    precision = "medium"
    tags = ("csrf", "audit")
    enabled_by_default = False

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per exempted view that accepts an unsafe method."""
        return self._findings(file, project)

    def _findings(self, file: SourceFile, project: Project) -> Iterator[Finding]:
        tree = file.tree
        if tree is None:
            return
        local = {
            node.name: node
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        }
        names = module_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                marker = next((d for d in node.decorator_list if _exempts(d, names)), None)
                if marker is not None and _forgeable(node):
                    yield self.finding((file, marker), methods=_describe(_methods(node)))
            elif isinstance(node, ast.Call) and _is_csrf_exempt(node.func, names) and node.args:
                view = _wrapped_view(node.args[0], local, file, project)
                if view is None or _forgeable(view):
                    methods = _methods(view) if view is not None else None
                    yield self.finding((file, node), methods=_describe(methods))


def _wrapped_view(
    target: ast.expr, local: dict[str, ViewNode], file: SourceFile, project: Project
) -> ViewNode | None:
    """The view `csrf_exempt(...)` wraps: a local def, or a project class via `X.as_view()`."""
    if isinstance(target, ast.Call) and call_name(target.func) == "as_view":
        target = target.func.value if isinstance(target.func, ast.Attribute) else target
    name = dotted_name(target)
    if name is None:
        return None
    if name in local:
        return local[name]
    model = project.analysis(ProjectModel)
    module = model.module_for(file)
    qualified = model.resolve_name(module.name, name) if module else None
    if qualified is None:
        return None
    owner, _, attribute = qualified.rpartition(".")
    found = model.modules.get(owner)
    node = found.defs.get(attribute) if found is not None else None
    return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) else None


def _forgeable(view: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> bool:
    """An unsafe method is accepted and the view relies on the session (user, login)."""
    methods = _methods(view)
    if methods is not None and not set(methods) & set(_UNSAFE):
        return False
    return _uses_session(view)


def _uses_session(view: ast.AST) -> bool:
    """Whether the view reads `request.user` / `request.session`, logs in, or requires login."""
    for node in ast.walk(view):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"user", "session"}
            and is_request_object(node.value)
        ):
            return True
        if isinstance(node, ast.Call) and call_name(node.func) in _SESSION_CALLS:
            return True
        if isinstance(node, ast.Name | ast.Attribute) and call_name(node) in _AUTH_GUARDS:
            return True
    return False


def _is_csrf_exempt(node: ast.expr, names: dict[str, str]) -> bool:
    """Django's `csrf_exempt`, however imported (`csrf_exempt as no_csrf`); not a look-alike."""
    callee = resolve_callee(node, names)
    return callee.name == "csrf_exempt" and callee.homed_in("django.views.decorators.csrf")


def _exempts(decorator: ast.expr, names: dict[str, str]) -> bool:
    if _is_csrf_exempt(decorator, names):
        return True
    return (
        isinstance(decorator, ast.Call)
        and call_name(decorator.func) == "method_decorator"
        and any(_is_csrf_exempt(arg, names) for arg in decorator.args)
    )


def _methods(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> tuple[str, ...] | None:
    """The HTTP methods the view accepts, when the code says; None for any."""
    if isinstance(node, ast.ClassDef):
        names = {
            item.name
            for item in node.body
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        found = tuple(method for name, method in _HANDLERS.items() if name in names)
        return found if found and "dispatch" not in names else None
    for decorator in node.decorator_list:
        name = call_name(decorator.func if isinstance(decorator, ast.Call) else decorator)
        if name in _METHOD_DECORATORS:
            return _METHOD_DECORATORS[name]
        if name == "require_http_methods" and isinstance(decorator, ast.Call) and decorator.args:
            listed = decorator.args[0]
            if isinstance(listed, ast.List | ast.Tuple | ast.Set):
                return tuple(
                    str(e.value).upper() for e in listed.elts if isinstance(e, ast.Constant)
                )
    return None


def _describe(methods: tuple[str, ...] | None) -> str:
    if methods is None:
        return "any method"
    return ", ".join(method for method in methods if method in _UNSAFE)
