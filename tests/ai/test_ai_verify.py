"""Patches from the model: only verified ones become fixes; the rest stay suggestions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ai_support import GOOD_PATCH, RULES, VIEWS, analyse_and_review, patch, reply, write_tree
from fake_endpoint import FakeEndpoint, completion
from helpers import run_tree

from djreview.ai.reply_schema import ProposedEdit, ProposedFix
from djreview.ai.verify import Rejected, Verifier
from djreview.fix.apply import apply_edits
from djreview.model import Applicability, Finding, Location, Severity

BADGE = '    html = mark_safe(f"<b>{product.name}</b>")'
SAFE_BADGE = '    html = format_html("<b>{}</b>", product.name)'


def _only(outcome):
    [review] = outcome.reviews
    return review


def test_good_patch_verifies_and_becomes_an_unsafe_fix(endpoint: FakeEndpoint, shop, settings):
    endpoint.script.append(completion(GOOD_PATCH))
    result, outcome = analyse_and_review(shop, settings)
    review = _only(outcome)
    assert review.fix is not None and not review.suggestion
    assert review.fix.applicability is Applicability.UNSAFE
    [finding] = outcome.findings
    assert finding.fix == review.fix
    props = dict(finding.properties)
    assert props["ai.verdict"] == "true_positive" and props["ai.fix"] == "verified"
    assert props["ai.model"] == "test-model" and props["ai.prompt_version"]
    # The located edit is what `djreview fix` applies: it yields the model's replacement.
    fixed = apply_edits(result.project.by_rel["shop/views.py"].text, review.fix.edits)
    assert SAFE_BADGE in fixed and "mark_safe(f" not in fixed
    assert len(endpoint.requests) == 1


def test_whitespace_only_differences_still_locate(endpoint: FakeEndpoint, shop, settings):
    endpoint.script.append(
        completion(
            patch(
                (
                    "shop/views.py",
                    'html   =  mark_safe(f"<b>{product.name}</b>")',
                    'html = format_html("<b>{}</b>", product.name)',
                )
            )
        )
    )
    result, outcome = analyse_and_review(shop, settings)
    review = _only(outcome)
    assert review.fix is not None
    fixed = apply_edits(result.project.by_rel["shop/views.py"].text, review.fix.edits)
    assert SAFE_BADGE in fixed  # re-indented to the file's indentation


def _rejected(endpoint, shop, settings, bad_reply, retry_reply=None):
    """Run with a bad patch and (by default) the same bad patch on the retry."""
    endpoint.script.append(completion(bad_reply))
    endpoint.script.append(completion(retry_reply or bad_reply))
    _, outcome = analyse_and_review(shop, settings)
    review = _only(outcome)
    [finding] = outcome.findings
    assert review.fix is None and finding.fix is None
    assert dict(finding.properties)["ai.unverified_suggestion"] == review.suggestion
    # The retry carried the failure reason back to the model.
    assert len(endpoint.requests) == 2
    assert review.rejected in endpoint.requests[1]["messages"][-1]["content"]
    return review


def test_snippet_not_in_the_file_is_rejected(endpoint, shop, settings):
    review = _rejected(
        endpoint,
        shop,
        settings,
        patch(("shop/views.py", "html = mark_safe(product.title)", "html = escape(product.title)")),
    )
    assert "does not occur in the file" in review.rejected
    assert "escape(product.title)" in review.suggestion


def test_patch_that_adds_a_new_finding_is_rejected(endpoint, shop, settings):
    # The classic wrong fix: format_html() around an already formatted string.
    review = _rejected(
        endpoint,
        shop,
        settings,
        patch(("shop/views.py", BADGE, '    html = format_html(f"<b>{product.name}</b>")')),
    )
    assert "new DJR312 finding" in review.rejected


def test_patch_that_still_has_the_finding_is_rejected(endpoint, shop, settings):
    review = _rejected(
        endpoint,
        shop,
        settings,
        patch(("shop/views.py", BADGE, '    html = mark_safe("<b>" + product.name + "</b>")')),
    )
    assert "still reports DJR301" in review.rejected


LOOP_VIEWS = (
    VIEWS
    + """

def product_list(request):
    parts = []
    for product in Product.objects.all():
        parts.append(mark_safe(f"<li>{product.name}</li>"))
    return HttpResponse("".join(parts))
"""
)


def test_deleting_the_flagged_loop_is_rejected(endpoint, tmp_path, settings):
    tree = write_tree(tmp_path / "loop", {"shop/__init__.py": "", "shop/views.py": LOOP_VIEWS})
    loop = (
        "    for product in Product.objects.all():\n"
        '        parts.append(mark_safe(f"<li>{product.name}</li>"))\n'
    )
    deleting = patch(("shop/views.py", loop, ""))
    endpoint.responder = lambda body: completion(
        deleting if "product_list" in body["messages"][1]["content"] else reply(fix=None)
    )
    _, outcome = analyse_and_review(tree, settings)
    [review] = [r for r in outcome.reviews if r.finding.location.start_line > 20]
    assert review.fix is None
    assert "deletes or disables the flagged code" in review.rejected


def test_suppression_comment_is_not_a_fix(endpoint, shop, settings):
    review = _rejected(
        endpoint,
        shop,
        settings,
        patch(("shop/views.py", BADGE, BADGE + "  # djreview: ignore[DJR301]")),
    )
    assert "djreview: ignore" in review.rejected


def test_patch_touching_another_file_is_rejected(endpoint, shop, settings):
    review = _rejected(
        endpoint,
        shop,
        settings,
        patch(
            (
                "shop/models.py",
                "name = models.CharField(max_length=100)\n    api",
                "name = models.CharField(max_length=50)\n    api",
            )
        ),
    )
    assert "edits another file" in review.rejected


def test_patch_outside_the_project_is_rejected(endpoint, shop, settings):
    outside = shop.parent / "outside.py"
    outside.write_text("x = 1\n")
    review = _rejected(
        endpoint, shop, settings, patch(("../outside.py", "x = 1", "import os; os.system('id')"))
    )
    assert "outside the project" in review.rejected
    assert outside.read_text() == "x = 1\n"


def test_patch_importing_an_unknown_module_is_rejected(endpoint, shop, settings):
    review = _rejected(
        endpoint,
        shop,
        settings,
        patch(
            ("shop/views.py", BADGE, "    html = bleach.clean(product.name)"),
            (
                "shop/views.py",
                "from django.http import HttpResponse",
                "import bleach\nfrom django.http import HttpResponse",
            ),
        ),
    )
    assert "imports `bleach`" in review.rejected


def test_patch_that_does_not_parse_is_rejected(endpoint, shop, settings):
    review = _rejected(
        endpoint,
        shop,
        settings,
        patch(("shop/views.py", BADGE, '    html = format_html("<b>{}</b>", product.name')),
    )
    assert "does not parse" in review.rejected


def test_retry_with_a_good_patch_is_accepted(endpoint, shop, settings):
    endpoint.script.append(completion(patch(("shop/views.py", "not there", "x"))))
    endpoint.script.append(completion(GOOD_PATCH))
    _, outcome = analyse_and_review(shop, settings)
    review = _only(outcome)
    assert review.fix is not None and not review.suggestion
    retry = endpoint.requests[1]["messages"]
    assert [m["role"] for m in retry] == ["system", "user", "assistant", "user"]
    assert json.loads(retry[2]["content"])["fix"]["edits"][0]["snippet"] == "not there"


def test_changing_an_unrelated_function_is_rejected(endpoint, shop, settings):
    review = _rejected(
        endpoint,
        shop,
        settings,
        patch(
            ("shop/views.py", BADGE, SAFE_BADGE),
            (
                "shop/views.py",
                "        lines.append(customer.name)",
                "        lines.append(customer.name.upper())",
            ),
        ),
    )
    assert "unrelated function `customer_report`" in review.rejected


def test_nothing_is_written_to_the_project(endpoint, shop: Path, settings):
    before = (shop / "shop/views.py").read_text()
    endpoint.script.append(completion(GOOD_PATCH))
    analyse_and_review(shop, settings)
    assert (shop / "shop/views.py").read_text() == before


def test_models_rules_may_edit_model_files_and_add_a_migration(shop):
    result = run_tree(shop, select=RULES)
    verifier = Verifier(result.project, result.registry, result.rules, [])
    finding = Finding(
        "DJR202", "unindexable-text-search", "m", Severity.NOTE, Location("shop/views.py", 13)
    )
    meta_patch = ProposedFix(
        "index",
        (
            ProposedEdit(
                "shop/models.py",
                "    description = models.TextField()\n",
                "    description = models.TextField(db_index=True)\n",
            ),
            ProposedEdit("shop/migrations/0002_index.py", "", "from django.db import migrations\n"),
        ),
    )
    with pytest.raises(Rejected) as caught:
        verifier.verify(finding, meta_patch)
    # Past the path checks: only the re-run (which has no DJR202 here) refuses it.
    assert "still reports DJR202" in str(caught.value)
    escape = ProposedFix("x", (ProposedEdit("shop/../../x/migrations/0001.py", "", "x = 1\n"),))
    with pytest.raises(Rejected, match="outside the project"):
        verifier.verify(finding, escape)


def test_a_dot_slash_path_names_the_same_file(endpoint, shop, settings):
    endpoint.script.append(completion(patch(("./shop/views.py", BADGE, SAFE_BADGE))))
    _, outcome = analyse_and_review(shop, settings)
    review = _only(outcome)
    assert review.fix is not None
    assert {edit.location.path for edit in review.fix.edits} == {"shop/views.py"}
