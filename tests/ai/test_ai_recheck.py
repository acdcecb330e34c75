"""Re-checking a patch re-runs only what it can change, with a full re-analysis's verdicts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import run_tree

from djreview.ai.reply_schema import ProposedEdit, ProposedFix
from djreview.ai.verify import Rejected, Verifier

BLOG = Path(__file__).resolve().parents[2] / "fixtures" / "blog"
VIEWS = "accounts/views.py"
MODELS = "blog/models.py"
REPORTS = "blog/reports.py"


@pytest.fixture(scope="module")
def blog():
    return run_tree(BLOG)


def _rel(result, rel: str) -> str:
    return (BLOG / rel).resolve().relative_to(result.project.root.resolve()).as_posix()


def _patches(result):
    views, models, reports = (_rel(result, r) for r in (VIEWS, MODELS, REPORTS))
    text = {rel: result.project.by_rel[rel].text for rel in (views, models, reports)}
    fixed_redirect = text[views].replace(
        'return redirect(request.GET["next"])', 'return redirect("/")'
    )
    new_finding = text[views].replace(
        'profile.bio = request.POST.get("bio", "")',
        'profile.bio = request.POST.get("bio", "")\n    return redirect(request.GET["then"])',
    )
    indexed = text[models].replace(
        "slug = models.CharField(max_length=200)",
        "slug = models.CharField(max_length=200, db_index=True)",
    )
    joined = text[reports].replace(
        "    posts = Post.objects.filter(status=Post.Status.PUBLISHED)\n    rows = []",
        '    posts = Post.objects.filter(status=Post.Status.PUBLISHED).select_related("author")\n'
        "    rows = []",
        1,
    )
    patches = {
        "fixes the open redirect": {views: fixed_redirect},
        "adds a second open redirect": {views: new_finding},
        "indexes Post.slug in the model": {models: indexed},
        "joins the author in one report": {reports: joined},
        "touches two files": {views: fixed_redirect, models: indexed},
    }
    for name, texts in patches.items():
        assert all(texts[rel] != text[rel] for rel in texts), name
    return patches


def _key(findings):
    return [(f.rule_id, f.location, f.message, f.fingerprint) for f in findings]


def test_partial_recheck_gives_the_full_reanalysis_findings(blog):
    partial = Verifier(blog.project, blog.registry, blog.rules, blog.findings)
    full = Verifier(blog.project, blog.registry, blog.rules, blog.findings, partial=False)
    seconds = {"partial": 0.0, "full": 0.0}
    for name, texts in _patches(blog).items():
        started = time.monotonic()
        after_partial = partial.findings_after(texts)
        seconds["partial"] += time.monotonic() - started
        started = time.monotonic()
        after_full = full.findings_after(texts)
        seconds["full"] += time.monotonic() - started
        assert _key(after_partial) == _key(after_full), name
        assert _key(after_full) != _key(blog.findings), name  # each patch changes something
    print(f"re-check seconds: {seconds}")


REDIRECT = 'return redirect(request.GET["next"])'
CHECKED = (
    'target = request.GET.get("next", "")\n'
    "    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):\n"
    "        target = settings.LOGIN_REDIRECT_URL\n"
    "    return redirect(target)"
)


def _outcome(verifier, finding, fix):
    try:
        return ("verified", verifier.verify(finding, fix).diff)
    except Rejected as exc:
        return ("rejected", str(exc))


def test_partial_recheck_gives_the_full_verification_verdict(blog):
    """verify() accepts and rejects the same patches, for the same reasons, either way."""
    views = _rel(blog, VIEWS)
    [redirect] = [f for f in blog.findings if f.rule_id == "DJR314" and f.location.path == views]

    def patch(replacement):
        return ProposedFix("p", (ProposedEdit(views, REDIRECT, replacement),))

    patches = {
        "checks the host": patch(CHECKED),
        "keeps the redirect": patch(REDIRECT + "  # checked upstream"),
        "moves it to another parameter": patch('return redirect(request.GET["then"])'),
        "adds a reflected XSS view": patch(
            CHECKED + '\n\n\ndef echo(request):\n    return HttpResponse(request.GET["q"])'
        ),
    }
    partial = Verifier(blog.project, blog.registry, blog.rules, blog.findings)
    full = Verifier(blog.project, blog.registry, blog.rules, blog.findings, partial=False)
    outcomes = {}
    for name, fix in patches.items():
        outcomes[name] = _outcome(partial, redirect, fix)
        assert outcomes[name] == _outcome(full, redirect, fix), name
    # Both ways through the re-check: one accepted, and rejections decided by the re-run.
    assert outcomes["checks the host"][0] == "verified"
    assert "still reports DJR314" in outcomes["keeps the redirect"][1]
    assert "still reports DJR314" in outcomes["moves it to another parameter"][1]
    assert "new DJR311 finding" in outcomes["adds a reflected XSS view"][1]
