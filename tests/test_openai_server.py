"""tests/openai_server.py: LangChain's ChatOpenAI talks to it (invoke and stream), and its raw wire
format (models list, event stream, errors, shutdown)."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from conftest import block_network
from openai_server import CANNED_REPLY, serve

try:
    from langchain_openai import ChatOpenAI
except ImportError:  # an optional test dependency: only the wire-format tests run without it
    ChatOpenAI = None

needs_client = pytest.mark.skipif(ChatOpenAI is None, reason="pip install langchain-openai")

CONVERSATION = [SystemMessage("Answer from the documents."), HumanMessage("What dose was used?")]
SENT = [
    {"role": "system", "content": "Answer from the documents."},
    {"role": "user", "content": "What dose was used?"},
]


def echo(messages: list[dict]) -> str:
    return f"You asked: {messages[-1]['content']} The dose was 0.71 mg/kg."


def client(server):
    return ChatOpenAI(model="test-model", base_url=server.base_url, api_key="test", max_retries=0, timeout=10)


@needs_client
def test_chat_openai_invoke_gets_the_responders_text_and_the_server_records_the_messages():
    with serve(echo) as server, block_network() as attempts:
        reply = client(server).invoke(CONVERSATION)
    assert reply.content == echo(SENT)
    assert reply.response_metadata["finish_reason"] == "stop"
    assert server.requests[-1]["messages"] == SENT
    assert not server.requests[-1].get("stream")
    assert attempts == []


@needs_client
def test_chat_openai_stream_arrives_in_several_chunks_that_join_to_the_responders_text():
    with serve(echo) as server, block_network() as attempts:
        chunks = list(client(server).stream(CONVERSATION))
    pieces = [chunk.content for chunk in chunks if chunk.content]
    assert "".join(pieces) == echo(SENT)
    assert len(pieces) > 1
    assert server.requests[-1]["stream"] is True
    assert server.messages == [SENT]
    assert attempts == []


@needs_client
def test_the_default_responder_is_canned_and_each_request_is_recorded():
    with serve() as server:
        llm = client(server)
        assert llm.invoke("one").content == CANNED_REPLY
        assert "".join(chunk.content for chunk in llm.stream("two")) == CANNED_REPLY
    assert [messages[-1]["content"] for messages in server.messages] == ["one", "two"]


def post(url: str, body: bytes) -> tuple[int, bytes, str]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers["Content-Type"]


def test_the_raw_wire_format():
    with serve(lambda messages: "two words") as server:
        with urllib.request.urlopen(server.base_url + "/models", timeout=10) as response:
            models = json.load(response)
        body = json.dumps({"model": "m", "stream": True, "messages": [{"role": "user", "content": "hi"}]}).encode()
        status, stream, kind = post(server.base_url + "/chat/completions", body)
        bad_status, bad, _ = post(server.base_url + "/chat/completions", b"{not json")
    assert models["data"][0]["id"] == "test-model"
    assert (status, kind) == (200, "text/event-stream")
    lines = [line for line in stream.decode().split("\n") if line]
    assert all(line.startswith("data: ") for line in lines) and lines[-1] == "data: [DONE]"
    events = [json.loads(line[len("data: ") :]) for line in lines[:-1]]
    assert {event["object"] for event in events} == {"chat.completion.chunk"}
    assert len({event["id"] for event in events}) == 1
    assert "".join(event["choices"][0]["delta"].get("content") or "" for event in events) == "two words"
    assert events[-1]["choices"][0]["finish_reason"] == "stop"
    assert bad_status == 400 and "error" in json.loads(bad)
    assert len(server.requests) == 1  # the malformed body is not recorded


def test_closing_stops_the_server():
    server = serve()
    port = int(server.base_url.rsplit(":", 1)[1].split("/")[0])
    server.close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
