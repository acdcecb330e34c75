import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.utils._os import safe_join

EXPORTS = Path(settings.MEDIA_ROOT) / "exports"


def download(request):
    name = request.GET["file"]
    # suite: positive
    return FileResponse(open(os.path.join(settings.MEDIA_ROOT, name), "rb"))


def download_checked(request):
    name = request.GET["file"]
    # suite: safe
    return FileResponse(open(safe_join(settings.MEDIA_ROOT, name), "rb"))


def read_export(request, filename):
    # suite: positive
    text = (EXPORTS / filename).read_text()
    return HttpResponse(text, content_type="text/plain")


def read_export_basename(request, filename):
    # suite: safe
    text = (EXPORTS / os.path.basename(filename)).read_text()
    return HttpResponse(text, content_type="text/plain")


def delete_upload(request):
    # suite: positive
    os.remove(os.path.join("/srv/uploads", request.POST["name"]))
    return HttpResponse("ok", content_type="text/plain")


def storage_read(request):
    # suite: positive
    handle = default_storage.open(request.GET["path"])
    # suite: safe
    logo = default_storage.open("branding/logo.png")
    return HttpResponse(handle.read() + logo.read(), content_type="application/octet-stream")


def report(request):
    # suite: safe
    with open(os.path.join(settings.BASE_DIR, "reports", "latest.csv")) as f:
        return HttpResponse(f.read(), content_type="text/csv")
