import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils._os import safe_join
from django.views.decorators.http import require_GET


@require_GET
def download(request, name):
    # ruleid: DJR316
    return FileResponse(open(os.path.join(settings.MEDIA_ROOT, name), "rb"))


def remove(request):
    upload = request.POST["upload"]
    # ruleid: DJR316
    default_storage.delete(upload)
    # ruleid: DJR316
    text = Path(settings.MEDIA_ROOT, request.GET["file"]).read_text()
    # ok: DJR316
    default_storage.delete(os.path.basename(upload))
    # ok: DJR316
    notes = Path(settings.BASE_DIR, "NOTES.txt").read_text()
    return text, notes


@require_GET
def download_safe(request, name):
    # ok: DJR316
    return FileResponse(open(safe_join(settings.MEDIA_ROOT, name), "rb"))


@require_GET
def download_by_id(request, pk: int):
    # ok: DJR316
    return FileResponse(open(os.path.join(settings.MEDIA_ROOT, f"{pk}.pdf"), "rb"))


def store_upload(request):
    upload = request.FILES["document"]
    folder = settings.MEDIA_ROOT
    # ok: DJR316
    with open(os.path.join(folder, upload.name), "wb") as out:
        out.write(upload.read())
    # ruleid: DJR316
    with open(os.path.join(folder, request.POST.get("rename", upload.name)), "wb") as out:
        out.write(upload.read())


DOCS = Path("/srv/docs")


def docs_page(request):
    wanted = DOCS / request.GET["page"]
    if not wanted.resolve().is_relative_to(DOCS.resolve()):
        return FileResponse(open(DOCS / "index.html", "rb"))
    # ok: DJR316 -- the resolved path was checked to stay under DOCS
    return FileResponse(open(wanted, "rb"))


def docs_page_unchecked(request):
    wanted = DOCS / request.GET["page"]
    # ruleid: DJR316
    return FileResponse(open(wanted, "rb"))


def stage_import(request):
    folder = os.path.join("uploads", "tmp", request.POST["load_id"])
    # ok: DJR316 -- Storage.save() itself rejects `..` parts and absolute names
    default_storage.save(os.path.join(folder, "data.csv"), request.FILES["data"])
    # ruleid: DJR316
    default_storage.delete(folder)


def stage_upload(request):
    upload = request.FILES["archive"]
    # ok: DJR316 -- the upload handler's own temporary file, not a path the client chose
    with open(upload.temporary_file_path(), "rb") as staged:
        data = staged.read()
    # ruleid: DJR316
    with open(os.path.join(settings.MEDIA_ROOT, request.POST["folder"], upload.name), "wb") as out:
        out.write(data)


def kept_inside(unsafe, base):
    base = os.path.abspath(base)
    unsafe = os.path.abspath(unsafe)
    if os.path.commonpath([base, unsafe]) != base:
        raise SuspiciousFileOperation(unsafe)
    return unsafe


def only_normalised(unsafe, base):
    return os.path.abspath(unsafe)


def warned_only(unsafe, base):
    unsafe = os.path.realpath(unsafe)
    if not unsafe.startswith(base):
        print("outside", base)
    return unsafe


def remove_media(request):
    asked = os.path.join(settings.MEDIA_ROOT, request.POST["file"])
    kept = kept_inside(asked, settings.MEDIA_ROOT)
    # ok: DJR316 -- the helper raises unless the normalised path stays under the root
    os.remove(kept)
    # ruleid: DJR316 -- normalised, never tested
    os.remove(only_normalised(asked, settings.MEDIA_ROOT))
    # ruleid: DJR316 -- tested, but returned on failure too
    os.remove(warned_only(asked, settings.MEDIA_ROOT))


def inside_theme(root, path):
    try:
        safe_join(root, path)
        return True
    except SuspiciousFileOperation:
        return False


def remove_theme_file(request):
    folder, chosen = request.GET["dir"], request.GET["file"]
    if not inside_theme(settings.BASE_DIR, os.path.join(folder, chosen)):
        raise PermissionDenied
    # ok: DJR316 -- the helper's True means safe_join() accepted the same parts
    os.remove(os.path.join(settings.BASE_DIR, folder, chosen))


def remove_theme_file_unasked(request):
    folder = request.GET["dir"]
    inside_theme(settings.BASE_DIR, folder)
    # ruleid: DJR316 -- its verdict is dropped: it says no by returning False, not by raising
    os.remove(os.path.join(settings.BASE_DIR, folder))


def serve_doc(request):
    full = os.path.realpath(os.path.join(settings.BASE_DIR, "docs", request.GET["page"]))
    if not full.startswith(os.path.join(settings.BASE_DIR, "docs") + os.sep):
        raise PermissionDenied
    # ok: DJR316 -- the real path was checked to stay under the folder
    return FileResponse(open(full, "rb"))


def serve_doc_lexical(request):
    full = os.path.join(settings.BASE_DIR, "docs", request.GET["page"])
    if not full.startswith(os.path.join(settings.BASE_DIR, "docs")):
        raise PermissionDenied
    # ruleid: DJR316 -- not normalised: `docs/../settings.py` passes the test
    return FileResponse(open(full, "rb"))


def serve_report(request, name):
    folder = os.path.abspath(os.path.join(settings.MEDIA_ROOT, "reports"))
    if os.path.commonpath([folder, os.path.abspath(os.path.join(folder, name))]) != folder:
        raise PermissionDenied
    # ok: DJR316
    return FileResponse(open(os.path.join(folder, name), "rb"))
