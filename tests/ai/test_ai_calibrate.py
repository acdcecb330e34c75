"""`djreview ai calibrate`: a model's verdicts on planted defects and their clean twins."""

from __future__ import annotations

import json
from pathlib import Path

from ai_support import reply
from click.testing import CliRunner
from fake_endpoint import FakeEndpoint, completion

from djreview.cli.main import main

BLOG = Path(__file__).resolve().parents[2] / "fixtures" / "blog"


def _env(endpoint: FakeEndpoint, tmp_path: Path) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": endpoint.url,
        "DJREVIEW_CACHE_DIR": str(tmp_path / "cache"),
        "DJREVIEW_AI_MODEL": "always-yes",
    }


def test_a_model_that_calls_everything_real_agrees_on_defects_only(endpoint, tmp_path):
    # A model that says true_positive to everything: right on defects, wrong on every twin.
    endpoint.responder = lambda body: completion(reply(fix=None))
    args = ["ai", "calibrate", "--fixture", str(BLOG), "--max-cases", "3", "--format", "json"]
    result = CliRunner().invoke(main, args, env=_env(endpoint, tmp_path))
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)["total"]
    assert (figures["defects"], figures["defects_agree"]) == (3, 3)
    assert (figures["twins"], figures["twins_agree"], figures["twins_called_true_positive"]) == (
        3,
        0,
        3,
    )
    assert figures["replies_valid"] == figures["sent"] == 6
    # No answers in the prompt: the markers that label the cases never reach the model.
    for body in endpoint.requests:
        text = json.dumps(body["messages"])
        assert "planted:" not in text and "twin:" not in text


def test_a_model_that_dismisses_defects_is_shown_as_such(endpoint, tmp_path):
    endpoint.responder = lambda body: completion(reply(verdict="false_positive", fix=None))
    env = _env(endpoint, tmp_path)
    args = ["ai", "calibrate", "--fixture", str(BLOG), "--max-cases", "2"]
    result = CliRunner().invoke(main, args, env=env)
    assert "planted defects: 0/2 called true_positive, 2 called false_positive" in result.stdout
    assert "do not hide findings on its word" in result.stdout
    # Every later report on this endpoint and model names the calibration.
    check = ["check", str(BLOG / "accounts"), "--ai", "--ai-hide-false-positives"]
    later = CliRunner().invoke(main, [*check, "--select", "DJR314"], env=env)
    assert "verdict agrees on 0/2 planted defects and 2/2 clean twins" in later.stderr
    assert "it called 2 planted defects false positives" in later.stderr
    assert "hides real defects with this model" in later.stderr


def test_select_keeps_the_cases_of_the_named_rules_only(endpoint, tmp_path):
    endpoint.responder = lambda body: completion(reply(fix=None))
    args = ["ai", "calibrate", "--fixture", str(BLOG), "--format", "json"]
    result = CliRunner().invoke(
        main, [*args, "--select", "djr314, DJR302"], env=_env(endpoint, tmp_path)
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)["total"]
    # blog plants one open redirect and two SQL injections, each with a twin.
    assert (figures["defects"], figures["twins"]) == (3, 3)
    rules = {"DJR314": 0, "DJR302": 0}
    for body in endpoint.requests:
        text = json.dumps(body["messages"])
        found = [rule for rule in rules if rule in text]
        assert len(found) == 1, text[:300]
        rules[found[0]] += 1
    assert rules == {"DJR314": 2, "DJR302": 4}
