"""qa.answering: a question whose index snapshot went stale mid-answer (`IndexChanged`: an ingest
finished and re-wrote a document it cites) is asked once more, on the new snapshot."""

from __future__ import annotations

import pytest

import qa.compose.answers
from qa.answer import REFUSAL, Answer
from qa.answering import QAChain
from qa.request import Turn
from qa.search.index import IndexChanged
from qa.settings import Settings


class Flaky:
    """A stand-in for a chain stage that meets a re-ingested document `failures` times."""

    def __init__(self, failures: int, result):
        self.calls, self.failures, self.result = 0, failures, result

    def invoke(self, state, config=None):
        self.calls += 1
        if self.calls <= self.failures:
            raise IndexChanged("notes.md was re-ingested while this question was being answered")
        return self.result(state) if callable(self.result) else self.result


def test_invoke_asks_once_more_after_an_index_change():
    chain = QAChain()
    chain._pipeline = Flaky(1, "the answer")
    assert chain.invoke("What changed?") == "the answer" and chain._pipeline.calls == 2


def test_a_second_change_in_a_row_is_raised_not_retried_forever():
    chain = QAChain()
    chain._pipeline = Flaky(2, "the answer")
    with pytest.raises(IndexChanged):
        chain.invoke("What changed?")


def test_stream_asks_once_more_after_an_index_change(monkeypatch):
    chain = QAChain()
    chain._prefix = Flaky(0, lambda call: Turn(question=call.question, history=[], settings=Settings(llm="none"), started=0.0))
    refusal = Answer(question="What changed?", standalone_question="What changed?", answer=REFUSAL, refused=True)
    answering = Flaky(1, refusal)
    monkeypatch.setattr(qa.compose.answers, "answer", lambda *records: answering.invoke(records))
    assert list(chain.stream("What changed?")) == [refusal]
    assert chain._prefix.calls == 2 and answering.calls == 2
