"""The reply the model must give, as a JSON schema, and its validation.

The same schema goes to endpoints that support `response_format` json_schema;
every reply is validated here whatever the endpoint promised, because local
servers often ignore the schema (and OpenAI's strict mode refuses `minimum`,
so ranges are checked here only). Edits are located by content (an exact
snippet of the current file and its replacement), never by line numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

VERDICTS = ("true_positive", "false_positive", "uncertain")

REPLY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["verdict", "confidence", "reason", "explanation", "fix"],
    "properties": {
        "verdict": {"type": "string", "enum": list(VERDICTS)},
        "confidence": {"type": "number", "description": "0 to 1"},
        "reason": {"type": "string"},
        "explanation": {"type": "string"},
        "fix": {
            "anyOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["description", "edits"],
                    "properties": {
                        "description": {"type": "string"},
                        "edits": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["path", "snippet", "replacement"],
                                "properties": {
                                    "path": {"type": "string"},
                                    "snippet": {"type": "string"},
                                    "replacement": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            ]
        },
    },
}


@dataclass(frozen=True, slots=True)
class ProposedEdit:
    """Replace the one occurrence of `snippet` in `path` by `replacement`."""

    path: str
    snippet: str
    replacement: str


@dataclass(frozen=True, slots=True)
class ProposedFix:
    """The model's patch, not yet verified."""

    description: str
    edits: tuple[ProposedEdit, ...]


@dataclass(frozen=True, slots=True)
class Reply:
    """A validated model reply."""

    verdict: str
    confidence: float
    reason: str
    explanation: str
    fix: ProposedFix | None
    # Why a patch in the reply was dropped (malformed, or the verdict is not true_positive).
    fix_dropped: str = ""


class InvalidReply(ValueError):
    """The reply does not match the schema; the message says how, for the re-ask."""


def extract_json(text: str) -> Any:
    """The JSON object in a reply: the whole text, a fenced block, or the first balanced {...}."""
    stripped = text.strip()
    try:
        return json.loads(stripped)
    except json.JSONDecodeError:
        pass
    decoder = json.JSONDecoder()
    for start, char in enumerate(stripped):
        if char != "{":
            continue
        try:
            value, _ = decoder.raw_decode(stripped, start)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    raise InvalidReply("the reply contains no JSON object")


def _string(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise InvalidReply(f"{where}{key} must be a string")
    return value


def _extra(data: dict[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise InvalidReply(f"{where}unexpected keys: {', '.join(extra)}")


def _fix(value: Any) -> ProposedFix | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidReply("fix must be an object or null")
    _extra(value, {"description", "edits"}, "fix: ")
    edits_data = value.get("edits")
    if not isinstance(edits_data, list) or not edits_data:
        raise InvalidReply("fix.edits must be a non-empty list (or give fix: null)")
    edits = []
    for index, item in enumerate(edits_data):
        where = f"fix.edits[{index}]."
        if not isinstance(item, dict):
            raise InvalidReply(f"{where[:-1]} must be an object")
        _extra(item, {"path", "snippet", "replacement"}, where)
        edits.append(
            ProposedEdit(
                _string(item, "path", where),
                _string(item, "snippet", where),
                _string(item, "replacement", where),
            )
        )
    return ProposedFix(_string(value, "description", "fix."), tuple(edits))


def parse_reply(text: str) -> Reply:
    """Validate a reply's text against REPLY_SCHEMA; raise InvalidReply saying what is wrong.

    What is valid is kept: a malformed patch costs the patch, not the verdict
    and explanation (`fix_dropped` says why), and a patch under a verdict
    other than true_positive is ignored. Keys the schema does not name are
    ignored too.
    """
    data = extract_json(text)
    if not isinstance(data, dict):
        raise InvalidReply("the reply must be a JSON object")
    missing = [key for key in REPLY_SCHEMA["required"] if key not in data and key != "fix"]
    if missing:
        raise InvalidReply(f"missing keys: {', '.join(missing)}")
    verdict = data["verdict"]
    if verdict not in VERDICTS:
        raise InvalidReply(f"verdict must be one of {', '.join(VERDICTS)}")
    confidence = data["confidence"]
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise InvalidReply("confidence must be a number between 0 and 1")
    if not 0 <= confidence <= 1:
        raise InvalidReply("confidence must be between 0 and 1")
    fix: ProposedFix | None = None
    dropped = ""
    try:
        fix = _fix(data.get("fix"))
    except InvalidReply as exc:
        dropped = f"the patch was malformed ({exc})"
    if fix is not None and verdict != "true_positive":
        fix, dropped = None, f"a patch under the verdict {verdict} is ignored"
    return Reply(
        verdict=verdict,
        confidence=float(confidence),
        reason=_string(data, "reason", ""),
        explanation=_string(data, "explanation", ""),
        fix=fix,
        fix_dropped=dropped,
    )
