from urllib.parse import urlparse, urlsplit
from urllib.request import urlopen

import requests
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required as staff_only
from django.contrib.auth.decorators import permission_required, user_passes_test
from django.contrib.auth.mixins import UserPassesTestMixin
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.generic import FormView
from requests import get

from .mixins import SignedInRequired, StaffRequired


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


def import_feed_by_host(request):
    url = request.POST["feed_url"]
    host = "{uri.hostname}".format(uri=urlparse(url)).lower()
    if host in FEED_HOSTS:
        # ok: DJR315 -- the variable holds only the URL's host, tested against the list
        return requests.get(url, timeout=10)
    return None


def import_feed_by_other_host(request):
    url = request.POST["feed_url"]
    host = urlparse(url).hostname
    host = request.POST["mirror"]
    if host in FEED_HOSTS:
        # ruleid: DJR315
        return requests.get(url, timeout=10)
    return None


def import_feed_unchecked(request):
    url = request.POST["feed_url"]
    if urlparse(url).scheme not in {"http", "https"}:
        return None
    # ruleid: DJR315
    return requests.get(url, timeout=10)


@staff_only
def discover_provider(request):
    # ok: DJR315 -- only staff reach the view: the URL is the operators' own input
    return requests.get(request.GET["url"], timeout=10)


@user_passes_test(lambda u: u.is_active and u.is_superuser)
def discover_provider_as_superuser(request):
    # ok: DJR315
    return requests.get(request.GET["url"], timeout=10)


@user_passes_test(lambda u: u.is_active or u.is_staff)
def preview_for_any_active_user(request):
    # ruleid: DJR315
    return requests.get(request.GET["url"], timeout=10)


@permission_required("feeds.add_feed")
def preview_with_permission(request):
    # ruleid: DJR315 -- a permission is granted to ordinary accounts
    return requests.get(request.GET["url"], timeout=10)


class ProviderDiscoveryView(StaffRequired, FormView):
    def get_initial(self):
        # ok: DJR315 -- the inherited dispatch lets only staff through
        return requests.get(self.request.GET["url"], timeout=10).json()


class FeedPreviewView(SignedInRequired, FormView):
    def get_initial(self):
        # ruleid: DJR315
        return requests.get(self.request.GET["url"], timeout=10).json()


class SuperuserDiscoveryView(UserPassesTestMixin, FormView):
    def test_func(self):
        return self.request.user.is_superuser

    def get_initial(self):
        # ok: DJR315
        return requests.get(self.request.GET["url"], timeout=10).json()


class OwnerPreviewView(UserPassesTestMixin, FormView):
    def test_func(self):
        return self.request.user.is_staff or self.request.user.pk == self.kwargs["owner"]

    def get_initial(self):
        # ruleid: DJR315
        return requests.get(self.request.GET["url"], timeout=10).json()


@method_decorator(staff_only, name="dispatch")
class DecoratedDiscoveryView(FormView):
    def get_initial(self):
        # ok: DJR315
        return requests.get(self.request.GET["url"], timeout=10).json()


class FeedAdmin(admin.ModelAdmin):
    def get_urls(self):
        return [
            path("fetch/", self.admin_site.admin_view(self.fetch_view)),
            path("preview/", self.preview_view),
        ] + super().get_urls()

    def fetch_view(self, request):
        # ok: DJR315 -- admin_view() lets only staff through
        return requests.get(request.GET["url"], timeout=10)

    def preview_view(self, request):
        # ruleid: DJR315 -- routed without admin_view(): no staff check
        return requests.get(request.GET["url"], timeout=10)


def import_feed_parsed_first(request):
    url = request.POST["feed_url"]
    parts = urlsplit(url)
    if parts.netloc not in FEED_HOSTS:
        return None
    # ok: DJR315 -- the parsed URL kept in a name: its netloc is the URL's
    return requests.get(url, timeout=10)


def import_feed_parsed_then_replaced(request):
    url = request.POST["feed_url"]
    parts = urlsplit(url)
    url = request.POST["mirror_url"]
    if parts.netloc not in FEED_HOSTS:
        return None
    # ruleid: DJR315 -- the checked host is the first URL's, not this one's
    return requests.get(url, timeout=10)
