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
    return page, raw, api, fixed


def preview_bare_get(request):
    # ruleid: DJR315
    page = get(request.GET["url"], timeout=5)
    # ok: DJR315
    fixed = get(f"https://api.example.com/items/{request.GET['url']}", timeout=5)
    return page, fixed
