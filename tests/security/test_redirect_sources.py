"""DJR314 across modules: a Referer read in a helper, and `resolve()` as a redirect guard.

Each shape has a twin that must stay reported: a helper that mixes the
Referer with `?next=`, a `resolve()` whose failure keeps the URL, and a
project whose root URLconf resolves anything.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import make_repo, run_tree

REFERER_VIEW = """
from django.http import HttpResponseRedirect

from .utils import get_referer


def switch_language(request, language):
    return HttpResponseRedirect(get_referer(request, default="/"))


def switch_back(request):
    return HttpResponseRedirect(get_referer(request, default=request.GET.get("next")))
"""
REFERER_ONLY = """
def get_referer(request, default=None):
    return request.META.get("HTTP_REFERER", default)
"""
REFERER_OR_NEXT = """
def get_referer(request, default=None):
    return request.META.get("HTTP_REFERER") or request.GET.get("next", default)
"""


def _redirects(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int]]:
    root = make_repo(tmp_path / "project")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text).lstrip())
    result = run_tree(root, select=("DJR314",))
    return sorted((f.location.path, f.location.start_line) for f in result.findings)


def test_referer_read_in_a_helper_of_another_module_is_not_an_open_redirect(
    tmp_path: Path,
) -> None:
    found = _redirects(
        tmp_path,
        {"app/__init__.py": "", "app/views.py": REFERER_VIEW, "app/utils.py": REFERER_ONLY},
    )
    # Only the call that hands `?next=` to the helper as its default stays.
    assert found == [("app/views.py", 11)]


def test_helper_mixing_referer_and_next_is_still_reported(tmp_path: Path) -> None:
    found = _redirects(
        tmp_path,
        {"app/__init__.py": "", "app/views.py": REFERER_VIEW, "app/utils.py": REFERER_OR_NEXT},
    )
    assert found == [("app/views.py", 7), ("app/views.py", 11)]


RESOLVE_VIEWS = """
from django.shortcuts import redirect
from django.urls import Resolver404, resolve


def is_authorize(url):
    try:
        match = resolve(url)
        return match.url_name == "authorize"
    except Resolver404:
        return False


def after_login(request):
    target = request.POST.get("next") or request.GET.get("next") or "/"
    try:
        resolve(target)
    except Resolver404:
        if not is_authorize(target):
            target = "/"
    return redirect(target)


def after_logout(request):
    target = request.GET.get("next", "/")
    try:
        resolve(target)
    except Resolver404:
        return redirect("/")
    return redirect(target)


def after_signup(request):
    target = request.GET.get("next", "/")
    try:
        resolve(target)
    except Resolver404:
        pass  # the unresolved URL is kept: reported
    return redirect(target)


def after_join(request):
    target = request.GET.get("next", "/")
    resolve(target)  # uncaught: an off-site URL gets Django's 404, never the redirect
    return redirect(target)
"""
URLS = """
from django.urls import include, path, re_path

from . import views

urlpatterns = [
    path("login/", views.after_login),
    path("logout/", views.after_logout),
    path("signup/", views.after_signup),
    path("join/", views.after_join),
    path("o/authorize/", views.after_login, name="authorize"),
{extra}]
"""
SETTINGS = 'ROOT_URLCONF = "app.urls"\nSECRET_KEY = "x"\n'


def _resolve_project(tmp_path: Path, extra: str) -> list[tuple[str, int]]:
    return _redirects(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/settings.py": SETTINGS,
            "app/views.py": RESOLVE_VIEWS,
            "app/urls.py": URLS.replace("{extra}", extra),
        },
    )


def _line_of(text: str, needle: str, after: str) -> int:
    lines = textwrap.dedent(text).lstrip().splitlines()
    start = next(n for n, line in enumerate(lines) if after in line)
    return next(n for n, line in enumerate(lines[start:], start + 1) if needle in line)


def test_resolve_uncaught_or_in_a_try_whose_handler_rebinds_or_returns_guards_the_redirect(
    tmp_path: Path,
) -> None:
    found = _resolve_project(tmp_path, "")
    signup = _line_of(RESOLVE_VIEWS, "return redirect(target)", "def after_signup")
    assert found == [("app/views.py", signup)]


@pytest.mark.parametrize(
    "extra",
    [
        '    path("<path:page>", views.after_login),\n',
        '    path("", include("django.contrib.flatpages.urls")),\n',
        # `/\\evil.example/` resolves: the slug-less first segment takes the backslash.
        '    path("<str:page>/", views.after_login),\n',
        '    re_path(r"^(?P<page>[^/]+)/$", views.after_login),\n',
    ],
    ids=[
        "path-converter-at-the-root",
        "flatpages-included-at-the-root",
        "str-converter-first-segment",
        "open-regex-first-segment",
    ],
)
def test_resolve_is_no_guard_when_the_urlconf_resolves_anything(extra: str, tmp_path: Path) -> None:
    found = _resolve_project(tmp_path, extra)
    assert [path for path, _ in found] == ["app/views.py"] * 4


GO_BACK = """
from django.http import HttpResponseRedirect


def go(url):
    return HttpResponseRedirect(url)
"""
CALLERS = """
from .helpers import go


def back(request):
    return go(request.META.get("HTTP_REFERER", "/"))


def onward(request):
    return go({target})
"""


@pytest.mark.parametrize(
    ("target", "reported"),
    [('request.META.get("HTTP_REFERER", "/")', False), ('request.GET["next"]', True)],
)
def test_redirect_helper_reached_by_the_referer_and_by_next_is_reported(
    target: str, reported: bool, tmp_path: Path
) -> None:
    # One sink, two callers: the Referer exemption holds only when every flow is the Referer.
    found = _redirects(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/helpers.py": GO_BACK,
            "app/views.py": CALLERS.replace("{target}", target),
        },
    )
    assert bool(found) is reported


SUCCESS_URL_VIEWS = """
from django.http import HttpResponseRedirect
from django.views.generic import UpdateView


class EditThenNext(UpdateView):
    def get_success_url(self):
        return self.request.GET["next"]


class SentThenNext(UpdateView):
    def get_success_url(self):
        return self.request.GET["next"]

    def post(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.get_success_url())
"""


def test_get_success_url_is_reported_once_where_the_url_leaves_the_code(tmp_path: Path) -> None:
    # Django redirects to an unused hook's return value: reported at the `return`;
    # a hook the module calls itself is reported at that call's redirect, not twice.
    root = make_repo(tmp_path)
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "views.py").write_text(SUCCESS_URL_VIEWS)
    found = run_tree(root, select=("DJR314",)).findings
    assert sorted(f.location.start_line for f in found) == [8, 16]
