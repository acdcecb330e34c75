"""DJR316: file paths built from request data."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck
from djreview.taint.function import Hit
from djreview.taint.sinks import STORAGE_METHODS


class PathTraversal(TaintCheck):
    """A file is opened, served or deleted at a path built from request data.

    ## What it does
    Follows request data (including URL parameters) through
    `os.path.join`, `Path` and string building to `open()`, `os.remove()`,
    `shutil` functions, `Path.read_text()` and friends, and storage
    `open/delete/path/listdir`. `os.path.basename()`, `get_valid_filename()`
    and `safe_join()` end the flow, and so does a project helper (any module)
    that keeps a path inside a folder on every way out: it raises or answers
    no unless `safe_join()` accepted the path, or a normalised one
    (`abspath`, `realpath`, `normpath`, `resolve()`) passed `commonpath`,
    `commonprefix`, `startswith` or `is_relative_to` against the base
    (WebODM's `path_traversal_check()`, tendenci's `is_valid_path()`). Its
    result is then safe, and so are the parts of the path it was asked about
    under `if helper(...)`, or after a bare call of one that only raises. A
    helper that only normalises, or returns the path on failure too, is none.
    The same tests written inline count where they hold: in the arm that
    passed, or after an `if` whose failing arm returns or raises (DMOJ's
    `commonpath((storage.path(join(p, f)), root)) != root: raise Http404`);
    a path tested without normalising (`join(base, name).startswith(base)`
    admits `..`) stays reported.

    Not reported, deliberately: `Storage.save()`. Since Django 3.2.1 it
    validates the name itself (`validate_file_name`) and raises on an
    absolute name or a `..` part, before and after `get_available_name()`
    (measured on arches: 4 findings of this shape, none a traversal).

    Not reported, deliberately: the `name` of an uploaded file
    (`request.FILES["f"].name`). Django's `UploadedFile` already cuts the
    client's file name to its base name, so it cannot leave the folder it is
    joined to (measured on kpi: 3 findings of this shape, none a traversal).
    Nor its `temporary_file_path()`: the file the upload handler created in
    `FILE_UPLOAD_TEMP_DIR`, whose only client part is the extension of that
    base name (WebODM: 7 findings, none a traversal). The path stays client
    text for other sinks (a shell command).

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
    message = "{sink} uses a file path built from {source}; {advice}"
    cwe = (22,)
    security_severity = 7.5
    tags = ("files",)
    kinds = frozenset({"path"})

    def facts(self, hit: Hit) -> dict[str, str]:
        """The advice: a storage already joins safely under its root, a plain path does not."""
        return {"advice": _STORAGE_ADVICE if _storage_call(hit.sink.what) else _PATH_ADVICE}


_PATH_ADVICE = "reduce it to a base name or use safe_join()"
# FileSystemStorage already safe_joins with its root: `..` still moves inside it.
_STORAGE_ADVICE = (
    "the storage keeps it inside its root, not inside the intended folder: "
    "check the name (a UUID, a base name) and reject `..`"
)


def _storage_call(what: str) -> bool:
    """`default_storage.delete()`, `self.storage.open()`: a storage method, as sinks match it."""
    receiver, _, method = what.removesuffix("()").rpartition(".")
    return method in STORAGE_METHODS and "storage" in receiver
