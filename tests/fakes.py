"""Loopback HTTP servers that record what real clients send: a fake provider API and a fake Helicone log."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from collections.abc import Iterator

# Helicone's response headers, as the fake proxy returns them.
RESPONSE_HEADERS = {
    "Helicone-Id": "8a4b2b8e-5b7d-4c1e-9f3a-2d6c8e0f1a2b",
    "Helicone-Cache": "MISS",
    "Helicone-RateLimit-Limit": "10",
    "Helicone-RateLimit-Remaining": "9",
    "Helicone-RateLimit-Policy": "10;w=60;u=request;s=user",
}
COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 0,
    "model": "gpt-4o-mini",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
# Anthropic's Messages API answer, for POST /v1/messages (anthropic.helicone.ai).
MESSAGE = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5",
    "content": [{"type": "text", "text": "hi"}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 1, "output_tokens": 1},
}


def _tool_call(tool: dict[str, Any]) -> dict[str, Any]:
    """A completion that calls *tool* with no arguments: a model whose fields all have defaults
    validates it (what Instructor asks for)."""
    function = {"name": tool["function"]["name"], "arguments": "{}"}
    call = {"id": "call_1", "type": "function", "function": function}
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    choice = {"index": 0, "message": message, "finish_reason": "tool_calls"}
    return COMPLETION | {"choices": [choice]}


def _chunk(delta: dict[str, str], finish: str | None) -> bytes:
    body = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


@dataclass
class Seen:
    """One request as it arrived on the wire."""

    method: str
    path: str
    headers: dict[str, str]  # lowercase names
    body: Any


@dataclass
class Recorder:
    """What a fake server received; ``arrived`` is set by every request."""

    requests: list[Seen] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    def wait(self, count: int = 1, timeout: float = 20) -> list[Seen]:
        """Wait (on an event, not a sleep) until *count* requests have arrived."""
        while len(self.requests) < count:
            self.arrived.clear()
            if len(self.requests) >= count:
                break
            if not self.arrived.wait(timeout):
                msg = f"expected {count} requests, got {len(self.requests)}"
                raise AssertionError(msg)
        return self.requests


class _Handler(BaseHTTPRequestHandler):
    recorder: ClassVar[Recorder]
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Keep test output quiet."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        body = json.loads(raw) if raw else None
        self.recorder.requests.append(
            Seen("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        )
        self.respond(body)
        self.recorder.arrived.set()

    def respond(self, body: Any) -> None:
        raise NotImplementedError


class _OpenAIHandler(_Handler):
    def respond(self, body: Any) -> None:
        if self.path.endswith("/messages"):
            payload = json.dumps(MESSAGE).encode()
            content_type = "application/json"
        elif isinstance(body, dict) and body.get("tools") and not body.get("stream"):
            payload = json.dumps(_tool_call(body["tools"][0])).encode()
            content_type = "application/json"
        elif isinstance(body, dict) and body.get("stream"):
            payload = (
                _chunk({"role": "assistant", "content": "hi"}, None)
                + _chunk({}, "stop")
                + b"data: [DONE]\n\n"
            )
            content_type = "text/event-stream"
        else:
            payload = json.dumps(COMPLETION).encode()
            content_type = "application/json"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in RESPONSE_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


class _LogHandler(_Handler):
    def respond(self, body: Any) -> None:  # noqa: ARG002 - the log endpoint ignores it
        payload = b'{"status": "ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def _wait_until_listening(port: int) -> None:
    """Poll until the server accepts a connection (bounded; no sleeping)."""
    for _ in range(200):
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=0.05),
        ):
            return
    msg = f"the fake server on port {port} never answered"
    raise AssertionError(msg)


@contextlib.contextmanager
def _serve(handler: type[_Handler]) -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()
    bound = type(handler.__name__, (handler,), {"recorder": recorder})
    server = ThreadingHTTPServer(("127.0.0.1", 0), bound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        _wait_until_listening(port)
        yield f"http://127.0.0.1:{port}", recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def fake_openai() -> contextlib.AbstractContextManager[tuple[str, Recorder]]:
    """A fake provider API on 127.0.0.1: OpenAI chat completions (JSON and streaming) and,
    under ``/v1/messages``, Anthropic's Messages API; every answer carries Helicone's headers."""
    return _serve(_OpenAIHandler)


def fake_helicone_log() -> contextlib.AbstractContextManager[tuple[str, Recorder]]:
    """A fake Helicone async-log endpoint on 127.0.0.1."""
    return _serve(_LogHandler)
