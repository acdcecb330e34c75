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
