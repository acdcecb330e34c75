"""A POST field behind the CSRF token is request data only when a page of the site fills
it from request data (DJR314, DJR311).

Every project below has one view reading `request.POST["next"]` into a
redirect; what changes is the form that posts to it and what fills the field.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import make_repo, run_tree

SETTINGS = """
SECRET_KEY = "x"
ROOT_URLCONF = "app.urls"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    {csrf}"django.contrib.auth.middleware.AuthenticationMiddleware",
]
"""
VIEWS = """
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@require_POST
{decorator}def switch(request):
    return HttpResponseRedirect(request.POST.get("next"))


def page(request):
    context = {{}}
    context["next"] = {next_value}
    return render(request, "app/page.html", context)
"""
URLS = """
from django.urls import path

from . import views

urlpatterns = [
    path("switch/", views.switch, name="switch"),
    path("page/", views.page, name="page"),
]
"""
FORM = """
<form action="{% url 'switch' %}" method="post">{% csrf_token %}
  <input type="hidden" name="next" value="{{ next }}">
  <button>Switch</button>
</form>
"""
NO_FIELD = """
<form action="{% url 'switch' %}" method="post">{% csrf_token %}<button>Switch</button></form>
"""


def _reported(
    tmp_path: Path,
    *,
    template: str = FORM,
    next_value: str = "request.build_absolute_uri()",
    decorator: str = "",
    csrf: bool = True,
    extra: dict[str, str] | None = None,
) -> bool:
    root = make_repo(tmp_path / "project")
    files = {
        "app/__init__.py": "",
        "app/settings.py": SETTINGS.replace(
            "{csrf}", '"django.middleware.csrf.CsrfViewMiddleware",\n    ' if csrf else ""
        ),
        "app/urls.py": URLS,
        "app/views.py": VIEWS.format(decorator=decorator, next_value=next_value),
        "app/templates/app/page.html": template,
        **(extra or {}),
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text).lstrip())
    result = run_tree(root, select=("DJR314",))
    return any(f.location.path == "app/views.py" for f in result.findings)


@pytest.mark.parametrize(
    "next_value", ["request.build_absolute_uri()", "request.get_full_path()", 'reverse("page")']
)
def test_field_filled_with_the_pages_own_url_is_not_reported(
    next_value: str, tmp_path: Path
) -> None:
    assert not _reported(tmp_path, next_value=next_value)


def test_field_filled_from_the_query_string_is_reported(tmp_path: Path) -> None:
    assert _reported(tmp_path, next_value='request.GET.get("next", "/")')


def test_field_no_form_fills_is_not_reported(tmp_path: Path) -> None:
    assert not _reported(tmp_path, template=NO_FIELD, next_value='request.GET.get("next")')


def test_csrf_exempt_view_is_reported(tmp_path: Path) -> None:
    assert _reported(tmp_path, decorator="@csrf_exempt\n")


def test_view_without_csrf_middleware_is_reported(tmp_path: Path) -> None:
    assert _reported(tmp_path, csrf=False)


@pytest.mark.parametrize(("declared", "reported"), [("next", True), ("title", False)])
def test_form_object_rendered_whole_may_hold_the_field(
    declared: str, reported: bool, tmp_path: Path
) -> None:
    # `{{ form.as_p }}` renders the form's declared fields: one named `next` may be filled
    # from anywhere (its initial value), so the field is no longer the page's own.
    template = FORM.replace(
        '<input type="hidden" name="next" value="{{ next }}">', "{{ form.as_p }}"
    )
    forms = (
        "from django import forms\n\n\n"
        f"class SwitchForm(forms.Form):\n    {declared} = forms.CharField()\n"
    )
    assert _reported(tmp_path, template=template, extra={"app/forms.py": forms}) is reported


def test_self_posting_form_filled_from_the_query_string_is_reported(tmp_path: Path) -> None:
    # A form with no action posts to the page that rendered it: `page`, not `switch`.
    # Nothing posts to `switch` then, and another template names the field: reported.
    template = FORM.replace("""action="{% url 'switch' %}" """, "")
    assert _reported(tmp_path, template=template, next_value='request.GET.get("next")')


SELECT_VIEW = """
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse


def select(request):
    if request.method == "POST":
        return HttpResponseRedirect(request.POST["url"])
    return TemplateResponse(request, "app/select.html", {{"url": {url_value}}})
"""
SELECT_FORM = """
<form action="{{ request.get_full_path }}" method="post">{% csrf_token %}
  <input id="url" type="hidden" name="url" value="{{ url }}">
</form>
"""


@pytest.mark.parametrize(
    ("url_value", "reported"), [('request.GET.get("next")', True), ('reverse("home")', False)]
)
def test_form_the_view_renders_for_itself(url_value: str, reported: bool, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "project")
    files = {
        "app/__init__.py": "",
        "app/settings.py": SETTINGS.replace("{csrf}", ""),
        "app/views.py": SELECT_VIEW.format(url_value=url_value),
        "app/templates/app/select.html": SELECT_FORM,
        "app/urls.py": URLS.replace("switch/", "select/")
        .replace('views.switch, name="switch"', 'views.select, name="select"')
        .replace('    path("page/", views.page, name="page"),\n', ""),
    }
    files["app/settings.py"] = files["app/settings.py"].replace(
        "MIDDLEWARE = [", 'MIDDLEWARE = [\n    "django.middleware.csrf.CsrfViewMiddleware",'
    )
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text).lstrip())
    result = run_tree(root, select=("DJR314",))
    assert any(f.location.path == "app/views.py" for f in result.findings) is reported


def test_helper_reading_the_field_for_unknown_views_is_reported(tmp_path: Path) -> None:
    # The field is read in a helper no URL routes to: one of its callers may be csrf_exempt.
    helper = '\n\ndef next_url(request):\n    return request.POST.get("next")\n'
    views = VIEWS.replace(
        'HttpResponseRedirect(request.POST.get("next"))', "HttpResponseRedirect(next_url(request))"
    )
    assert _reported(
        tmp_path, extra={"app/views.py": views.format(decorator="", next_value="None") + helper}
    )


@pytest.mark.parametrize(
    ("target", "reported"),
    [
        # Other POST fields in the query string cannot move the host: `next` alone aims.
        ('"%s?lang=%s" % (request.POST.get("next"), request.POST.get("lang"))', False),
        # Without the `?`, the second field is part of where the URL goes.
        ('"%s%s" % (request.POST.get("next"), request.POST.get("lang"))', True),
    ],
)
def test_query_string_fields_do_not_count_as_sources_of_the_target(
    target: str, reported: bool, tmp_path: Path
) -> None:
    views = VIEWS.format(decorator="", next_value="request.build_absolute_uri()").replace(
        'HttpResponseRedirect(request.POST.get("next"))', f"HttpResponseRedirect({target})"
    )
    assert _reported(tmp_path, extra={"app/views.py": views}) is reported


LEGACY_URLS = """
from django.urls import path

from . import views

urlpatterns = [path("page/", views.page, name="page")]
stale = [path("switch/", views.switch, name="switch")]  # in no URLconf
"""
ADMIN_URLS = """
from django.contrib import admin
from django.urls import path

from . import views


class SwitchAdmin(admin.ModelAdmin):
    def get_urls(self):
        return [path("switch/", views.switch, name="switch")] + super().get_urls()
"""


@pytest.mark.parametrize(
    ("files", "reported"),
    [
        # A `path()` call the URLconf never lists routes nothing: the view's callers are unknown.
        ({"app/urls.py": LEGACY_URLS}, True),
        # A ModelAdmin's get_urls() is reached through admin.site.urls at run time.
        (
            {
                "app/urls.py": "from django.urls import path\n\nfrom . import views\n\n"
                'urlpatterns = [path("page/", views.page, name="page")]\n',
                "app/admin.py": ADMIN_URLS,
            },
            False,
        ),
    ],
)
def test_the_view_is_routed_by_the_urlconf_or_an_admin_get_urls(
    files: dict[str, str], reported: bool, tmp_path: Path
) -> None:
    assert _reported(tmp_path, extra=files) is reported
