"""A small OpenAI-compatible HTTP server for tests, on the standard library only.

What it does: serves `POST /v1/chat/completions` (a JSON `chat.completion`, or with `"stream": true`
a `text/event-stream` of `chat.completion.chunk` events, one per word, then `data: [DONE]`) and
`GET /v1/models`, on 127.0.0.1 and a free port, in a daemon thread. The reply text comes from
`responder(messages) -> str` (messages as the client sent them); every parsed request body is kept in
`.requests`. `serve()` returns a started `Server`, which is also a context manager that shuts down:

    with serve(lambda messages: "hello there") as server:
        ChatOpenAI(model="test-model", base_url=server.base_url, api_key="test").invoke("hi")

What it does not: check API keys, honour sampling options, `n`, `stop` or tools, or count real tokens
(usage counts words).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

Responder = Callable[[list[dict]], str]
CANNED_REPLY = "This is a canned reply from the test server."
MODEL = "test-model"


def canned(messages: list[dict]) -> str:
    return CANNED_REPLY


class Server:
    """A running server: `.base_url` (ends in /v1), `.requests` (parsed bodies), `.close()`."""

    def __init__(self, responder: Responder | None = None, model: str = MODEL):
        self.responder: Responder = responder or canned
        self.model = model
        self.requests: list[dict] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.app = self  # the handler reaches the server's state through this
        # A short poll interval: `close` waits up to one interval for the serving loop to notice.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="openai-test-server", daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def messages(self) -> list[list[dict]]:
        """The messages of each chat request, in order."""
        return [body.get("messages", []) for body in self.requests]

    def close(self) -> None:
        """Stop serving and wait for the requests in flight (each response closes its connection)."""
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def serve(responder: Responder | None = None, model: str = MODEL) -> Server:
    """A started server replying with `responder(messages)` (default: a canned string)."""
    return Server(responder, model)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # needed for a chunked event stream
    timeout = 10  # seconds: a silent client cannot hold a handler thread (and so `close`) forever

    @property
    def app(self) -> Server:
        return self.server.app

    def do_GET(self):
        if self.path.rstrip("/") != "/v1/models":
            return self._error(404, f"no route GET {self.path}")
        data = [{"id": self.app.model, "object": "model", "created": 0, "owned_by": "tests"}]
        self._json(200, {"object": "list", "data": data})

    def do_POST(self):
        if self.path.rstrip("/") != "/v1/chat/completions":
            return self._error(404, f"no route POST {self.path}")
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"null")
        except ValueError as error:
            return self._error(400, f"the body is not JSON: {error}")
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return self._error(400, "the body needs a 'messages' list")
        self.app.requests.append(body)
        try:
            reply = self.app.responder(body["messages"])
        except Exception as error:  # noqa: BLE001 - reported to the client as a server error
            return self._error(500, f"the responder failed: {error!r}", "server_error")
        if body.get("stream"):
            self._stream(body, reply)
        else:
            self._json(200, _completion(body, reply, self.app.model))

    def _stream(self, body: dict, reply: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        for event in _chunks(body, reply, self.app.model):
            self._send_chunk(f"data: {json.dumps(event)}\n\n".encode())
        self._send_chunk(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")  # the end of the chunked body
        self.wfile.flush()

    def _send_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()  # each event leaves now, so the client sees real increments

    def _json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")  # no idle keep-alive threads to wait for at shutdown
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, kind: str = "invalid_request_error") -> None:
        self._json(status, {"error": {"message": message, "type": kind, "param": None, "code": None}})

    def log_message(self, format, *args):  # keep test output quiet
        pass


# -- the wire format -------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """`text` split before each word, whitespace kept: the pieces join back to `text`."""
    return [piece for piece in re.split(r"(?<=\s)(?=\S)", text) if piece]


def _usage(messages: list[dict], reply: str) -> dict:
    prompt = sum(len(str(message.get("content") or "").split()) for message in messages)
    completion = len(reply.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _head(body: dict, model: str, kind: str) -> dict:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": kind,
        "created": int(time.time()),
        "model": body.get("model") or model,
        "system_fingerprint": None,
    }


def _completion(body: dict, reply: str, model: str) -> dict:
    choice = {
        "index": 0,
        "message": {"role": "assistant", "content": reply, "refusal": None},
        "logprobs": None,
        "finish_reason": "stop",
    }
    return {**_head(body, model, "chat.completion"), "choices": [choice], "usage": _usage(body["messages"], reply)}


def _chunks(body: dict, reply: str, model: str) -> list[dict]:
    """The events of a streamed reply: the role, one per word, the finish, and usage if asked for."""
    head = _head(body, model, "chat.completion.chunk")  # every chunk of one reply shares its id

    def event(delta: dict, finish: str | None = None) -> dict:
        return {**head, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}

    events = [event({"role": "assistant", "content": ""})]
    events += [event({"content": word}) for word in _words(reply)]
    events.append(event({}, "stop"))
    if (body.get("stream_options") or {}).get("include_usage"):
        events.append({**head, "choices": [], "usage": _usage(body["messages"], reply)})
    return events
