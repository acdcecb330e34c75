"""DJR605: request data unpacked into model fields or setattr() names."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck
from djreview.model import Severity


class MassAssignmentFromRequest(TaintCheck):
    """Request data decides which model fields are written or queried (`create(**request.POST)`).

    ## What it does
    Follows request data to `**` keyword unpacking in ORM calls (`create`,
    `update`, `get_or_create`, `filter`...) and model constructors, and to the
    attribute name of `setattr()`. Validated data (`form.cleaned_data`,
    `serializer.validated_data`) is fine, and so is a DRF serializer's
    `.data` (DRF allows it only after `is_valid()`, and its keys are the
    serializer's declared fields; whether that list is too wide,
    `fields = "__all__"`, is DJR603's question). A form's `.data` and a
    serializer's `initial_data` are the client's keys and stay reported.

    Not reported, deliberately: request data in the **values** of a dict
    literal whose keys the code computes (`filter(**{column + "__lt":
    cursor})`, also through a helper's parameters: the cursor is the
    client's, the column the caller's); `setattr(obj, name, ...)` inside a
    `match name:` case that lists literal names (`case "bio" | "locale":`),
    or after a check against an allow-list; test modules and migrations.

    ## Why is this bad?
    The client chooses the field names: it sets `is_staff=True` or
    `owner_id=...` on the object it creates (mass assignment), or filters on
    `password__startswith` to read secrets one character at a time.

    ## Example
    ```python
    def create_post(request):
        Post.objects.create(**request.POST.dict())
    ```

    ## Use instead
    ```python
    def create_post(request):
        form = PostForm(request.POST)
        if form.is_valid():
            form.save()
    ```

    ## References
    - https://cheatsheetseries.owasp.org/cheatsheets/Mass_Assignment_Cheat_Sheet.html
    """

    id = "DJR605"
    name = "mass-assignment-from-request"
    message = (
        "Request data from {source} chooses the field names of {sink}; list the allowed fields"
    )
    severity = Severity.ERROR
    cwe = (915,)
    security_severity = 8.1
    tags = ("mass-assignment",)
    kinds = frozenset({"mass"})
