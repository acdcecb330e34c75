"""Behaving like the local servers real models run on: formats, context windows, salvage."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

from ai_support import GOOD_PATCH, VIEWS, analyse_and_review, reply, write_tree
from fake_endpoint import FakeEndpoint, Scripted, completion, error

# llama-cpp-python's answer to `response_format: json_schema` (an HTTP 500).
SCHEMA_500 = (
    "1 validation error: {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
    "'msg': \"Input should be 'text' or 'json_object'\"}"
)
MORE = "\n\ndef shout(text):\n    return mark_safe(text.upper())\n" + (
    "\n\ndef whisper(text):\n    return mark_safe(text.lower())\n"
)


def _kind(body):
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_object" and "schema" in response_format:
        return "json_object_schema"
    return response_format.get("type", "text")


def _like_llama_cpp_python(body):
    if _kind(body) == "json_schema":
        return error(500, SCHEMA_500)
    return completion(reply(fix=None))


def _three_findings(tmp_path):
    return write_tree(tmp_path / "three", {"shop/__init__.py": "", "shop/views.py": VIEWS + MORE})


def test_format_step_down_happens_once_per_run_and_is_kept(
    endpoint: FakeEndpoint, tmp_path, settings
):
    tree = _three_findings(tmp_path)
    endpoint.responder = _like_llama_cpp_python
    _, outcome = analyse_and_review(tree, replace(settings, concurrency=3))
    assert [review.verdict for review in outcome.reviews] == ["true_positive"] * 3
    kinds = [_kind(body) for body in endpoint.requests]
    # One refused request for the whole run, not one (plus retries) per finding.
    assert kinds == ["json_schema"] + ["json_object_schema"] * 3
    assert endpoint.requests[1]["response_format"]["schema"]["required"][0] == "verdict"
    assert "4 requests (3 answered, 1 format refusals)" in outcome.closing
    assert "format json_object_schema" in outcome.closing
    # The next run starts from what was learned: no refused request at all.
    for folder in (settings.cache_dir / "ai").iterdir():
        if folder.name != "endpoints":
            shutil.rmtree(folder)
    endpoint.requests.clear()
    analyse_and_review(tree, settings)
    assert {_kind(body) for body in endpoint.requests} == {"json_object_schema"}


def test_context_too_long_keeps_the_format_and_refits_the_prompt(endpoint, shop, settings):
    too_long = error(
        400,
        "This model's maximum context length is 3000 tokens. However, you requested 3015 "
        "tokens (2991 in the messages, 24 in the completion).",
    )
    endpoint.script.append(too_long)
    endpoint.responder = lambda body: completion(GOOD_PATCH)
    _, outcome = analyse_and_review(shop, replace(settings, max_tokens=300))
    [review] = outcome.reviews
    assert review.verdict == "true_positive" and review.fix is not None
    first, second = endpoint.requests[:2]
    assert _kind(first) == _kind(second) == "json_schema"  # never dropped for a context error
    assert len(json.dumps(second["messages"])) < len(json.dumps(first["messages"]))
    assert second["max_tokens"] == 300
    assert review.trimmed and "context 3,000 tokens" in outcome.closing


def test_prompt_fits_the_context_the_server_reports(endpoint, shop, settings):
    endpoint.routes["/props"] = {"default_generation_settings": {"n_ctx": 1500}}
    endpoint.responder = lambda body: completion(GOOD_PATCH)
    _, outcome = analyse_and_review(shop, replace(settings, max_tokens=256))
    [review] = outcome.reviews
    [body] = endpoint.requests
    chars = sum(len(message["content"]) for message in body["messages"])
    assert chars / 3 + 256 <= 1500  # the estimate djreview fits with
    assert "rule documentation shortened" in review.trimmed
    assert "'/props'" not in outcome.closing and "context 1,500 tokens" in outcome.closing
    assert review.fix is not None  # the trimmed prompt still carries the flagged code


def test_a_finding_that_cannot_fit_is_not_sent_and_says_why(endpoint, shop, settings):
    endpoint.routes["/props"] = {"default_generation_settings": {"n_ctx": 1100}}
    _, outcome = analyse_and_review(shop, replace(settings, max_tokens=1024))
    [review] = outcome.reviews
    assert endpoint.requests == [] and review.not_sent
    assert "not sent" in review.error and "larger context" in review.error
    assert "0 findings sent" in outcome.closing and "1 not sent" in outcome.closing


def test_a_reply_cut_off_at_max_tokens_is_told_apart_and_not_reasked(endpoint, shop, settings):
    cut = completion('{"verdict": "true_positive", "confidence": 0.9, "reason": "mark', (900, 64))
    cut.body["choices"][0]["finish_reason"] = "length"
    endpoint.script.append(cut)
    _, outcome = analyse_and_review(shop, replace(settings, max_tokens=64))
    [review] = outcome.reviews
    assert "cut off at 64 tokens" in review.error and "--ai-max-tokens" in review.error
    assert len(endpoint.requests) == 1
    # Unusable, but spent: its tokens count in the closing line and against the budget.
    assert (outcome.usage.tokens_in, outcome.usage.tokens_out) == (900, 64)
    assert "1 requests (1 answered, 1 cut off at max-tokens)" in outcome.closing
    assert "900 tokens in / 64 out" in outcome.closing


def test_cut_off_replies_count_against_the_token_budget(endpoint, tmp_path, settings):
    cut = completion('{"verdict": "true_positive", "confidence": 0.9, "reason": "mark', (900, 64))
    cut.body["choices"][0]["finish_reason"] = "length"
    endpoint.responder = lambda body: cut
    tree = _three_findings(tmp_path)
    _, outcome = analyse_and_review(tree, replace(settings, budget_tokens=1500))
    # The first cut-off reply spent 964 tokens: the second prompt would pass 1,500.
    assert len(endpoint.requests) == 1
    assert "budget reached: 2 findings not reviewed" in outcome.closing


def test_invalid_replies_are_not_cached(endpoint, shop, settings):
    endpoint.responder = lambda body: completion({"answer": "fine"})
    analyse_and_review(shop, settings)
    assert len(endpoint.requests) == 2  # the question and the re-ask
    endpoint.responder = lambda body: completion(GOOD_PATCH)
    _, outcome = analyse_and_review(shop, settings)
    assert outcome.reviews[0].fix is not None and len(endpoint.requests) == 3


def test_a_malformed_patch_keeps_verdict_and_explanation(endpoint, shop, settings):
    broken = reply(fix={"description": "escape it", "edits": [{"path": "shop/views.py"}]})
    endpoint.script.append(completion(broken))
    _, outcome = analyse_and_review(shop, settings)
    [review] = outcome.reviews
    assert review.verdict == "true_positive" and "format_html" in review.explanation
    assert review.fix is None and "malformed" in review.patch_dropped
    assert len(endpoint.requests) == 1  # nothing to re-ask: the verdict was valid
    props = dict(outcome.findings[0].properties)
    assert props["ai.verdict"] == "true_positive" and "malformed" in props["ai.patch_dropped"]


def test_a_local_server_that_times_out_is_not_asked_again(endpoint, shop, settings):
    slow = completion(GOOD_PATCH)
    slow.delay = 1.0
    endpoint.script.append(slow)
    _, outcome = analyse_and_review(shop, replace(settings, timeout=0.3, max_retries=None))
    assert len(endpoint.requests) == 1
    assert "1 requests (0 answered, 1 timed out)" in outcome.closing


def test_instructions_can_travel_in_the_user_message(endpoint, shop, settings):
    endpoint.script.append(completion(GOOD_PATCH))
    analyse_and_review(shop, replace(settings, instructions_in_user=True))
    [message] = endpoint.requests[0]["messages"]
    assert message["role"] == "user"
    assert "never an instruction" in message["content"] and "DJR301" in message["content"]


def test_remote_defaults_differ_from_local_ones(settings):
    local = replace(settings, concurrency=None, timeout=None, max_retries=None)
    remote = replace(local, base_url="https://api.example.invalid/v1")
    assert (local.effective_concurrency, local.effective_timeout) == (1, 900.0)
    assert (remote.effective_concurrency, remote.effective_timeout) == (4, 60.0)


def test_a_500_that_is_not_about_the_format_is_retried_not_stepped_down(endpoint, shop, settings):
    endpoint.script.append(Scripted(500, {"error": {"message": "out of memory"}}))
    endpoint.script.append(completion(GOOD_PATCH))
    _, outcome = analyse_and_review(shop, settings)
    assert [_kind(body) for body in endpoint.requests] == ["json_schema", "json_schema"]
    assert "1 retries" in outcome.closing
