"""DJR611: login and password endpoints with no rate limit."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from typing import Any

from djreview.checks.base import Check
from djreview.checks.security._classes import base_names, class_attribute
from djreview.checks.security._drf import unsafe_methods_of_class
from djreview.model import Finding, Severity
from djreview.project.project_model import ProjectModel
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.sources import call_name

_CREDENTIAL_NAMES = re.compile(r"login|signin|sign_in|token|password|passwd", re.IGNORECASE)
_DRF_AUTH_BASES = frozenset(
    {"ObtainAuthToken", "TokenObtainPairView", "TokenObtainView", "KnoxLoginView"}
)
_DJANGO_AUTH_BASES = frozenset({"LoginView", "PasswordResetView", "PasswordResetConfirmView"})
# Apps and decorators that rate-limit sign-in attempts project-wide or per view.
_LIMITER_APPS = ("axes", "defender", "django_ratelimit", "ratelimit", "brutebuster")
_LIMITER_DECORATORS = frozenset({"ratelimit", "throttle_classes", "axes_dispatch", "watch_login"})


class LoginWithoutThrottle(Check):
    """A login, token or password endpoint has no rate limit.

    ## What it does
    Flags DRF views that take credentials (`ObtainAuthToken`,
    `TokenObtainPairView` subclasses, or `APIView`s named like login / token /
    password that accept POST) without `throttle_classes` when
    `REST_FRAMEWORK` sets no `DEFAULT_THROTTLE_CLASSES`; and subclasses of
    Django's `LoginView` / `PasswordResetView` when no rate-limiting app
    (django-axes, django-defender, django-ratelimit) is installed and the
    class has no `@ratelimit`.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR611` switches it on): throttling usually comes from the framework around
    the view (allauth's rate limits, django-axes, a proxy), which a static
    reading of the view does not see; 0 of 2 real on seven unseen projects.

    ## Why is this bad?
    Without a limit an attacker tries passwords (or reset e-mails) as fast as
    the server answers: credential stuffing and brute force go unnoticed.

    ## Example
    ```python
    class LoginView(APIView):
        permission_classes = [AllowAny]
        def post(self, request): ...
    ```

    ## Use instead
    ```python
    class LoginView(APIView):
        permission_classes = [AllowAny]
        throttle_classes = [AnonRateThrottle]
        def post(self, request): ...
    ```

    ## References
    - https://www.django-rest-framework.org/api-guide/throttling/
    - https://owasp.org/www-community/controls/Blocking_Brute_Force_Attacks
    """

    id = "DJR611"
    name = "login-without-throttle"
    message = "{view} takes credentials without any rate limit; throttle it"
    severity = Severity.WARNING
    category = "security"
    cwe = (307,)
    security_severity = 5.3
    precision = "medium"
    tags = ("auth", "drf", "audit")
    enabled_by_default = False
    uses = (ProjectModel,)
    # Every base the rule knows ends in "View" or "ViewSet", or is ObtainAuthToken.
    hints = ("View", "ObtainAuthToken")

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per credential endpoint without throttling."""
        settings = project.analysis(ProjectModel).settings
        drf = settings.literal("REST_FRAMEWORK", {})
        drf_throttled = isinstance(drf, dict) and bool(drf.get("DEFAULT_THROTTLE_CLASSES"))
        apps: Any = settings.literal("INSTALLED_APPS", [])
        limited = isinstance(apps, list | tuple) and any(
            isinstance(app, str) and app.split(".")[0] in _LIMITER_APPS for app in apps
        )
        return self._findings(file, drf_throttled, limited)

    def _findings(self, file: SourceFile, drf_throttled: bool, limited: bool) -> Iterator[Finding]:
        for node in file.nodes_of(ast.ClassDef):
            if class_attribute(node, "throttle_classes"):
                continue
            if any(call_name(_decorated(d)) in _LIMITER_DECORATORS for d in node.decorator_list):
                continue
            bases = set(base_names(node))
            if bases & _DJANGO_AUTH_BASES:
                if not limited:
                    yield self.finding((file, node), view=node.name)
            elif not drf_throttled and not limited and _drf_credentials(node, bases):
                yield self.finding((file, node), view=node.name)


def _drf_credentials(node: ast.ClassDef, bases: set[str]) -> bool:
    if bases & _DRF_AUTH_BASES:
        return True
    is_api = any(base.endswith(("APIView", "GenericAPIView", "ViewSet")) for base in bases)
    named = bool(_CREDENTIAL_NAMES.search(node.name)) and "logout" not in node.name.lower()
    return is_api and named and "POST" in unsafe_methods_of_class(node)


def _decorated(decorator: ast.expr) -> ast.expr:
    """`method_decorator(ratelimit(...))` -> the inner decorator."""
    while isinstance(decorator, ast.Call):
        if call_name(decorator.func) == "method_decorator" and decorator.args:
            decorator = decorator.args[0]
        else:
            return decorator.func
    return decorator
