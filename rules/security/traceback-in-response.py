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


def reassigned(request):
    try:
        rows = parse(request.body)
    except ValueError:
        body = {"error": traceback.format_exc()}
        # ruleid: DJR609
        return JsonResponse(body, status=400)
    except Exception:
        body = {"error": "import failed"}
        # ok: DJR609
        return JsonResponse(body, status=500)
    body = {"rows": len(rows)}
    # ok: DJR609
    return JsonResponse(body)


def one_branch(request, verbose):
    try:
        rows = parse(request.body)
    except Exception:
        if verbose:
            message = traceback.format_exc()
        else:
            message = "import failed"
        # ruleid: DJR609
        return HttpResponse(message, status=500)
    return HttpResponse(len(rows))
