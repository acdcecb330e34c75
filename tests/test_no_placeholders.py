"""No unfilled `{placeholder}` (or ast-grep `$METAVAR`) reaches a user.

Message templates are filled in findings; everywhere else a rule is shown
(docs/rules, `djreview rule X`, SARIF `fullDescription`) the rule's
description is shown instead. Code (fenced blocks and `inline code`) may
hold braces, f-strings and `{% tags %}`; prose may not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from djreview.cli.main import main
from djreview.docs import rule_page
from djreview.engine.registry import load_registry, rules_dir

ROOT = Path(__file__).resolve().parents[1]
RULES = load_registry().sorted_metas()
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|\$\$?\$?[A-Z_][A-Z0-9_]*\b")
FENCE = re.compile(r"```.*?```", re.S)
INLINE = re.compile(r"`[^`\n]*`")


def unfilled(text: str) -> list[str]:
    """The placeholders left in `text`, outside code."""
    prose = INLINE.sub("", FENCE.sub("", text))
    return PLACEHOLDER.findall(prose)


def test_unfilled_finds_placeholders_outside_code_only() -> None:
    assert unfilled("{relation} is loaded; add $FN()") == ["{relation}", "$FN"]
    assert unfilled('`f"{name}"` and ```\nx = {a}\n``` {% csrf_token %} {}') == []


@pytest.mark.parametrize("meta", RULES, ids=[m.name for m in RULES])
def test_rule_page_and_rule_command_have_no_placeholder(meta) -> None:
    assert unfilled(rule_page(meta)) == []
    assert unfilled(meta.description) == []
    result = CliRunner().invoke(main, ["rule", meta.id])
    assert result.exit_code == 0
    assert unfilled(result.output) == []


def _sarif(tree: Path) -> dict:
    result = CliRunner().invoke(
        main,
        ["check", str(tree), "--no-cache", "-j", "1", "--format", "sarif", "--fail-on", "never"],
    )
    return json.loads(result.output)


@pytest.mark.parametrize(
    "tree",
    [ROOT / "fixtures" / "blog", ROOT / "fixtures" / "shop", rules_dir()],
    ids=["blog", "shop", "rule-samples"],
)
def test_sarif_and_messages_have_no_placeholder(tree: Path) -> None:
    log = _sarif(tree)
    run = log["runs"][0]
    for rule in run["tool"]["driver"]["rules"]:
        assert unfilled(rule["fullDescription"]["text"]) == [], rule["id"]
    assert run["results"], "no findings to read"
    for result in run["results"]:
        assert unfilled(result["message"]["text"]) == [], result["ruleId"]
