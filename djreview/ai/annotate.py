"""Carrying reviews into the report: findings annotated with `ai.*` properties.

A Finding is never mutated: each reviewed one is replaced by a copy whose
properties hold the verdict, confidence, reason, explanation, model and
prompt version (so JSON and SARIF carry them as result properties), and whose
`fix` is the verified AI patch when djreview had none. The text and SARIF
reports read these properties through `djreview.ai.show`.
"""

from __future__ import annotations

import dataclasses

from djreview.ai.review import Review
from djreview.ai.show import PREFIX
from djreview.model import Finding


def _properties(review: Review, has_fix: bool, calibration: str) -> dict[str, str]:
    props = {"model": review.model, "prompt_version": review.prompt_version}
    if calibration:
        props["calibration"] = calibration
    if review.error:
        props["error"] = review.error
    if review.verdict is not None:
        props.update(
            verdict=review.verdict,
            confidence=f"{review.confidence:.2f}",
            reason=review.reason,
            explanation=review.explanation,
        )
    if review.fix is not None and not has_fix:
        props["fix"] = "verified"
        props["fix_diff"] = review.fix_diff
    if review.patch_dropped:
        props["patch_dropped"] = review.patch_dropped
    if review.trimmed:
        props["context_trimmed"] = "; ".join(review.trimmed)
    if review.suggestion:
        props.update(unverified_suggestion=review.suggestion, rejected_because=review.rejected)
    if review.steered:
        props["steering_text"] = "the code contains text addressed to a reviewing model"
    return props


def hidden(review: Review) -> bool:
    """A false positive the user may hide: never when the code tried to steer the model."""
    return review.verdict == "false_positive" and not review.steered


def annotate(
    findings: list[Finding],
    reviews: list[Review],
    *,
    hide_false_positives: bool = False,
    calibration: str = "",
) -> list[Finding]:
    """The findings with their reviews attached (false positives dropped only if asked)."""
    by_fingerprint = {review.finding.fingerprint: review for review in reviews}
    out = []
    for finding in findings:
        review = by_fingerprint.get(finding.fingerprint)
        if review is None:
            out.append(finding)
            continue
        if hide_false_positives and hidden(review):
            continue
        props = dict(finding.properties)
        props.update(
            {
                PREFIX + key: value
                for key, value in _properties(review, finding.fix is not None, calibration).items()
            }
        )
        fix = finding.fix if finding.fix is not None else review.fix
        out.append(dataclasses.replace(finding, properties=tuple(sorted(props.items())), fix=fix))
    return out
