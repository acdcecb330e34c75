"""Record docs/ai-demo.txt and measure prompt sizes: `python tests/ai/make_demo.py`.

Runs the real `djreview check --ai` (a subprocess, the real openai client) on a
copy of a fixture project against the local test endpoint. The endpoint's
replies are scripted below (no model is involved); the prompts are the real
ones, and their token counts are exact o200k_base counts when the optional
`bpe-openai` package is installed (else estimates at 4 characters a token).
Not a test: pytest collects only test_*.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from fake_endpoint import FakeEndpoint, Scripted, completion

ROOT = Path(__file__).resolve().parents[2]
DEMO_RULES = "security,DJR104"

try:
    from bpe_openai import get_encoding

    _ENCODING = get_encoding("o200k_base")

    def count_tokens(text: str) -> int:
        """Exact o200k_base token count."""
        return len(_ENCODING.encode(text))

except ImportError:

    def count_tokens(text: str) -> int:
        """Estimate: 4 characters a token."""
        return max(1, len(text) // 4)


def _answer(verdict: str, reason: str, explanation: str, fix: Any = None) -> dict[str, Any]:
    return {
        "verdict": verdict,
        "confidence": 0.9,
        "reason": reason,
        "explanation": explanation,
        "fix": fix,
    }


def _edit(path: str, snippet: str, replacement: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "edits": [{"path": path, "snippet": snippet, "replacement": replacement}],
    }


def scripted_reply(rule: str, path: str, flagged: str, retry: bool) -> dict[str, Any]:
    """What the scripted 'model' answers for one finding (and on a retry)."""
    if rule == "DJR301" and "mark_safe(" in flagged:
        new = re.sub(r"mark_safe\((.*)\)$", r'format_html("{}", \1)', flagged)
        return _answer(
            "true_positive",
            "query-string text is marked safe and rendered unescaped",
            "`?banner=<script>...</script>` runs in every visitor's browser: `mark_safe` "
            "switches off autoescaping. `format_html` escapes the argument.",
            _edit(path, flagged, new, "Escape the banner with format_html()"),
        )
    if rule == "DJR302" and "raw(f" in flagged:
        new = (
            '    posts = Post.objects.raw("SELECT * FROM blog_post WHERE title LIKE %s", '
            'params=[f"%{q}%"])'
        )
        return _answer(
            "true_positive",
            "the search text is formatted into the SQL string",
            "`q` ends up inside the SQL text, so `' OR 1=1 --` changes the query. "
            "Pass it as a parameter and let the database driver quote it.",
            _edit(path, flagged, new, "Pass the search text as a query parameter"),
        )
    if rule == "DJR302":
        snippet = "\"WHERE t.slug = '%s'\" % tag\n        )"
        return _answer(
            "true_positive",
            "the tag is %-formatted into the SQL text",
            "`'%s' % tag` builds the SQL text from the query string. Give the value "
            "to `execute()` as a parameter instead.",
            _edit(
                path,
                snippet,
                '"WHERE t.slug = %s",\n            [tag],\n        )',
                "Pass the tag as a query parameter",
            ),
        )
    if rule == "DJR314":
        # First reply quotes the line with the wrong quotes, as models do; the retry is exact.
        quote = '"' if retry else "'"
        snippet = f"    return redirect(request.GET[{quote}next{quote}])"
        new = (
            '    target = request.GET.get("next", "")\n'
            "    allowed = {request.get_host()}\n"
            "    if not url_has_allowed_host_and_scheme(target, allowed_hosts=allowed):\n"
            "        target = settings.LOGIN_REDIRECT_URL\n"
            "    return redirect(target)"
        )
        return _answer(
            "true_positive",
            "?next= is followed without a host check",
            "A link to `/login/done/?next=https://evil.example` sends a freshly signed-in user "
            "to another site. Check the target with `url_has_allowed_host_and_scheme`.",
            _edit(path, snippet, new, "Only follow ?next= to this site"),
        )
    if rule == "DJR310":
        return _answer(
            "true_positive",
            "a session-authenticated POST view without CSRF protection",
            "Any page the user visits can post to this view with their cookies. Drop "
            "`@csrf_exempt` and send the token (`X-CSRFToken`) from the client.",
            _edit(path, "@csrf_exempt\n@require_POST", "@require_POST", "Remove @csrf_exempt"),
        )
    if rule == "DJR104" and "Comment.objects" in flagged:
        # A patch that 'fixes' the N+1 by dropping the loop: verification refuses it.
        loop = (
            "    for post in Post.objects.all():\n"
            "        # planted: n+1-query-in-loop — a hand-written query per post [query_in_loop]\n"
            f"{flagged}\n"
            '        stats.append({"post": post.slug, "pending": pending})\n'
        )
        return _answer(
            "true_positive",
            "one COUNT query per post",
            "Each iteration runs its own `COUNT(*)`; with 500 posts that is 501 queries. "
            "Annotate the count onto the posts query instead.",
            _edit(path, loop, "", "Remove the per-post query"),
        )
    return _answer(
        "true_positive",
        "the flagged code matches the rule's description",
        "See the rule's documentation: the flagged line does what the rule describes.",
    )


def responder(body: dict[str, Any]) -> Scripted:
    """Answer a request from the finding it describes."""
    messages = body["messages"]
    user = messages[1]["content"]
    rule = re.search(r"Rule (DJR\d+)", user)
    where = re.search(r"Flagged location: (\S+?):\d+", user)
    flagged = next((line[3:] for line in user.splitlines() if line.startswith(">> ")), "")
    retry = len(messages) > 3
    reply = scripted_reply(
        rule.group(1) if rule else "", where.group(1) if where else "", flagged, retry
    )
    text = json.dumps(reply)
    prompt = sum(count_tokens(m["content"]) + 4 for m in messages)
    return completion(text, tokens=(prompt, count_tokens(text)))


def _copy(fixture: str, into: Path) -> Path:
    target = into / fixture
    shutil.copytree(ROOT / "fixtures" / fixture, target, ignore=shutil.ignore_patterns("*.sqlite3"))
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    return target


def _check(project: Path, endpoint: FakeEndpoint, cache: Path, *args: str) -> str:
    env = {
        **os.environ,
        "OPENAI_BASE_URL": endpoint.url,
        "OPENAI_API_KEY": "demo",
        "DJREVIEW_CACHE_DIR": str(cache),
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "djreview",
            "check",
            ".",
            "--ai",
            "--ai-model",
            "gpt-4o-mini",
            *args,
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr


def main() -> None:
    """Write docs/ai-demo.txt and print the token measurements."""
    endpoint = FakeEndpoint().start()
    endpoint.responder = responder
    try:
        with tempfile.TemporaryDirectory() as temp:
            work = Path(temp)
            blog = _copy("blog", work)
            command = f"djreview check . --ai --ai-model gpt-4o-mini --select {DEMO_RULES}"
            output = _check(blog, endpoint, work / "demo-cache", "--select", DEMO_RULES)
            again = _check(blog, endpoint, work / "demo-cache", "--select", DEMO_RULES)
            output += f"\n$ {command}    # again, nothing changed: every reply from the cache\n"
            output += again.splitlines()[-1] + "\n"
            header = (
                "Recorded by tests/ai/make_demo.py on fixtures/blog against djreview's local\n"
                "TEST endpoint (tests/ai/fake_endpoint.py): its replies are SCRIPTED, not written\n"
                "by a model. The prompts and the verification are real; token counts are\n"
                "o200k_base counts of the real prompts; the cost is gpt-4o-mini's price.\n\n"
                f"$ {command}\n"
            )
            (ROOT / "docs" / "ai-demo.txt").write_text(header + output, encoding="utf-8")
            print(header + output)
            for fixture in ("blog", "shop"):
                project = blog if fixture == "blog" else _copy(fixture, work)
                cache = work / f"measure-{fixture}"
                before = len(endpoint.requests)
                first = _check(project, endpoint, cache, "--ai-max-findings", "500")
                requests = len(endpoint.requests) - before
                second = _check(project, endpoint, cache, "--ai-max-findings", "500")
                print(
                    f"== {fixture}: {requests} requests\n{first.splitlines()[-1]}\n"
                    f"{second.splitlines()[-1]}"
                )
    finally:
        endpoint.stop()


if __name__ == "__main__":
    main()
