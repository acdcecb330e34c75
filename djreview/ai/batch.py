"""Batch mode: submit every finding's opening question through the Batch API, collect later.

For many findings on a hosted endpoint (half price, results within 24 h).
`check --ai --ai-batch` builds each finding's opening prompt exactly as a
normal run would (fitted, redacted, labels withheld), skips those already in
the reply cache, and submits the rest as one batch; the batch's requests are
kept under `<cache>/ai/batches/`. `djreview ai collect` fetches finished
batches and puts every valid reply into the reply cache under the key the
normal run looks up. The next `check --ai` then finds them there and goes on
as usual: same validation, same patch verification. Only the follow-ups (a
re-ask after an invalid reply, a retry after a rejected patch) are live
requests.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from djreview.ai.cache import ReplyCache, cache_key
from djreview.ai.capabilities import EndpointMemory
from djreview.ai.client import ModelClient
from djreview.ai.context import finding_blocks, model_classes
from djreview.ai.fit import DoesNotFit
from djreview.ai.prompts import PROMPT_VERSION
from djreview.ai.reply_schema import InvalidReply, parse_reply
from djreview.ai.review import Reviewer
from djreview.ai.settings import AISettings
from djreview.ai.usage import Usage
from djreview.ai.verify import Verifier
from djreview.engine.runner import RunResult
from djreview.model import Finding


def _folder(settings: AISettings) -> Path:
    return settings.cache_dir / "ai" / "batches"


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(data, stream)
    os.replace(temp, path)


def submit(settings: AISettings, result: RunResult, findings: list[Finding]) -> str:
    """Submit the findings' opening questions as one batch; the closing line."""
    client = ModelClient(
        settings, EndpointMemory(settings.cache_dir, settings.base_url, settings.model)
    )
    cache = ReplyCache(settings.cache_dir)
    verifier = Verifier(result.project, result.registry, result.rules, result.findings)
    reviewer = Reviewer(client, cache, Usage(), verifier, asyncio.Semaphore(1))
    reviewer.instructions_in_user = settings.instructions_in_user
    models = model_classes(result.project)
    requests: dict[str, list[dict[str, str]]] = {}
    cached = unfit = 0
    for index, finding in enumerate(findings):
        try:
            opening = reviewer.opening(finding, finding_blocks(result.project, finding, models))
        except DoesNotFit:
            unfit += 1
            continue
        if cache.get(cache_key(settings.model, PROMPT_VERSION, opening.messages)) is not None:
            cached += 1
            continue
        requests[f"djreview-{index}"] = opening.messages
    where = settings.base_url or "api.openai.com"
    head = f"AI review ({settings.model} at {where}, batch)"
    if not requests:
        return f"{head}: nothing to submit ({cached} already answered in the cache)."
    jsonl = "".join(
        json.dumps(client.batch_line(custom_id, messages)) + "\n"
        for custom_id, messages in requests.items()
    )

    async def go() -> str:
        try:
            return await client.submit_batch(jsonl)
        finally:
            await client.close()

    batch_id = asyncio.run(go())
    record = {
        "batch_id": batch_id,
        "model": settings.model,
        "base_url": settings.base_url,
        "submitted": date.today().isoformat(),
        "requests": requests,
    }
    _write(_folder(settings) / f"{batch_id}.json", record)
    extra = f", {unfit} too large for the context" if unfit else ""
    return (
        f"{head}: {len(requests)} findings submitted as batch {batch_id} ({cached} already "
        f"answered in the cache{extra}); `djreview ai collect` fetches the replies, then "
        "the same `check --ai` applies and verifies them."
    )


def collect(settings: AISettings) -> list[str]:
    """Fetch every pending batch of this endpoint and model into the reply cache."""
    cache = ReplyCache(settings.cache_dir)
    lines: list[str] = []
    records = sorted(_folder(settings).glob("*.json")) if _folder(settings).is_dir() else []
    client = ModelClient(settings)

    async def go() -> None:
        try:
            for path in records:
                record = json.loads(path.read_text(encoding="utf-8"))
                if record.get("model") != settings.model or record.get("base_url") != (
                    settings.base_url
                ):
                    continue
                status, replies = await client.batch_results(record["batch_id"])
                stored = 0
                for custom_id, reply in replies.items():
                    messages = record["requests"].get(custom_id)
                    if messages is None:
                        continue
                    try:
                        parse_reply(reply.text)
                    except InvalidReply:
                        continue  # asked again, live, by the next run
                    cache.put(cache_key(settings.model, PROMPT_VERSION, messages), reply)
                    stored += 1
                total = len(record["requests"])
                lines.append(
                    f"batch {record['batch_id']}: {status}; {stored}/{total} valid replies cached"
                )
                if status in ("completed", "failed", "expired", "cancelled"):
                    path.unlink()
        finally:
            await client.close()

    asyncio.run(go())
    return lines or ["no pending batch for this endpoint and model"]
