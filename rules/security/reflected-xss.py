from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe as ms


def search(request):
    q = request.GET.get("q", "")
    # ruleid: DJR311
    page = HttpResponse(f"<h1>Results for {q}</h1>")
    # ruleid: DJR311 -- a POST field, and no form of the project's templates to say who fills it
    error = HttpResponseBadRequest("Unknown field: " + request.POST["field"])
    # ok: DJR311
    escaped = HttpResponse(f"<h1>Results for {escape(q)}</h1>")
    # ok: DJR311
    formatted = HttpResponse(format_html("<h1>Results for {}</h1>", q))
    # ok: DJR311
    plain = HttpResponse(q, content_type="text/plain")
    # ruleid: DJR311
    banner = ms("<b>" + q + "</b>")
    # ok: DJR311
    quoted = ms("<b>" + escape(q) + "</b>")
    # ok: DJR311
    fixed = ms("<b>" + "results" + "</b>")
    return page, error, escaped, formatted, plain, banner, quoted, fixed


def host_meta(request):
    # ok: DJR311 -- the Host header reaches only its sender: no cross-site page can set it
    own = HttpResponse("<Link template='https://%s/'/>" % request.headers["Host"])
    # ok: DJR311
    meta = HttpResponse("<p>%s</p>" % request.META.get("HTTP_HOST", ""))
    # ruleid: DJR311 -- any other header, or a default taken from the query string, still counts
    agent = HttpResponse("<p>%s</p>" % request.headers["X-Forwarded-Host"])
    # ruleid: DJR311
    fallback = HttpResponse("<p>%s</p>" % request.META.get("HTTP_HOST", request.GET["h"]))
    return own, meta, agent, fallback


def feed_data(request):
    labels = request.GET.get("labels", "")
    pagination = {"page": int(request.GET.get("page", 1))}
    pagination["pages"] = 10
    return {"pagination": pagination, "query": {"labels": labels}}


def table(params):
    return f"<p>{params['pages']}</p>"


def feed(request):
    data = feed_data(request)
    # ok: DJR311 -- only the integers stored under "pagination" reach the page
    page = HttpResponse(f"<p>Page {data['pagination']['page']}</p>{table(data['pagination'])}")
    # ok: DJR311 -- the helper reads only the key that holds integers
    merged = HttpResponse(table({**data.get("pagination"), **data["query"]}))
    # ruleid: DJR311 -- the client's labels, stored under "query"
    labels = HttpResponse(f"<p>{data['query']['labels']}</p>")
    # ruleid: DJR311 -- the whole dict
    whole = HttpResponse(f"<p>{data}</p>")
    return page, merged, labels, whole
