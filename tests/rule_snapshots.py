"""Every rendered finding of a rule on its sample, and its fixed sample, as reviewable text.

`<sample>.snap` beside each sample holds each finding (id, line, column,
message, fix diff), as ruff's insta snapshots; `<sample>.fixed.py` beside
each fixable rule's sample holds the files its fixes change, whole, after
all of them are applied. `DJREVIEW_UPDATE_SNAPSHOTS=1` rewrites both.
"""

from __future__ import annotations

import os
from pathlib import Path

from djreview.engine.runner import RunResult
from djreview.fix.apply import plan_fixes
from djreview.model import Finding, RuleMeta

UPDATE = os.environ.get("DJREVIEW_UPDATE_SNAPSHOTS") == "1"


def snapshot_path(meta: RuleMeta) -> Path:
    """`rules/security/open-redirect.snap` for `open-redirect.py` or a folder sample."""
    sample = Path(meta.sample)
    return sample.parent / f"{sample.name if sample.is_dir() else sample.stem}.snap"


def fixed_path(meta: RuleMeta) -> Path:
    """`rules/performance/related-access-in-loop.fixed.py` beside the sample."""
    sample = Path(meta.sample)
    return sample.parent / f"{sample.name if sample.is_dir() else sample.stem}.fixed.py"


def _fix_text(finding: Finding, result: RunResult) -> list[str]:
    fix = finding.fix
    if fix is None:
        return []
    texts = {file.rel: file.text for file in result.project.files}
    plan = plan_fixes([fix], result.project.root, texts)
    lines = [f"  fix ({fix.applicability.value}): {fix.description}"]
    for change in plan.changes:
        lines += [f"    {line}".rstrip() for line in change.diff().splitlines()]
    lines += [f"  fix skipped: {reason}" for reason in plan.skipped]
    return lines


def render_snapshot(meta: RuleMeta, result: RunResult) -> str:
    """Each finding of `meta`'s rule: `ID path:line:column`, its message, its fix as a diff."""
    out = [f"# {meta.id} {meta.name} on its sample (DJREVIEW_UPDATE_SNAPSHOTS=1 rewrites this)"]
    for finding in result.findings:
        if finding.rule_id != meta.id:
            continue
        where = finding.location
        out.append(f"{finding.rule_id} {where.path}:{where.start_line}:{where.start_column}")
        out.append(f"  {finding.message}")
        out += _fix_text(finding, result)
    return "\n".join(out) + "\n"


def render_fixed(meta: RuleMeta, result: RunResult) -> str:
    """Every file the rule's fixes change (or create), whole, after applying all of them."""
    fixes = [f.fix for f in result.findings if f.rule_id == meta.id and f.fix is not None]
    texts = {file.rel: file.text for file in result.project.files}
    plan = plan_fixes(fixes, result.project.root, texts)
    parts = [f"# {meta.id} {meta.name}: the sample after its fixes (DJREVIEW_UPDATE_SNAPSHOTS=1)"]
    for change in sorted(plan.changes, key=lambda change: change.rel):
        parts.append(f"# --- {change.rel} ---\n{change.new}")
    parts += [f"# fix skipped: {reason}" for reason in plan.skipped]
    return "\n".join(parts).rstrip("\n") + "\n"


def compare(path: Path, text: str) -> None:
    """Assert `path` holds `text`, or write it when snapshots are being updated."""
    if UPDATE:
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run with DJREVIEW_UPDATE_SNAPSHOTS=1 and review it"
    assert path.read_text(encoding="utf-8") == text, (
        f"{path} differs: run with DJREVIEW_UPDATE_SNAPSHOTS=1 and review the diff"
    )
