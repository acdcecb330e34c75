from urllib.request import urlopen

import requests


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
