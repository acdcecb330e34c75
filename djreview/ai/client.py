"""The one module that talks to the model endpoint (and the only one importing `openai`).

Any OpenAI-compatible chat-completions server works. What the endpoint
accepts is learned once per run and per endpoint and model (see
`capabilities`): the first request tries the response formats best first
(`json_schema`, `json_object` with the schema, bare `json_object`, plain
text) while every other request waits, and the format that worked is kept
for the run and in the cache. A format refusal is a 400/422, or a 5xx whose
message names the format (llama-cpp-python's answer to `json_schema`). Two
other failures are told apart and never cost the format: a prompt longer
than the server's context, and a reply cut off at `max_tokens`.

Retries are djreview's own (the openai client's are off) so that the closing
line can count them: connection errors, 429 (honouring `Retry-After`) and
other 5xx are retried; a timeout is retried only on a remote endpoint (a
local server that timed out is still busy with the same prompt).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, replace
from typing import Any

import openai

from djreview.ai.cache import CachedReply
from djreview.ai.capabilities import (
    MODES,
    EndpointMemory,
    Learned,
    context_from_models,
    context_from_ollama,
    context_from_props,
    context_numbers,
    is_context_error,
    names_format,
)
from djreview.ai.reply_schema import REPLY_SCHEMA
from djreview.ai.settings import AISettings

# Local servers without a key still need a non-empty one for the client.
_NO_KEY = "not-needed"
_MAX_BACKOFF = 30.0


class RequestFailed(Exception):
    """The endpoint gave no usable answer; the message says why, for the user."""


class ContextTooLong(RequestFailed):
    """The prompt does not fit the server's context window; `context` when the server said."""

    def __init__(self, message: str, context: int | None, prompt_tokens: int | None) -> None:
        """Keep the server's context size and prompt count for re-fitting the prompt."""
        super().__init__(message)
        self.context = context
        self.prompt_tokens = prompt_tokens


class ReplyCutOff(RequestFailed):
    """The reply stopped at `max_tokens` (finish_reason "length"); its tokens were spent."""

    def __init__(self, message: str, spent: CachedReply) -> None:
        """Keep what the cut-off reply cost, for the usage and the budget."""
        super().__init__(message)
        self.spent = spent


def estimate_tokens(text: str) -> int:
    """A rough token count (4 characters a token) where the server reports none."""
    return max(1, len(text) // 4)


def _response_format(mode: str) -> dict[str, Any] | None:
    if mode == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": "djreview_review", "schema": REPLY_SCHEMA, "strict": True},
        }
    if mode == "json_object_schema":
        return {"type": "json_object", "schema": REPLY_SCHEMA}
    if mode == "json_object":
        return {"type": "json_object"}
    return None


@dataclass
class Traffic:
    """Every attempt the client made, for the closing line."""

    attempts: int = 0
    timeouts: int = 0
    retries: int = 0
    format_refusals: int = 0
    cut_off: int = 0  # replies stopped at max_tokens
    seconds: float = 0.0  # time spent in answered requests
    tokens_out: int = 0

    def rate(self) -> float | None:
        """Generated tokens per second of answered requests."""
        return self.tokens_out / self.seconds if self.seconds > 0 else None


class ModelClient:
    """An async chat client for one endpoint and model, remembering what it accepts."""

    def __init__(self, settings: AISettings, memory: EndpointMemory | None = None) -> None:
        """Build the client from the settings; `memory` holds what earlier runs learned."""
        self.model = settings.model
        self.base_url = settings.base_url
        self.local = settings.local
        self.max_tokens = settings.max_tokens
        self.retries = settings.effective_retries
        self.memory = memory
        learned = memory.load() if memory is not None else Learned()
        self.learned = learned
        self._mode = MODES.index(learned.mode) if learned.mode else 0
        self._confirmed = learned.mode is not None
        self._probe = asyncio.Lock()
        self.traffic = Traffic()
        self._client = openai.AsyncOpenAI(
            api_key=settings.api_key or _NO_KEY,
            base_url=settings.base_url,
            timeout=settings.effective_timeout,
            max_retries=0,
        )

    @property
    def mode(self) -> str:
        """The response format currently used."""
        return MODES[self._mode]

    @property
    def context(self) -> int | None:
        """The server's context window in tokens, when known."""
        return self.learned.context

    def remember(self, **changes: Any) -> None:
        """Keep what was learned, for this run and (with a memory) the next ones."""
        self.learned = replace(self.learned, **changes)
        if self.memory is not None:
            self.memory.save(self.learned)

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self._client.close()

    async def discover(self) -> None:
        """Read the context window where the server reports it (once; then from the cache)."""
        if self.learned.context is not None or not self.base_url:
            return
        root = self.base_url.rstrip("/").removesuffix("/v1")
        probes = (
            ("GET", f"{self.base_url.rstrip('/')}/models", None, "/v1/models"),
            ("GET", f"{root}/props", None, "/props"),
            ("POST", f"{root}/api/show", {"model": self.model}, "/api/show"),
        )
        for method, url, body, source in probes:
            try:
                options: Any = {"timeout": 10.0, "max_retries": 0}
                if method == "GET":
                    data = await self._client.get(url, cast_to=object, options=options)
                else:
                    data = await self._client.post(url, body=body, cast_to=object, options=options)
            except (openai.APIError, ValueError, TypeError):  # no such route, or an odd answer
                continue
            found = {
                "/v1/models": lambda d: context_from_models(d, self.model),
                "/props": context_from_props,
                "/api/show": context_from_ollama,
            }[source](data)
            if found:
                self.remember(context=found, context_source=source)
                return

    async def complete(self, messages: list[dict[str, str]]) -> CachedReply:
        """One chat completion; raise RequestFailed with a user-facing reason."""
        if self._confirmed:
            return await self._complete(messages)
        async with self._probe:  # until a format is known to work, one request at a time
            reply = await self._complete(messages)
            if not self._confirmed:
                self._confirmed = True
                self.remember(mode=self.mode)
            return reply

    async def _complete(self, messages: list[dict[str, str]]) -> CachedReply:
        retry = 0
        while True:
            mode = self._mode
            try:
                return await self._request(messages, _response_format(MODES[mode]))
            except openai.APIStatusError as exc:
                text = f"{exc.message} {exc.body}"
                if exc.status_code in (400, 413, 422, 500) and is_context_error(text):
                    raise self._too_long(text) from None
                refusal = exc.status_code in (400, 422) or names_format(text)
                if refusal and exc.status_code not in (401, 403, 404, 429):
                    if mode == len(MODES) - 1:
                        raise RequestFailed(
                            f"the endpoint refused the request: {_brief(exc)}"
                        ) from None
                    self.traffic.format_refusals += 1
                    # Another request may have stepped down already; never step back up.
                    self._mode = max(self._mode, mode + 1)
                    continue
                if exc.status_code in (401, 403):
                    raise RequestFailed(
                        f"the endpoint refused the API key: {_brief(exc)}"
                    ) from None
                if (exc.status_code == 429 or exc.status_code >= 500) and retry < self.retries:
                    retry += 1
                    await self._backoff(retry, exc.response.headers.get("retry-after"))
                    continue
                raise RequestFailed(
                    f"HTTP {exc.status_code} from the endpoint after {retry} retries: {_brief(exc)}"
                ) from None
            except openai.APITimeoutError:
                self.traffic.timeouts += 1
                if self.local or retry >= self.retries:
                    raise RequestFailed("no reply within the request timeout") from None
                retry += 1
                await self._backoff(retry, None)
            except openai.APIConnectionError as exc:
                if retry >= self.retries:
                    raise RequestFailed(f"cannot reach the endpoint: {exc}") from None
                retry += 1
                await self._backoff(retry, None)
            except (openai.APIError, ValueError, AttributeError, TypeError, IndexError) as exc:
                # A 200 whose body is not a chat completion (some proxies, HTML error pages).
                raise RequestFailed(
                    f"the endpoint's answer is not a chat completion ({exc.__class__.__name__})"
                ) from None

    async def _backoff(self, retry: int, retry_after: str | None) -> None:
        self.traffic.retries += 1
        try:
            wait = float(retry_after) if retry_after else 0.5 * 2 ** (retry - 1)
        except ValueError:
            wait = 1.0
        await asyncio.sleep(min(max(wait, 0.0), _MAX_BACKOFF))

    def _too_long(self, text: str) -> ContextTooLong:
        prompt, context = context_numbers(text)
        if context is not None and context != self.learned.context:
            self.remember(context=context, context_source="error message")
        said = f"{prompt:,} prompt tokens" if prompt else "the prompt"
        room = f"the server's context of {context:,} tokens" if context else "the server's context"
        return ContextTooLong(
            f"context too long: {said} plus {self.max_tokens} reply tokens exceed {room}; "
            "start the server with a larger context (llama.cpp: -c 8192; llama-cpp-python: "
            "--n_ctx 8192; Ollama: num_ctx) or lower --ai-max-tokens",
            context,
            prompt,
        )

    async def _request(
        self, messages: list[dict[str, str]], response_format: dict[str, Any] | None
    ) -> CachedReply:
        extra: dict[str, Any] = {}
        if response_format is not None:
            extra["response_format"] = response_format
        self.traffic.attempts += 1
        started = time.monotonic()
        response = await self._client.chat.completions.create(
            model=self.model,
            messages=messages,  # type: ignore[arg-type]
            temperature=0,
            max_tokens=self.max_tokens,
            **extra,
        )
        if not response.choices:
            raise RequestFailed("the endpoint returned no choices")
        choice = response.choices[0]
        text = choice.message.content or ""
        usage = response.usage
        prompt = "".join(message["content"] for message in messages)
        tokens_out = usage.completion_tokens if usage else estimate_tokens(text)
        self.traffic.seconds += time.monotonic() - started
        self.traffic.tokens_out += tokens_out
        reply = CachedReply(
            text=text,
            tokens_in=usage.prompt_tokens if usage else estimate_tokens(prompt),
            tokens_out=tokens_out,
        )
        if choice.finish_reason == "length":
            self.traffic.cut_off += 1
            raise ReplyCutOff(
                f"the reply was cut off at {self.max_tokens} tokens (finish_reason length); "
                "raise --ai-max-tokens",
                reply,
            )
        return reply

    def batch_line(self, custom_id: str, messages: list[dict[str, str]]) -> dict[str, Any]:
        """One request line of a Batch API input file, in the current response format."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": 0,
            "max_tokens": self.max_tokens,
        }
        response_format = _response_format(self.mode)
        if response_format is not None:
            body["response_format"] = response_format
        return {
            "custom_id": custom_id,
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": body,
        }

    async def submit_batch(self, jsonl: str) -> str:
        """Upload a Batch API input file and start the batch; its id."""
        try:
            uploaded = await self._client.files.create(
                file=("djreview-batch.jsonl", jsonl.encode("utf-8")), purpose="batch"
            )
            batch = await self._client.batches.create(
                input_file_id=uploaded.id,
                endpoint="/v1/chat/completions",
                completion_window="24h",
            )
        except openai.APIError as exc:
            raise RequestFailed(f"the endpoint refused the batch: {exc}") from None
        return batch.id

    async def batch_results(self, batch_id: str) -> tuple[str, dict[str, CachedReply]]:
        """A batch's status and, once completed, each answered request's reply by custom id."""
        try:
            batch = await self._client.batches.retrieve(batch_id)
            if batch.status != "completed" or not batch.output_file_id:
                return batch.status, {}
            content = await self._client.files.content(batch.output_file_id)
        except openai.APIError as exc:
            raise RequestFailed(f"cannot read batch {batch_id}: {exc}") from None
        replies: dict[str, CachedReply] = {}
        for line in content.text.splitlines():
            try:
                item = json.loads(line)
                body = item["response"]["body"]
                choice = body["choices"][0]
                if item["response"]["status_code"] != 200 or choice["finish_reason"] == "length":
                    continue
                usage = body.get("usage") or {}
                text = choice["message"]["content"] or ""
                replies[str(item["custom_id"])] = CachedReply(
                    text,
                    int(usage.get("prompt_tokens", 0)),
                    int(usage.get("completion_tokens", estimate_tokens(text))),
                )
            except (ValueError, KeyError, IndexError, TypeError):
                continue  # an error line, or a line that is not a chat completion
        return batch.status, replies


def _brief(exc: openai.APIStatusError) -> str:
    message = str(exc.message)
    return message if len(message) <= 200 else message[:197] + "..."
