"""How AI annotations read in reports: text lines and SARIF message markdown.

Reads only a finding's `ai.*` properties, so reports need neither the model
client nor `openai` to show them.
"""

from __future__ import annotations

import re

from djreview.model import Finding

PREFIX = "ai."
# Model text is untrusted: in rendered markdown an image or link could carry
# data to another site, and raw HTML could restyle the page. Keep only text.
_IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(https?://[^>]*)>")


def defang(markdown_text: str) -> str:
    """Model-written markdown without images, links or HTML (their text stays)."""
    text = _IMAGE_OR_LINK.sub(lambda m: m.group(1), markdown_text)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


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
    if ai.get("fix_diff"):
        lines.append("    ai fix (verified by djreview: applies, parses, silences the finding):")
        lines += [f"      {line}" for line in ai["fix_diff"].rstrip().splitlines()]
    if "patch_dropped" in ai:
        lines.append(f"    ai: patch dropped: {ai['patch_dropped']}")
    if "unverified_suggestion" in ai:
        lines.append(
            "    unverified suggestion (NOT a fix; failed djreview's check: "
            f"{ai['rejected_because']}):"
        )
        lines += [f"      {line}" for line in ai["unverified_suggestion"].rstrip().splitlines()]
    return lines


def markdown(finding: Finding) -> str | None:
    """The SARIF `message.markdown` addition: the AI verdict and explanation, if any.

    For `report/sarif.py` to append to the finding's own markdown message.
    """
    ai = _ai(finding)
    if "verdict" not in ai:
        return None
    text = (
        f"**AI review** ({defang(ai['model'])}, {ai['prompt_version']}): "
        f"`{ai['verdict']}`, confidence {ai['confidence']}. {defang(ai['reason'])}\n\n"
        f"{defang(ai['explanation'])}"
    )
    if "unverified_suggestion" in ai:
        # Inside a fence nothing renders; a fence in the diff must not close it.
        longest = max(
            (len(run) for run in re.findall("~+", ai["unverified_suggestion"])), default=0
        )
        fence = "~" * max(3, longest + 1)
        text += (
            f"\n\nUnverified suggestion (not a fix):\n\n{fence}diff\n"
            f"{ai['unverified_suggestion']}{fence}"
        )
    return text
