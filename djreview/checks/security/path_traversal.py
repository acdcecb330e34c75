"""DJR316: file paths built from request data."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck


class PathTraversal(TaintCheck):
    """A file is opened, served or deleted at a path built from request data.

    ## What it does
    Follows request data (including URL parameters) through
    `os.path.join`, `Path` and string building to `open()`, `os.remove()`,
    `shutil` functions, `Path.read_text()` and friends, and storage
    `open/save/delete/path`. `os.path.basename()`, `get_valid_filename()`
    and `safe_join()` end the flow.

    Not reported, deliberately: the `name` of an uploaded file
    (`request.FILES["f"].name`). Django's `UploadedFile` already cuts the
    client's file name to its base name, so it cannot leave the folder it is
    joined to (measured on kpi: 3 findings of this shape, none a traversal).

    ## Why is this bad?
    `../../etc/passwd` (or an absolute path, which `os.path.join` lets win)
    reads or overwrites files outside the intended folder. Django's storages
    refuse names that leave their root, but still let one user read or delete
    another user's files.

    ## Example
    ```python
    def download(request, name):
        return FileResponse(open(os.path.join(settings.MEDIA_ROOT, name), "rb"))
    ```

    ## Use instead
    ```python
    def download(request, name):
        return FileResponse(open(safe_join(settings.MEDIA_ROOT, name), "rb"))
    ```

    ## References
    - https://owasp.org/www-community/attacks/Path_Traversal
    """

    id = "DJR316"
    name = "path-traversal"
    message = (
        "{sink} uses a file path built from {source}; reduce it to a base name or use safe_join()"
    )
    cwe = (22,)
    security_severity = 7.5
    tags = ("files",)
    kinds = frozenset({"path"})
