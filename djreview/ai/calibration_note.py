"""How a model's calibration reads in a report: one sentence, its failures named."""

from __future__ import annotations

from typing import Any


def _share(part: Any, whole: Any) -> str:
    return f"{part}/{whole}" if isinstance(whole, int) and whole else "n/a"


def calibration_note(calibration: dict[str, Any] | None, hide_false_positives: bool) -> str:
    """The calibration of the model (from `djreview ai calibrate`), or how to get one."""
    if not calibration:
        return "model not calibrated (run `djreview ai calibrate` with the same options)"
    get = calibration.get
    text = (
        f"calibration ({get('when', '?')}, {get('cases', '?')} labelled cases): verdict agrees on "
        f"{_share(get('defects_agree'), get('defects'))} planted defects and "
        f"{_share(get('twins_agree'), get('twins'))} clean twins"
    )
    called_fp = get("defects_called_false_positive") or 0
    if called_fp:
        text += f"; it called {called_fp} planted defects false positives"
        if hide_false_positives:
            text += " (--ai-hide-false-positives hides real defects with this model)"
    return text
