import logging
import traceback

from django.http import JsonResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


def login_api(request):
    username = request.POST["username"]
    password = request.POST["password"]
    # suite: positive
    logger.info("login for %s with %s", username, password)
    # suite: safe
    logger.info("login for %s", username)
    return JsonResponse({"ok": True})


def import_rows(request):
    try:
        rows = request.FILES["file"].read().splitlines()
    except Exception:
        # suite: positive
        return JsonResponse({"error": traceback.format_exc()}, status=500)
    return JsonResponse({"rows": len(rows)})


def import_rows_logged(request):
    try:
        rows = request.FILES["file"].read().splitlines()
    except Exception:
        logger.exception("import failed")
        # suite: safe
        return JsonResponse({"error": "import failed"}, status=500)
    return JsonResponse({"rows": len(rows)})


def invoice(request, pk):
    secret_note = "internal"
    # suite: positive
    return render(request, "invoice.html", locals())


def invoice_fixed(request, pk):
    # suite: safe
    return render(request, "invoice.html", {"pk": pk})


def reset_password(request):
    token = request.GET["token"]
    # suite: positive
    logger.warning("reset requested with token=%s", token)
    return JsonResponse({"ok": True})
