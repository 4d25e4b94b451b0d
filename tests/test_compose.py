"""The extractive answer step (`qa.compose.answers.extractive`) on hand-built records: which quote floor
applies, and which score a follow-up's quotes are chosen by."""

from __future__ import annotations

import pytest

import qa.search.scoring as scoring
from extractive_fixtures import FakeIndex, candidate, make_chunk, settings
from qa.answer import REFUSAL, Answer
from qa.compose.answers import extractive
from qa.conversation.history import Conversation
from qa.conversation.reading import Reading
from qa.search.retrieve import Retrieved
from qa.search.scoring import Scored


def _records(scored_question: str, scores=(-4.0, -5.0), exchanges=(), **overrides) -> dict:
    """The records the answer step reads; by default both sentences score below the floor, and no
    exchange came before the question."""
    chunk = make_chunk(1, 2)
    question = "How was it given?"
    return {
        "reading": Reading(question, question, question, "unchanged", Conversation(exchanges=list(exchanges))),
        "retrieved": Retrieved(candidates=[chunk]),
        "scored": Scored(scored_question, question, [candidate(chunk, 1), candidate(chunk, 2)], list(scores), [(chunk, -4.0)]),
        "settings": settings(**{"quote_margin": 4.0, "min_quote_score": -3.0, **overrides}),
        "index": FakeIndex([chunk]),
    }


def _refusal() -> Answer:
    return Answer(question="How was it given?", standalone_question="How was it given?", answer=REFUSAL, refused=True)


def test_a_first_question_quotes_nothing_below_the_floor():
    answer = extractive(**_records("How was it given?"), base=_refusal())
    assert answer.refused and answer.citations == []


def test_after_an_exchange_a_question_scored_alone_quotes_its_best_sentence_whatever_the_floor():
    # The decision judged it; an elliptic follow-up the chain reads alone scores low however fair.
    records = _records("How was it given?", exchanges=["Who ran the trial? Grabski"], own_words_rescore=0, quote_margin=0.5)
    answer = extractive(**records, base=_refusal())
    assert not answer.refused
    assert [c.quote for c in answer.citations] == ["The trial used 0.8 mg/kg over 40 minutes [2]."]


@pytest.mark.parametrize("margin, quoted", [
    (4.0, ["The trial used 0.8 mg/kg over 40 minutes [2].", "Patients had more days abstinent."]),
    (0.5, ["The trial used 0.8 mg/kg over 40 minutes [2]."]),
])
def test_a_follow_up_scored_with_its_conversation_quotes_within_the_margin_whatever_the_floor(margin, quoted):
    # Scores of (question + the latest exchange) run lower than the floor's scale: the fitted
    # decision, which already judged the best sentence, is what counts; the margin bounds the rest.
    records = _records("How was it given? Who ran the trial? Grabski", exchanges=["Who ran the trial? Grabski"],
                       own_words_rescore=0, quote_margin=margin)
    answer = extractive(**records, base=_refusal())
    assert not answer.refused
    assert [c.quote for c in answer.citations] == quoted


class ScoresByWords:
    def __init__(self, table):
        self.table, self.calls = table, 0

    def score(self, question, passages):
        self.calls += 1
        return [next(v for k, v in self.table.items() if k in p) for p in passages]


@pytest.fixture
def own_question_prefers_abstinence(monkeypatch):
    fake = ScoresByWords({"0.8 mg/kg": -9.0, "days abstinent": 2.0})
    monkeypatch.setattr(scoring, "get_cross_encoder", lambda threads=1: fake)
    return fake


def test_a_follow_up_chooses_by_its_own_words_too(own_question_prefers_abstinence):
    # With the conversation the dose sentence leads (-4 vs -5); the question as asked prefers the
    # other: means -6.5 and -1.5, and the dose sentence falls out of a 4-logit margin.
    answer = extractive(**_records("How was it given? Who ran the trial? Grabski", exchanges=["Who ran the trial? Grabski"]),
                        base=_refusal())
    assert [c.quote for c in answer.citations] == ["Patients had more days abstinent."]


def test_a_question_scored_alone_is_not_rescored(own_question_prefers_abstinence):
    answer = extractive(**_records("How was it given?", scores=(1.0, 0.0)), base=_refusal())
    assert own_question_prefers_abstinence.calls == 0
    assert answer.citations[0].quote.startswith("The trial used")
