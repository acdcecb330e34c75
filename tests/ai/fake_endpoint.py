"""A small OpenAI-compatible chat-completions server on 127.0.0.1 with scripted replies.

Tests queue `Scripted` responses (or set a `responder` that answers from the
request body) and read back every request body the real `openai` client sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Scripted:
    """One HTTP response: status, JSON (or raw text) body, headers, delay before answering."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def completion(content: str | dict[str, Any], tokens: tuple[int, int] = (400, 80)) -> Scripted:
    """A successful chat completion whose message content is `content` (dicts become JSON)."""
    text = content if isinstance(content, str) else json.dumps(content)
    return Scripted(
        body={
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 0,
            "model": "test-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": tokens[0],
                "completion_tokens": tokens[1],
                "total_tokens": sum(tokens),
            },
        }
    )


def error(status: int, message: str, **headers: str) -> Scripted:
    """An OpenAI-style error response."""
    return Scripted(status, {"error": {"message": message, "type": "test"}}, headers)


class FakeEndpoint:
    """The server: scripted responses first, then the responder, else HTTP 500."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.script: deque[Scripted] = deque()
        self.responder: Callable[[dict[str, Any]], Scripted] | None = None
        # Other routes (GET /props, POST /api/show...): path -> JSON body; others are 404s.
        self.routes: dict[str, Any] = {}
        self.other_requests: list[str] = []
        # The Batch API: uploaded files by id, batches by id (answered when first read).
        self.files: dict[str, str] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                if self.path.endswith("/files"):
                    self._send(endpoint.upload(self.headers.get("Content-Type", ""), raw))
                    return
                body = json.loads(raw or b"{}")
                if self.path.endswith("/batches"):
                    self._send(endpoint.start_batch(body))
                elif self.path.endswith("/chat/completions"):
                    self._send(endpoint.answer(body))
                else:
                    self._send(endpoint.route(self.path))

            def do_GET(self) -> None:  # noqa: N802
                if "/batches/" in self.path:
                    self._send(endpoint.batch(self.path.rsplit("/", 1)[1]))
                elif self.path.endswith("/content"):
                    self._send(Scripted(200, endpoint.files[self.path.split("/")[-2]]))
                else:
                    self._send(endpoint.route(self.path))

            def _send(self, scripted: Scripted) -> None:
                time.sleep(scripted.delay)
                payload = (
                    scripted.body if isinstance(scripted.body, str) else json.dumps(scripted.body)
                ).encode()
                try:
                    self.send_response(scripted.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for key, value in scripted.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """The base URL to give the openai client."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def answer(self, body: dict[str, Any]) -> Scripted:
        """Record the request and choose its response."""
        with self._lock:
            self.requests.append(body)
            if self.script:
                return self.script.popleft()
        if self.responder is not None:
            return self.responder(body)
        return error(500, "no scripted reply left")

    def route(self, path: str) -> Scripted:
        """A request outside chat completions: its route's body, or a 404."""
        with self._lock:
            self.other_requests.append(path)
        if path in self.routes:
            return Scripted(200, self.routes[path])
        return error(404, f"no route {path}")

    def upload(self, content_type: str, raw: bytes) -> Scripted:
        """POST /files: keep the multipart upload's file content."""
        boundary = content_type.split("boundary=")[-1].strip('"').encode()
        part = next(p for p in raw.split(b"--" + boundary) if b"filename=" in p)
        text = part.split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n", 1)[0].decode()
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = text
        return Scripted(
            200,
            {
                "id": file_id,
                "object": "file",
                "bytes": len(text),
                "created_at": 0,
                "filename": "batch.jsonl",
                "purpose": "batch",
                "status": "processed",
            },
        )

    def _batch_body(self, batch_id: str, status: str, output: str | None) -> dict[str, Any]:
        batch = self.batches[batch_id]
        return {
            "id": batch_id,
            "object": "batch",
            "endpoint": "/v1/chat/completions",
            "input_file_id": batch["input_file_id"],
            "completion_window": "24h",
            "status": status,
            "created_at": 0,
            "output_file_id": output,
        }

    def start_batch(self, body: dict[str, Any]) -> Scripted:
        """POST /batches: accept the batch; it runs when first read."""
        batch_id = f"batch_{len(self.batches) + 1}"
        self.batches[batch_id] = {"input_file_id": body["input_file_id"]}
        return Scripted(200, self._batch_body(batch_id, "validating", None))

    def batch(self, batch_id: str) -> Scripted:
        """GET /batches/ID: run every line through the chat responder, once; completed."""
        batch = self.batches[batch_id]
        if "output" not in batch:
            lines = []
            for line in self.files[batch["input_file_id"]].splitlines():
                item = json.loads(line)
                answer = self.answer(item["body"])
                lines.append(
                    json.dumps(
                        {
                            "id": "r",
                            "custom_id": item["custom_id"],
                            "response": {"status_code": answer.status, "body": answer.body},
                        }
                    )
                )
            output = f"file-{len(self.files) + 1}"
            self.files[output] = "\n".join(lines) + "\n"
            batch["output"] = output
        return Scripted(200, self._batch_body(batch_id, "completed", batch["output"]))

    def start(self) -> FakeEndpoint:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down."""
        self.server.shutdown()
        self.server.server_close()
