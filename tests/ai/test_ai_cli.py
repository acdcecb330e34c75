"""`djreview check --ai` and `djreview fix --ai` as a user runs them."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import jsonschema
from ai_support import GOOD_PATCH, RULES, patch
from click.testing import CliRunner
from fake_endpoint import FakeEndpoint, completion

from djreview.cli.main import main

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"


def _djreview(endpoint: FakeEndpoint | None, tmp_path: Path, *args: str):
    env = {
        "OPENAI_BASE_URL": endpoint.url if endpoint else None,
        "OPENAI_API_KEY": "test-key" if endpoint else None,
        "DJREVIEW_CACHE_DIR": str(tmp_path / "cache"),
        "DJREVIEW_AI_MODEL": "test-model",
    }
    select = ["--select", ",".join(RULES)]
    return CliRunner().invoke(main, [*args, *select, "--ai-timeout", "2"], env=env)


def test_check_ai_prints_verdict_explanation_and_verified_fix(endpoint, shop, tmp_path):
    endpoint.script.append(completion(GOOD_PATCH))
    result = _djreview(endpoint, tmp_path, "check", str(shop), "--ai")
    assert result.exit_code == 1
    out = result.stdout
    assert "ai: true positive (confidence 0.90): product.name is user-editable" in out
    assert "`format_html` escapes `product.name`" in out
    assert "fix (unsafe): Build the markup with format_html() (AI patch by test-model" in out
    assert "ai fix (verified by djreview: applies, parses, silences the finding):" in out
    assert '+    html = format_html("<b>{}</b>", product.name)' in out
    assert "AI review (test-model at http://127.0.0.1" in result.stderr
    assert "AI review [" not in result.stderr  # no progress bar off a terminal
    assert "1 requests (1 answered), 0 cache hits, 400 tokens in / 80 out" in result.stderr


def test_unverified_suggestion_is_labelled_and_never_a_fix(endpoint, shop, tmp_path):
    bad = patch(("shop/views.py", "html = mark_safe(product.title)", "html = product.title"))
    endpoint.script.extend([completion(bad), completion(bad)])
    result = _djreview(endpoint, tmp_path, "check", str(shop), "--ai")
    assert "unverified suggestion (NOT a fix; failed djreview's check:" in result.stdout
    assert "fix (" not in result.stdout


def test_fix_ai_applies_the_verified_patch(endpoint, shop, tmp_path):
    endpoint.script.append(completion(GOOD_PATCH))
    result = _djreview(endpoint, tmp_path, "fix", str(shop), "--ai")
    assert result.exit_code == 0, result.output
    text = (shop / "shop/views.py").read_text()
    assert 'html = format_html("<b>{}</b>", product.name)' in text
    assert "mark_safe(f" not in text


def test_check_ai_without_an_endpoint_says_what_to_set(shop, tmp_path):
    result = _djreview(None, tmp_path, "check", str(shop), "--ai")
    assert result.exit_code == 1  # the run went on and reported its finding
    assert "DJR301" in result.stdout
    assert "AI review skipped: no model endpoint: set OPENAI_API_KEY" in result.stderr


def test_hide_false_positives_drops_only_on_request(endpoint, shop, tmp_path):
    endpoint.responder = lambda body: completion(
        {**GOOD_PATCH, "verdict": "false_positive", "fix": None}
    )
    shown = _djreview(endpoint, tmp_path, "check", str(shop), "--ai")
    assert "ai: false positive" in shown.stdout and shown.exit_code == 1
    hidden = _djreview(endpoint, tmp_path, "check", str(shop), "--ai", "--ai-hide-false-positives")
    assert "DJR301" not in hidden.stdout and hidden.exit_code == 0
    assert "1 hidden as false positives" in hidden.stderr


def test_sarif_carries_the_review_and_stays_valid(endpoint, shop, tmp_path):
    endpoint.script.append(completion(GOOD_PATCH))
    result = _djreview(endpoint, tmp_path, "check", str(shop), "--ai", "--format", "sarif")
    log = json.loads(result.stdout)
    jsonschema.validate(log, json.loads(SCHEMA.read_text()))
    [sarif_result] = log["runs"][0]["results"]
    props = sarif_result["properties"]
    assert props["ai.verdict"] == "true_positive" and props["ai.model"] == "test-model"
    assert props["ai.prompt_version"] and props["ai.confidence"] == "0.90"
    [fix] = sarif_result["fixes"]
    [change] = fix["artifactChanges"]
    inserted = change["replacements"][0]["insertedContent"]["text"]
    assert inserted == '    html = format_html("<b>{}</b>", product.name)'


def test_unknown_ai_config_key_is_a_usage_error(shop, tmp_path):
    (shop / "pyproject.toml").write_text("[tool.djreview.ai]\nmodle = 'x'\n")
    result = _djreview(None, tmp_path, "check", str(shop), "--ai")
    assert result.exit_code == 2
    assert "unknown [tool.djreview.ai] keys: modle" in result.stderr


def _stderr_on_a_terminal(command: list[str], env: dict[str, str]) -> str:
    """Run `command` with its stderr on a pseudo-terminal; return what it wrote there."""
    leader, follower = pty.openpty()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert done.returncode == 1
    return b"".join(chunks).decode()


def test_progress_bar_on_a_terminal(endpoint, shop, tmp_path):
    endpoint.responder = lambda body: completion(GOOD_PATCH)
    command = [sys.executable, "-m", "djreview", "check", str(shop), "--ai", "--select", "DJR301"]
    env = {
        **os.environ,
        "OPENAI_BASE_URL": endpoint.url,
        "OPENAI_API_KEY": "k",
        "DJREVIEW_CACHE_DIR": str(tmp_path / "cache"),
    }
    on_tty = _stderr_on_a_terminal(command, env)
    assert "AI review [##############################] 1/1" in on_tty
    assert "AI review (" in on_tty


def test_json_report_carries_the_review_and_the_verified_fix(endpoint, shop, tmp_path):
    endpoint.script.append(completion(GOOD_PATCH))
    result = _djreview(endpoint, tmp_path, "check", str(shop), "--ai", "--format", "json")
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["properties"]["ai.verdict"] == "true_positive"
    assert finding["properties"]["ai.fix"] == "verified"
    assert finding["fix"]["applicability"] == "unsafe"
    [edit] = finding["fix"]["edits"]
    assert edit["replacement"] == '    html = format_html("<b>{}</b>", product.name)'


def test_ai_sarif_of_every_fixture_passes_the_multitool(endpoint, tmp_path, sarif_session):
    endpoint.responder = lambda body: completion({**GOOD_PATCH, "fix": None})
    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    for project in ("blog", "shop"):
        env = {
            "OPENAI_BASE_URL": endpoint.url,
            "OPENAI_API_KEY": "test-key",
            "DJREVIEW_CACHE_DIR": str(tmp_path / "cache"),
            "DJREVIEW_AI_MODEL": "test-model",
        }
        result = CliRunner().invoke(
            main,
            [
                "check",
                str(fixtures / project),
                "--ai",
                "--ai-max-findings",
                "5",
                "--ai-timeout",
                "2",
                "--format",
                "sarif",
            ],
            env=env,
        )
        log = json.loads(result.stdout)
        assert log["runs"][0]["automationDetails"]["id"] == "djreview/ai/"
        reviewed = [r for r in log["runs"][0]["results"] if "ai.verdict" in r.get("properties", {})]
        assert reviewed, project
        assert all("product.name is user-editable" in r["message"]["markdown"] for r in reviewed)
        sarif_session.expect(f"--ai SARIF of fixtures/{project}", result.stdout)


def test_batch_submit_collect_then_check_verifies_like_a_live_run(endpoint, shop, tmp_path):
    endpoint.responder = lambda body: completion(GOOD_PATCH)
    submitted = _djreview(endpoint, tmp_path, "check", str(shop), "--ai", "--ai-batch")
    assert "1 findings submitted as batch batch_1" in submitted.stderr
    assert endpoint.requests == []  # nothing asked live
    assert "ai: true positive" not in submitted.stdout
    env = {
        "OPENAI_BASE_URL": endpoint.url,
        "OPENAI_API_KEY": "test-key",
        "DJREVIEW_CACHE_DIR": str(tmp_path / "cache"),
        "DJREVIEW_AI_MODEL": "test-model",
    }
    collected = CliRunner().invoke(main, ["ai", "collect"], env=env)
    assert "batch batch_1: completed; 1/1 valid replies cached" in collected.stdout
    [batched] = endpoint.requests
    assert batched["max_tokens"] == 1024 and batched["response_format"]["type"] == "json_schema"
    applied = _djreview(endpoint, tmp_path, "check", str(shop), "--ai")
    assert "ai fix (verified by djreview" in applied.stdout
    assert "0 requests, 1 cache hits" in applied.stderr
