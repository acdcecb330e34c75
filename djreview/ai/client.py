"""The one module that talks to the model endpoint (and the only one importing `openai`).

Any OpenAI-compatible chat-completions server works. Servers differ in what
they accept, so the response format steps down on a refusal: a strict JSON
schema, then JSON mode, then plain text (the reply is validated in every
case). The openai client retries connection errors, timeouts, 429 and 5xx,
honouring `Retry-After`.
"""

from __future__ import annotations

from typing import Any

import openai

from djreview.ai.cache import CachedReply
from djreview.ai.reply_schema import REPLY_SCHEMA
from djreview.ai.settings import AISettings

# Local servers without a key still need a non-empty one for the client.
_NO_KEY = "not-needed"
_MODES = ("json_schema", "json_object", "text")


class RequestFailed(Exception):
    """The endpoint gave no usable answer; the message says why, for the user."""


def estimate_tokens(text: str) -> int:
    """A rough token count (4 characters a token) where the server reports none."""
    return max(1, len(text) // 4)


def _response_format(mode: str) -> dict[str, Any] | None:
    if mode == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": "djreview_review", "schema": REPLY_SCHEMA, "strict": True},
        }
    if mode == "json_object":
        return {"type": "json_object"}
    return None


class ModelClient:
    """An async chat client for one endpoint and model, remembering which format works."""

    def __init__(self, settings: AISettings) -> None:
        """Build the client from the settings (base URL, key, timeout, retries)."""
        self.model = settings.model
        self._mode = 0
        self._client = openai.AsyncOpenAI(
            api_key=settings.api_key or _NO_KEY,
            base_url=settings.base_url,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
        )

    @property
    def mode(self) -> str:
        """The response format currently used."""
        return _MODES[self._mode]

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self._client.close()

    async def complete(self, messages: list[dict[str, str]]) -> CachedReply:
        """One chat completion; raise RequestFailed with a user-facing reason."""
        while True:
            mode = self._mode
            try:
                return await self._request(messages, _response_format(_MODES[mode]))
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                if mode == len(_MODES) - 1:
                    raise RequestFailed(
                        f"the endpoint refused the request: {_brief(exc)}"
                    ) from None
                # Another request may have stepped down already; never step back up.
                self._mode = max(self._mode, mode + 1)
            except openai.AuthenticationError as exc:
                raise RequestFailed(f"the endpoint refused the API key: {_brief(exc)}") from None
            except openai.APITimeoutError:
                raise RequestFailed("no reply within the request timeout") from None
            except openai.APIConnectionError as exc:
                raise RequestFailed(f"cannot reach the endpoint: {exc}") from None
            except openai.APIStatusError as exc:
                raise RequestFailed(
                    f"HTTP {exc.status_code} from the endpoint after retries: {_brief(exc)}"
                ) from None
            except (openai.APIError, ValueError, AttributeError, TypeError, IndexError) as exc:
                # A 200 whose body is not a chat completion (some proxies, HTML error pages).
                raise RequestFailed(
                    f"the endpoint's answer is not a chat completion ({exc.__class__.__name__})"
                ) from None

    async def _request(
        self, messages: list[dict[str, str]], response_format: dict[str, Any] | None
    ) -> CachedReply:
        extra: dict[str, Any] = {}
        if response_format is not None:
            extra["response_format"] = response_format
        response = await self._client.chat.completions.create(
            model=self.model,
            messages=messages,  # type: ignore[arg-type]
            temperature=0,
            **extra,
        )
        if not response.choices:
            raise RequestFailed("the endpoint returned no choices")
        text = response.choices[0].message.content or ""
        usage = response.usage
        prompt = "".join(message["content"] for message in messages)
        return CachedReply(
            text=text,
            tokens_in=usage.prompt_tokens if usage else estimate_tokens(prompt),
            tokens_out=usage.completion_tokens if usage else estimate_tokens(text),
        )


def _brief(exc: openai.APIStatusError) -> str:
    message = str(exc.message)
    return message if len(message) <= 200 else message[:197] + "..."
