"""DJR110 follows the template's block structure (the project model's DTL tree)."""

from __future__ import annotations

from pathlib import Path

from helpers import copy_sample, run_tree

from djreview.engine.registry import rules_dir

SAMPLE = rules_dir() / "performance" / "template-related-access-in-loop"
TEMPLATE = """\
{% for post in posts %}
  {% for key, value in pairs %}{{ key }}{% endfor %}
  {{ post.author.name }}
{% empty %}
  {{ post.author.name }}
{% endfor %}
{% comment %}{% for post in posts %}{{ post.editor.name }}{% endfor %}{% endcomment %}
"""


def test_rows_stay_bound_after_an_unpacking_loop_and_not_in_empty_or_comments(tmp_path: Path):
    tree = copy_sample(SAMPLE, tmp_path / "project")
    (tree / "app" / "templates" / "app" / "titles.html").write_text(TEMPLATE)
    findings = [
        f
        for f in run_tree(tree, select=("DJR110",)).findings
        if f.location.path.endswith("titles.html")
    ]
    assert [(f.location.start_line, f.location.start_column) for f in findings] == [(3, 6)]
