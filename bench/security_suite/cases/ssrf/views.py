from urllib.parse import urlparse
from urllib.request import urlopen

import httpx
import requests
from requests import get as fetch
from django.conf import settings
from django.http import HttpResponse, JsonResponse


def preview_link(request):
    url = request.GET["url"]
    # suite: positive
    page = requests.get(url, timeout=5)
    return HttpResponse(page.text[:200], content_type="text/plain")


def preview_fixed_host(request):
    slug = request.GET["slug"]
    # suite: safe
    page = requests.get(f"{settings.DOCS_BASE_URL}/pages/", params={"slug": slug}, timeout=5)
    return HttpResponse(page.text[:200], content_type="text/plain")


def webhook_test(request):
    # suite: positive
    response = httpx.post(request.POST["callback"], json={"ping": True})
    return JsonResponse({"status": response.status_code})


def avatar_proxy(request):
    # suite: positive
    data = urlopen(request.GET["src"]).read()
    return HttpResponse(data, content_type="image/png")


def import_feed(request):
    # suite: positive
    feed = fetch(request.POST["feed_url"], timeout=10)
    return JsonResponse({"n": len(feed.content)})


ALLOWED_HOSTS = {"feeds.example.org"}


def import_feed_checked(request):
    url = request.POST["feed_url"]
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        return JsonResponse({}, status=400)
    # suite: safe
    feed = requests.get(url, timeout=10)
    return JsonResponse({"n": len(feed.content)})


def status(request):
    # suite: safe
    upstream = requests.get(settings.STATUS_URL, timeout=3)
    return JsonResponse({"ok": upstream.ok})


def partner_status(request):
    host = request.GET["partner"]
    # suite: positive
    reply = requests.get("https://%s/status" % host, timeout=5)
    return JsonResponse({"ok": reply.ok})


def partner_item(request):
    item = request.GET["item"]
    # suite: safe
    reply = requests.get("https://partners.example.net/items/{}".format(item), timeout=5)
    return JsonResponse({"ok": reply.ok})
