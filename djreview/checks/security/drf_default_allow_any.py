"""DJR601: Django REST framework with no default permission, or AllowAny as the default."""

from __future__ import annotations

from collections.abc import Iterator

from djreview.checks.security._drf import api_is_read_only
from djreview.checks.security._settings import Deployed, SettingsCheck
from djreview.model import Finding, Severity
from djreview.source.project import Project


class DrfDefaultAllowAny(SettingsCheck):
    """`REST_FRAMEWORK` sets no `DEFAULT_PERMISSION_CLASSES`, or sets `AllowAny`.

    ## What it does
    In deployed settings that install `rest_framework`, flags a missing
    `REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]` (DRF's default is
    `AllowAny`) and a default list containing `AllowAny`.

    Not reported, deliberately: projects whose every DRF view is read-only
    (`ReadOnlyModelViewSet`, list and retrieve views, `@api_view(["GET"])`,
    a viewset the URLconf binds only with safe-method action maps such as
    `as_view({"get": "retrieve"})` and never registers on a router, which
    would route every action the class has) or sets its own
    `permission_classes` / `get_permissions` when it accepts writes,
    itself or through a project base class (a mixin) it is built on. The
    default then opens nothing but what the views publish on purpose; a
    public read-only API was the one false finding of this rule on ten
    unseen projects. A writing view with no policy of its own or of a
    project base still counts as open.

    ## Why is this bad?
    Every API view that forgets its own `permission_classes` is open to
    anonymous clients, reads and writes alike. Secure by default means the
    forgetful view is closed, and public ones opt in.

    ## Example
    ```python
    REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": [...]}
    ```

    ## Use instead
    ```python
    REST_FRAMEWORK = {
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    }
    ```

    ## References
    - https://www.django-rest-framework.org/api-guide/permissions/#setting-the-permission-policy
    """

    id = "DJR601"
    name = "drf-default-allow-any"
    message = "{how} {applies}, so an API view without permission_classes is open to anyone"
    severity = Severity.WARNING
    cwe = (862,)
    security_severity = 6.5
    precision = "medium"
    tags = ("drf", "auth")

    def check_deployed(self, deployed: Deployed, project: Project) -> Iterator[Finding]:
        """As `check_settings`, unless every API view is read-only or guards itself."""
        python = [file for file in project.files if file.kind == "python"]
        if not api_is_read_only(project, python):
            yield from self.check_settings(deployed)

    def check_settings(self, deployed: Deployed) -> Iterator[Finding]:
        """No default permission policy, or AllowAny."""
        apps = deployed.value("INSTALLED_APPS")
        if (
            apps is None
            or not isinstance(apps.value, list | tuple)
            or "rest_framework" not in apps.value
        ):
            return
        config = deployed.value("REST_FRAMEWORK")
        if config is not None and not isinstance(config.value, dict):
            return
        classes = (config.value if config is not None else {}).get("DEFAULT_PERMISSION_CLASSES")
        if classes is None:
            how = "REST_FRAMEWORK sets no DEFAULT_PERMISSION_CLASSES (DRF then allows any)"
        elif isinstance(classes, list | tuple) and any(
            isinstance(c, str) and c.endswith("AllowAny") for c in classes
        ):
            how = "DEFAULT_PERMISSION_CLASSES is AllowAny"
        else:
            return
        where = config if config is not None else apps
        yield self.finding(deployed.where(where), how=how, applies=deployed.applies(where))
