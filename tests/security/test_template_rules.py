"""Template rules on shapes a one-file sample cannot show: plain-text templates."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree, write_tree


def test_safe_filter_in_a_plain_text_template_is_not_flagged(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "project")
    templates = root / "templates"
    templates.mkdir()
    (templates / "sms_message.html").write_text('The check "{{ check.name|safe }}" is DOWN.\n')
    (templates / "page.html").write_text("<p>{{ check.name|safe }}</p>\n")
    flagged = {f.location.path for f in run_tree(root, select=("DJR501",)).findings}
    assert flagged == {"templates/page.html"}


def test_autoescape_off_in_a_plain_text_email_template_is_not_flagged(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "project")
    templates = root / "templates" / "registration"
    templates.mkdir(parents=True)
    block = "{% autoescape off %}Hello {{ user.username }},\n{{ link }}\n{% endautoescape %}\n"
    (templates / "password_reset_email.html").write_text("{% load i18n %}\n" + block)
    # The same name with markup is an HTML e-mail; the same text not named for mail may be
    # an included page fragment: both stay flagged.
    (templates / "welcome_email.html").write_text("<p>" + block + "</p>\n")
    (templates / "greeting.html").write_text(block)
    flagged = {f.location.path for f in run_tree(root, select=("DJR502",)).findings}
    assert flagged == {
        "templates/registration/welcome_email.html",
        "templates/registration/greeting.html",
    }


STYLE_GUIDE = '<form method="post" action="{action}">\n  <input name="email">\n</form>\n'
URLS = (
    "from django.urls import path\n"
    "from django.views.generic import TemplateView\n\n"
    "urlpatterns = [\n"
    '    path("styleguide/", TemplateView.as_view(template_name="styleguide.html")),\n'
    "]\n"
)


def _csrf_flagged(tmp_path: Path, action: str, views: str = "") -> bool:
    root = make_repo(tmp_path / "project")
    (root / "site_conf").mkdir()
    (root / "site_conf" / "__init__.py").write_text("")
    (root / "site_conf" / "settings.py").write_text('ROOT_URLCONF = "site_conf.urls"\n')
    (root / "site_conf" / "urls.py").write_text(URLS)
    (root / "site_conf" / "views.py").write_text(views)
    (root / "templates").mkdir()
    (root / "templates" / "styleguide.html").write_text(STYLE_GUIDE.format(action=action))
    return bool(run_tree(root, select=("DJR503",)).findings)


def test_sample_form_on_a_page_only_a_template_view_serves_is_not_flagged(tmp_path: Path) -> None:
    # TemplateView answers POST with 405: the form posting back changes nothing.
    assert not _csrf_flagged(tmp_path / "a", "")
    # Posting elsewhere, or the template also rendered by a view: a real form.
    assert _csrf_flagged(tmp_path / "b", "/subscribe/")
    rendered = (
        "from django.shortcuts import render\n\n\n"
        "def page(request):\n    return render(request, 'styleguide.html')\n"
    )
    assert _csrf_flagged(tmp_path / "c", "", views=rendered)


def test_autoescape_off_around_one_variable_is_the_safe_filter(tmp_path: Path) -> None:
    # A block holding one variable is `|safe` by another spelling: the audit-level DJR501
    # reports it, DJR502 keeps the blocks that span other text or variables.
    root = make_repo(tmp_path / "project")
    templates = root / "templates"
    templates.mkdir()
    one = (
        "<li>\n  {% autoescape off %}\n    {{ item.rendered_html }}\n  {% endautoescape %}\n</li>\n"
    )
    (templates / "panel.html").write_text(one)
    (templates / "card.html").write_text(one.replace("}}\n", "}} {{ item.name }}\n", 1))
    by_rule = {
        (f.rule_id, f.location.path, f.location.start_line)
        for f in run_tree(root, select=("DJR501", "DJR502")).findings
    }
    assert by_rule == {("DJR501", "templates/panel.html", 2), ("DJR502", "templates/card.html", 2)}


UPLOAD_FORM = (
    '<form method="post" enctype="multipart/form-data">\n  <input type="file" name="f">\n</form>\n'
)


def test_forms_of_a_page_that_hands_its_scripts_the_token_are_not_flagged(
    tmp_path: Path,
) -> None:
    root = make_repo(tmp_path / "project")
    templates = root / "templates"
    templates.mkdir()
    script = '<script>var csrftoken = "{{ csrf_token }}";</script>\n'
    (templates / "thread.html").write_text(UPLOAD_FORM + script)
    (templates / "meta.html").write_text(
        '<meta name="csrf-token" content="{{ csrf_token }}">\n' + UPLOAD_FORM
    )
    # The token inside another form is that form's own: this page's upload form is bare.
    (templates / "two_forms.html").write_text(
        UPLOAD_FORM + '<form method="post">{% csrf_token %}<input name="q"></form>\n'
    )
    (templates / "plain.html").write_text(UPLOAD_FORM)
    flagged = {f.location.path for f in run_tree(root, select=("DJR503",)).findings}
    assert flagged == {"templates/two_forms.html", "templates/plain.html"}


AUTOESCAPE_OFF = (
    "<p>{% autoescape off %}{{ user.name }}: {{ comment.text }}{% endautoescape %}</p>\n"
)
SHOP_APP = {
    "shop/__init__.py": "",
    "shop/apps.py": (
        "from django.apps import AppConfig\n\n\nclass ShopConfig(AppConfig):\n    name = 'shop'\n"
    ),
    "shop/mail.py": (
        "from django.template.loader import render_to_string\n\n"
        "PREFIX = 'shop/built/'\n\n\n"
        "def send(kind, context):\n"
        "    render_to_string('shop/emails/named.html', context)\n"
        "    render_to_string(PREFIX + kind, context)\n"
        "    render_to_string(f'{kind}_notice.html', context)\n"
    ),
}


def test_autoescape_off_in_a_template_nothing_renders_is_not_flagged(tmp_path: Path) -> None:
    root = write_tree(make_repo(tmp_path / "project"), SHOP_APP)
    templates = (
        # Named by nothing: no literal, no built name, no convention, an own app's folder.
        "shop/templates/shop/emails/old_comment.html",
        # Named by a literal, by a prefix built in code, by a suffix built in code.
        "shop/templates/shop/emails/named.html",
        "shop/templates/shop/built/launch.html",
        "shop/templates/shop/emails/launch_notice.html",
        # Django's auth views render registration/, whatever app holds the file.
        "registration/templates/registration/login.html",
        # A name at the top may be rendered by code outside the project.
        "shop/templates/old_base.html",
    )
    registration_app = (
        "from django.apps import AppConfig\n\n\n"
        "class RegistrationConfig(AppConfig):\n    name = 'registration'\n"
    )
    write_tree(root, {"registration/__init__.py": "", "registration/apps.py": registration_app})
    write_tree(root, dict.fromkeys(templates, AUTOESCAPE_OFF))
    flagged = {f.location.path for f in run_tree(root, select=("DJR502",)).findings}
    assert flagged == set(templates[1:])


def test_a_template_name_field_makes_every_template_renderable(tmp_path: Path) -> None:
    files = {
        **SHOP_APP,
        "shop/models.py": (
            "from django.db import models\n\n\n"
            "class Page(models.Model):\n    template_name = models.CharField(max_length=70)\n"
        ),
        "shop/templates/shop/emails/old_comment.html": AUTOESCAPE_OFF,
    }
    root = write_tree(make_repo(tmp_path / "project"), files)
    flagged = {f.location.path for f in run_tree(root, select=("DJR502",)).findings}
    assert flagged == {"shop/templates/shop/emails/old_comment.html"}


def test_autoescape_off_outside_the_blocks_of_a_child_template_is_not_flagged(
    tmp_path: Path,
) -> None:
    base = (
        "{% autoescape off %}<main>{% block body %}{% endblock body %}</main>{% endautoescape %}\n"
    )
    child = (
        '{% extends "base.html" %}\n{% load i18n %}\n'
        "{% autoescape off %}\n  {% block body %}<p>{{ report.complaint }}</p>{% endblock %}\n"
        "{% endautoescape %}\n"
    )
    inside = (
        '{% extends "base.html" %}\n'
        "{% block body %}\n{% autoescape off %}<p>{{ report.complaint }}</p>{% endautoescape %}\n"
        "{% endblock %}\n"
    )
    # Without `extends` first the outer tag is live: a page, not a child.
    page = child.replace('{% extends "base.html" %}\n', "", 1)
    root = make_repo(tmp_path / "project")
    files = {"base.html": base, "child.html": child, "inside.html": inside, "page.html": page}
    views = "".join(f"# render(request, '{name}')\n" for name in files)
    write_tree(root, {f"templates/{name}": text for name, text in files.items()})
    write_tree(root, {"views.py": views})
    flagged = {
        (f.location.path, f.location.start_line)
        for f in run_tree(root, select=("DJR502",)).findings
    }
    assert flagged == {
        ("templates/base.html", 1),
        ("templates/inside.html", 3),
        ("templates/page.html", 2),
    }


def test_an_app_installed_by_its_config_class_keeps_its_own_template_folders(
    tmp_path: Path,
) -> None:
    dead = "shop/templates/shop/emails/old_comment.html"
    for entry in ("shop", "shop.apps.ShopConfig"):
        files = {
            **SHOP_APP,
            "settings.py": f"INSTALLED_APPS = ['django.contrib.auth', {entry!r}]\n",
            dead: AUTOESCAPE_OFF,
        }
        root = write_tree(make_repo(tmp_path / entry), files)
        flagged = {f.location.path for f in run_tree(root, select=("DJR502",)).findings}
        assert flagged == set(), entry
