"""The openai back end end to end: `ask()` and `qa.chain.stream` against a real HTTP server on
127.0.0.1 (tests/openai_server.py) that speaks the OpenAI chat-completions protocol, streaming
included, so the real client code (langchain-openai) runs. Every other connection is refused."""

from __future__ import annotations

import pytest

from conftest import block_network
from openai_server import serve
from qa import ask, chain
from qa.eval.support import sentence_support
from qa_fixtures import DOSE_QUESTION, corpus_index  # noqa: F401 - a fixture

pytest.importorskip("langchain_openai", reason="the openai back end needs the llm extra (make install does it)")

GOOD = "The trial gave three IV ketamine infusions (0.8 mg/kg over 40 minutes) plus therapy [1]."
WRONG = "The trial gave 1.5 mg/kg of ketamine [1]."
UNCITED = "Ketamine is a safe treatment for everyone."


@pytest.fixture(scope="module")
def server():
    with serve(lambda messages: f"{GOOD} {WRONG} {UNCITED}") as running:
        yield running


def test_ask_keeps_the_supported_sentence_and_drops_the_others(server, corpus_index):  # noqa: F811
    llm = f"openai:test-model@{server.base_url}"
    with block_network() as attempts:
        answer = ask(DOSE_QUESTION, index=corpus_index, llm=llm)
    assert attempts == []
    assert not answer.refused and answer.notices == []
    assert answer.answer == "The trial gave three IV ketamine infusions (0.8 mg/kg over 40 minutes) plus therapy. [1]"
    assert [item["sentence"] for item in answer.dropped] == [WRONG, UNCITED]
    (citation,) = answer.citations
    assert "0.8 mg/kg over 40 minutes" in citation.quote
    assert sentence_support(answer.answer, [citation.quote]).supported
    # The prompt reached the server with the numbered passages and the question.
    prompt = server.requests[-1]["messages"][-1]["content"]
    assert "[1] " in prompt and DOSE_QUESTION in prompt


def test_the_stream_shows_only_checked_sentences(server, corpus_index):  # noqa: F811
    llm = f"openai:test-model@{server.base_url}"
    answers = list(chain.stream({"question": DOSE_QUESTION, "settings": {"index": str(corpus_index), "llm": llm}}))
    assert all("1.5 mg/kg" not in a.answer and "safe treatment" not in a.answer for a in answers)
    assert answers[-1].answer.endswith("[1]") and len(answers[-1].dropped) == 2
    assert server.requests[-1].get("stream") is True


def test_a_server_that_is_down_gives_the_extractive_answer_and_a_notice(corpus_index):  # noqa: F811
    with serve() as stopped:
        url = stopped.base_url
    answer = ask(DOSE_QUESTION, index=corpus_index, llm=f"openai:test-model@{url}")
    assert "0.8 mg/kg over 40 minutes" in answer.answer and answer.citations
    (notice,) = answer.notices
    assert notice.startswith("LLM unavailable: the openai back end at") and "\n" not in notice
