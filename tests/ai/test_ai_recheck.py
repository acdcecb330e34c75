"""Re-checking a patch re-runs only what it can change, with a full re-analysis's verdicts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import run_tree

from djreview.ai.verify import Verifier

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
