"""Template rules on shapes a one-file sample cannot show: plain-text templates."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree


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
