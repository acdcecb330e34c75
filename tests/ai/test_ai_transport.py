"""Talking to endpoints that misbehave: broken JSON, no schema support, 429, 500, slowness."""

from __future__ import annotations

import json
from dataclasses import replace

from ai_support import GOOD_PATCH, analyse_and_review, reply
from fake_endpoint import FakeEndpoint, Scripted, completion, error


def _only(outcome):
    [review] = outcome.reviews
    return review


def test_malformed_json_then_valid_on_the_reask(endpoint: FakeEndpoint, shop, settings):
    endpoint.script.append(completion('{"verdict": "true_positive", "confidence": 0.9,'))
    endpoint.script.append(completion(GOOD_PATCH))
    _, outcome = analyse_and_review(shop, settings)
    review = _only(outcome)
    assert review.verdict == "true_positive" and review.fix is not None
    reask = endpoint.requests[1]["messages"]
    assert reask[-2]["role"] == "assistant" and reask[-1]["role"] == "user"
    assert "not valid" in reask[-1]["content"]


def test_reply_ignoring_the_schema_twice_leaves_the_finding_unjudged(endpoint, shop, settings):
    wrong = {"answer": "looks fine to me", "score": 7}
    endpoint.script.extend([completion(wrong), completion(wrong)])
    result, outcome = analyse_and_review(shop, settings)
    review = _only(outcome)
    assert review.verdict is None and review.fix is None
    assert "invalid reply twice" in review.error
    [finding] = outcome.findings
    assert finding.rule_id == "DJR301" and finding.fix is None
    assert "ai.verdict" not in dict(finding.properties)
    assert dict(finding.properties)["ai.error"] == review.error


def test_json_wrapped_in_prose_and_fences_is_extracted(endpoint, shop, settings):
    text = f"Sure! Here is my review:\n```json\n{json.dumps(GOOD_PATCH)}\n```\nHope it helps."
    endpoint.script.append(completion(text))
    _, outcome = analyse_and_review(shop, settings)
    assert _only(outcome).fix is not None


def test_endpoint_without_json_schema_support_falls_back(endpoint, shop, settings):
    def no_schema(body):
        kind = (body.get("response_format") or {}).get("type")
        if kind == "json_schema":
            return error(400, "response_format json_schema is not supported")
        return completion(GOOD_PATCH)

    endpoint.responder = no_schema
    _, outcome = analyse_and_review(shop, settings)
    assert _only(outcome).fix is not None
    kinds = [(body.get("response_format") or {}).get("type") for body in endpoint.requests]
    assert kinds == ["json_schema", "json_object"]
    schema = endpoint.requests[0]["response_format"]["json_schema"]
    assert schema["strict"] is True
    assert schema["schema"]["properties"]["verdict"]["enum"] == [
        "true_positive",
        "false_positive",
        "uncertain",
    ]


def test_endpoint_refusing_every_response_format_gets_plain_text(endpoint, shop, settings):
    def plain_only(body):
        if "response_format" in body:
            return error(400, "unknown field response_format")
        return completion("Verdict below.\n" + json.dumps(GOOD_PATCH))

    endpoint.responder = plain_only
    _, outcome = analyse_and_review(shop, settings)
    assert _only(outcome).fix is not None
    assert "response_format" not in endpoint.requests[-1]


def test_429_with_retry_after_then_success(endpoint, shop, settings):
    endpoint.script.append(error(429, "slow down", **{"Retry-After": "0.1"}))
    endpoint.script.append(completion(GOOD_PATCH))
    _, outcome = analyse_and_review(shop, settings)
    assert _only(outcome).fix is not None
    assert len(endpoint.requests) == 2
    assert outcome.usage.requests == 1  # one answered request; the 429 was the client's retry


def test_500s_past_the_retry_budget_fail_the_review_not_the_run(endpoint, shop, settings):
    failing = error(500, "model crashed", **{"Retry-After": "0.05"})
    endpoint.script.extend([failing, failing, failing])
    _, outcome = analyse_and_review(shop, replace(settings, max_retries=1))
    review = _only(outcome)
    assert "HTTP 500" in review.error and review.verdict is None
    assert len(endpoint.requests) == 2  # the first try and one retry
    [finding] = outcome.findings
    assert finding.rule_id == "DJR301"
    assert "1 failed" in outcome.closing


def test_reply_slower_than_the_timeout(endpoint, shop, settings):
    slow = completion(GOOD_PATCH)
    slow.delay = 1.0
    endpoint.script.append(slow)
    _, outcome = analyse_and_review(shop, replace(settings, timeout=0.3, max_retries=0))
    review = _only(outcome)
    assert review.error == "no reply within the request timeout"
    [finding] = outcome.findings
    assert finding.fix is None


def test_no_endpoint_says_what_to_set_and_changes_nothing(shop, settings, endpoint):
    result, outcome = analyse_and_review(shop, replace(settings, base_url=None, api_key=None))
    assert outcome.findings == result.findings
    assert "OPENAI_API_KEY" in outcome.closing and "OPENAI_BASE_URL" in outcome.closing
    assert endpoint.requests == []


def test_budget_stops_new_requests_and_says_so(endpoint, tmp_path, settings):
    from ai_support import VIEWS, write_tree

    extra = "\n\ndef other(text):\n    return mark_safe(text)\n"
    tree = write_tree(tmp_path / "two", {"shop/__init__.py": "", "shop/views.py": VIEWS + extra})
    endpoint.responder = lambda body: completion(reply(fix=None), tokens=(1500, 100))
    # The first prompt (about 1,200 tokens by estimate) fits; the second would not.
    _, outcome = analyse_and_review(tree, replace(settings, budget_tokens=2000, concurrency=1))
    assert len(endpoint.requests) == 1
    reviewed, stopped = outcome.reviews
    assert reviewed.verdict == "true_positive"
    assert "budget" in stopped.error
    assert "budget reached: 1 findings not reviewed, no further requests made" in outcome.closing


def test_a_200_that_is_not_a_chat_completion_fails_the_review_only(endpoint, shop, settings):
    endpoint.script.append(Scripted(200, "<html>proxy login</html>"))
    _, outcome = analyse_and_review(shop, replace(settings, max_retries=0))
    review = _only(outcome)
    assert review.error == "the endpoint's answer is not a chat completion (JSONDecodeError)"
    assert [f.rule_id for f in outcome.findings] == ["DJR301"]
