"""bench/security_suite/run.py: labels read, findings scored per family on a real run."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[2] / "bench" / "security_suite" / "run.py"
_SPEC = importlib.util.spec_from_file_location("security_suite_run", RUN)
assert _SPEC is not None and _SPEC.loader is not None
suite = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = suite  # dataclasses look their module up while the class is built
_SPEC.loader.exec_module(suite)

VIEWS = """\
from django.http import JsonResponse


def calculate(request):
    # suite: positive
    value = eval(request.GET["expr"])
    # suite: safe
    fixed = eval("1 + 1")
    # suite: positive
    # a second comment line: the label names the code line below it
    missed = request.GET["n"] * 2
    return JsonResponse({"v": value, "f": fixed, "m": missed})


def insecure(request):
    # suite: safe
    return JsonResponse({"v": eval(request.GET["expr"])})
"""

TEMPLATE = """\
{# suite: positive #}
{% autoescape off %}{{ page.title }}: {{ page.body }}{% endautoescape %}
{# suite: safe #}
<p>{{ page.body }}</p>
"""


def _cases(root: Path) -> Path:
    (root / "code").mkdir(parents=True)
    (root / "code" / "views.py").write_text(VIEWS)
    (root / "xss" / "templates").mkdir(parents=True)
    (root / "xss" / "templates" / "page.html").write_text(TEMPLATE)
    return root


def test_a_label_names_the_next_line_that_is_not_a_comment(tmp_path) -> None:
    labels = suite.read_labels(_cases(tmp_path / "cases"))
    assert [(label.family, label.line, label.kind) for label in labels] == [
        ("code", 6, "positive"),
        ("code", 8, "safe"),
        ("code", 11, "positive"),
        ("code", 17, "safe"),
        ("xss", 2, "positive"),
        ("xss", 4, "safe"),
    ]


def test_a_label_with_no_line_after_it_is_an_error(tmp_path) -> None:
    (tmp_path / "family").mkdir()
    (tmp_path / "family" / "views.py").write_text("x = 1\n# suite: positive\n")
    with pytest.raises(ValueError, match="no line after it"):
        suite.read_labels(tmp_path)


def test_run_scores_found_missed_and_flagged_safe_lines_per_family(tmp_path, capsys) -> None:
    cases = _cases(tmp_path / "cases")
    out = tmp_path / "suite.json"
    assert (
        suite.main(["--cases", str(cases), "--select", "security,DJR502", "--json", str(out)]) == 0
    )
    families = json.loads(out.read_text())["families"]
    code, xss = families["code"], families["xss"]
    # eval() of request data is found; the line no rule looks at is a miss.
    assert (code["found"], code["positives"]) == (1, 2)
    assert code["missed"] == ["code/views.py:11"]
    # The safe label on a flagged line counts against the family; eval("1 + 1") does not.
    assert (code["flagged_safe"], code["safe"]) == (1, 2)
    assert code["false_alarms"] == ["code/views.py:17"]
    assert (xss["found"], xss["positives"], xss["flagged_safe"], xss["safe"]) == (1, 1, 0, 1)
    table = capsys.readouterr().out
    assert "code" in table and "1/2  50%" in table
    assert "all families" in table and "2/3  67%" in table


def test_the_selection_decides_what_counts(tmp_path) -> None:
    cases = _cases(tmp_path / "cases")
    flagged = suite.flagged_lines(cases, ("DJR502",))
    assert flagged == {("xss/templates/page.html", 2)}
