from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.html import escape, format_html


def search(request):
    q = request.GET.get("q", "")
    # ruleid: DJR311
    page = HttpResponse(f"<h1>Results for {q}</h1>")
    # ruleid: DJR311
    error = HttpResponseBadRequest("Unknown field: " + request.POST["field"])
    # ok: DJR311
    escaped = HttpResponse(f"<h1>Results for {escape(q)}</h1>")
    # ok: DJR311
    formatted = HttpResponse(format_html("<h1>Results for {}</h1>", q))
    # ok: DJR311
    plain = HttpResponse(q, content_type="text/plain")
    return page, error, escaped, formatted, plain
