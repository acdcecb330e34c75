from urllib.parse import urlparse
from urllib.request import urlopen

import requests
from requests import get


def preview(request):
    url = request.GET["url"]
    # ruleid: DJR315
    page = requests.get(url, timeout=5)
    # ruleid: DJR315
    raw = urlopen(request.POST["feed"])
    # ok: DJR315
    api = requests.get(f"https://api.example.com/items/{url}", timeout=5)
    # ok: DJR315
    fixed = requests.get("https://example.com/feed.xml", timeout=5)
    # ok: DJR315 -- the host is written out before the first field
    item = requests.get("https://api.example.com/items/{}".format(url), timeout=5)
    # ruleid: DJR315
    hosted = requests.get("https://%s/items" % request.GET["host"], timeout=5)
    # ruleid: DJR315
    formatted = requests.get("https://{}/items".format(request.GET["host"]), timeout=5)
    # ok: DJR315
    pinned = requests.get("https://api.example.com/%s" % url, timeout=5)
    return page, raw, api, fixed, item, hosted, formatted, pinned


def preview_bare_get(request):
    # ruleid: DJR315
    page = get(request.GET["url"], timeout=5)
    # ok: DJR315
    fixed = get(f"https://api.example.com/items/{request.GET['url']}", timeout=5)
    return page, fixed


FEED_HOSTS = {"feeds.example.org"}


def import_feed(request):
    url = request.POST["feed_url"]
    if urlparse(url).hostname not in FEED_HOSTS:
        return None
    # ok: DJR315
    return requests.get(url, timeout=10)


def import_feed_unchecked(request):
    url = request.POST["feed_url"]
    if urlparse(url).scheme not in {"http", "https"}:
        return None
    # ruleid: DJR315
    return requests.get(url, timeout=10)
