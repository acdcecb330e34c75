import logging
import traceback

from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)


def import_rows(request):
    try:
        rows = parse(request.body)
    except Exception:
        # ruleid: DJR609
        return JsonResponse({"error": traceback.format_exc()}, status=500)
    return JsonResponse({"rows": len(rows)})


def export(request):
    try:
        data = build()
    except Exception:
        details = traceback.format_exc()
        logger.error(details)
        # ruleid: DJR609
        return HttpResponse(f"<pre>{details}</pre>", status=500)
    return HttpResponse(data)


def safe_import(request):
    try:
        rows = parse(request.body)
    except Exception:
        logger.exception("import failed")
        # ok: DJR609
        return JsonResponse({"error": "import failed"}, status=500)
    # ok: DJR609
    return JsonResponse({"rows": len(rows)})


def logged(request):
    details = traceback.format_exc()
    logger.error(details)
    # ok: DJR609
    return HttpResponse("failed", status=500)
