"""How AI annotations read in reports: text lines and SARIF message markdown.

Reads only a finding's `ai.*` properties, so reports need neither the model
client nor `openai` to show them.
"""

from __future__ import annotations

from djreview.model import Finding

PREFIX = "ai."


def _ai(finding: Finding) -> dict[str, str]:
    return {
        key.removeprefix(PREFIX): value
        for key, value in finding.properties
        if key.startswith(PREFIX)
    }


def text_lines(finding: Finding) -> list[str]:
    """The AI lines under a finding in the text report (none when not reviewed)."""
    ai = _ai(finding)
    lines = []
    if "error" in ai:
        lines.append(f"    ai: {ai['error']}")
    if "verdict" in ai:
        verdict = ai["verdict"].replace("_", " ")
        lines.append(f"    ai: {verdict} (confidence {ai['confidence']}): {ai['reason']}")
        if "steering_text" in ai:
            lines.append(f"    ai: warning: {ai['steering_text']}; the verdict cannot hide it")
        lines += [f"      {line}" for line in ai["explanation"].strip().splitlines()]
    if "unverified_suggestion" in ai:
        lines.append(
            "    unverified suggestion (NOT a fix; failed djreview's check: "
            f"{ai['rejected_because']}):"
        )
        lines += [f"      {line}" for line in ai["unverified_suggestion"].rstrip().splitlines()]
    return lines


def markdown(finding: Finding) -> str | None:
    """The SARIF `message.markdown` addition: the AI explanation and verdict, if any."""
    ai = _ai(finding)
    if "verdict" not in ai:
        return None
    text = (
        f"**AI review** ({ai['model']}, {ai['prompt_version']}): "
        f"`{ai['verdict']}`, confidence {ai['confidence']}. {ai['reason']}\n\n{ai['explanation']}"
    )
    if "unverified_suggestion" in ai:
        text += (
            f"\n\nUnverified suggestion (not a fix):\n\n```diff\n{ai['unverified_suggestion']}```"
        )
    return text
