"""No answers in the prompt: comments that label a defect, or judge the code, are withheld.

Test and benchmark code marks what is planted (`# planted: n+1-loop — ...`,
`{# twin: ... #}`, semgrep-style `# ruleid: DJR101` / `# ok: DJR101`), and
ordinary code carries verdicts too (`# BUG: N+1 here`, `# safe: escaped
above`). A model that reads them is graded on reading, not on reviewing, and
a comment claiming "safe" steers it. The rule, applied to every comment in
the code blocks (Python `#` comments, template `{# #}` and
`{% comment %}` blocks), fixtures or not:

* a comment is withheld when it starts with an annotation word and a colon
  (`ruleid`, `ok`, `todoruleid`, `todook`, `planted`, `twin`, `expect`,
  `nosemgrep`), or
* when it addresses a reviewing model (`STEERING`), or
* when it names a defect class or a verdict: bug, defect, vulnerable,
  insecure, unsafe/safe, exploit, injection, XSS, CSRF, SSRF, N+1, slow
  query, missing index, false/true positive, fixme, or says the code queries
  "per row" (per object, item, post...) or "in one query".

Other comments stay (they explain the code). A withheld whole-line comment
drops its line; a trailing one leaves the code before it. Patches are still
located in the real file: `locate` matches Python by tokens, ignoring
comments. Text written to steer the model is flagged from the raw code
(`prompts.addresses_the_model`) before anything is withheld.
"""

from __future__ import annotations

import io
import re
import tokenize

from djreview.ai.context import FLAG, PLAIN, CodeBlock

_ANNOTATION = re.compile(
    r"(?i)^\s*(ruleid|ok|todoruleid|todook|planted|twin|expect|nosemgrep|deepruleid|deepok)\s*:"
)
_JUDGEMENT = re.compile(
    r"(?ix)\b(bugs?|buggy|defects?|vulnerab\w*|insecure|unsafe|safe|exploit\w*|injections?"
    r"|xss|csrf|ssrf|sqli|fixme|planted|twin|slow\s+quer\w*|missing\s+index"
    r"|(false|true)[\s_-]+positives?)\b"
    r"|\bn\s*\+\s*1\b"
    r"|\b(per|each|every)\s+(row|object|item|iteration|instance|record|post|comment|user|entry)\b"
    r"|\bin\s+(one|a\s+single)\s+(query|statement|join)\b|\bone\s+query\s+per\b"
)
# Text written to steer a reviewing model (flagged from the raw code, and withheld in comments).
STEERING = re.compile(
    r"(?i)(ignore\s+(all\s+|any\s+|your\s+|the\s+|previous\s+|prior\s+)*instructions"
    r"|false[_ ]positive|you\s+are\s+(an?\s+)?(ai|assistant|language\s+model)"
    r"|system\s+prompt|disregard\s+(the\s+|all\s+)?(above|previous)|\bverdict\b)"
)
_TEMPLATE_COMMENT = re.compile(
    r"\{#(?P<body>.*?)#\}|\{%\s*comment\s*%\}(?P<block>.*?)\{%\s*endcomment\s*%\}", re.S
)


def is_label(comment: str) -> bool:
    """Whether a comment's text (without `#` or `{# #}`) labels a defect or judges the code."""
    text = comment.strip().lstrip("#").strip()
    return bool(_ANNOTATION.search(text) or _JUDGEMENT.search(text) or STEERING.search(text))


def _python_comment(line: str) -> int | None:
    """The column where a `#` comment starts in one line of Python, if any."""
    if "#" not in line:
        return None
    try:
        for token in tokenize.generate_tokens(io.StringIO(line.lstrip() + "\n").readline):
            if token.type == tokenize.COMMENT:
                return len(line) - len(line.lstrip()) + token.start[1]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # An unterminated string or bracket: a `#` after the last quote is a comment.
        quote = max(line.rfind('"'), line.rfind("'"))
        position = line.find("#", quote + 1)
        return position if position >= 0 else None
    return None


def _withhold_python(body: str) -> str | None:
    """The line without a labelling comment; None when the whole line goes."""
    column = _python_comment(body)
    if column is None or not is_label(body[column:]):
        return body
    code = body[:column].rstrip()
    return code if code.strip() else None


def _withhold_template(body: str) -> str | None:
    def keep(match: re.Match[str]) -> str:
        inner = match.group("body") if match.group("body") is not None else match.group("block")
        return "" if is_label(inner or "") else match.group(0)

    cleaned = _TEMPLATE_COMMENT.sub(keep, body)
    if cleaned == body:
        return body
    return cleaned.rstrip() if cleaned.strip() else None


def withhold_labels(block: CodeBlock) -> CodeBlock:
    """The block without labelling comments (margins kept; withheld lines dropped)."""
    python = block.path.endswith(".py")
    lines = []
    for line in block.text.split("\n"):
        margin, body = line[: len(FLAG)], line[len(FLAG) :]
        if margin not in (FLAG, PLAIN):
            margin, body = "", line
        kept = _withhold_python(body) if python else _withhold_template(body)
        if kept is not None:
            lines.append(margin + kept)
    return CodeBlock(block.title, block.path, block.first_line, "\n".join(lines))
