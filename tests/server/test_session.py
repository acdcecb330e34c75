"""A server session's findings after an in-memory edit equal a full run on the edited tree."""

from __future__ import annotations

import shutil
from pathlib import Path

from djreview.config import resolve_config
from djreview.engine.runner import run
from djreview.server.session import Session

FIXTURE = Path(__file__).parents[2] / "fixtures" / "blog"
FEED = "blog/templates/blog/post_feed.html"


def session_findings(session: Session) -> list[tuple[object, ...]]:
    for rel in session.files:
        session.check_file(rel)
    session.check_project()
    return sorted(_key(f) for rel in session.files for f in session.findings(rel))


def _key(finding) -> tuple[object, ...]:
    return (
        finding.rule_id,
        finding.location,
        finding.message,
        finding.fingerprint,
        finding.suppressed,
        finding.related,
        finding.fix,
    )


def test_findings_after_an_edit_equal_a_full_run_of_the_edited_tree(tmp_path: Path):
    root = tmp_path / "blog"
    shutil.copytree(FIXTURE, root)
    config = resolve_config(None, root)
    session = Session(root, config)
    before = session_findings(session)
    assert before == sorted(_key(f) for f in run([root], config).findings)

    edited = (
        (root / FEED)
        .read_text(encoding="utf-8")
        .replace("{{ post.num_comments }}", "{{ post.comments.count }}")
    )
    session.update(FEED, edited)
    after = session_findings(session)
    assert after != before  # the edit made a new N+1
    (root / FEED).write_text(edited, encoding="utf-8")
    assert after == sorted(_key(f) for f in run([root], config).findings)
