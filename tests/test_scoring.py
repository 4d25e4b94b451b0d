"""`qa.search.scoring.with_own_words`: which sentences a follow-up's quotes are chosen among, and by what score."""

from __future__ import annotations

import math

import pytest

import qa.search.scoring as scoring
from extractive_fixtures import candidate, make_chunk


class FakeCrossEncoder:
    """Scores a sentence by a table of its words; records what it was asked."""

    def __init__(self, by_sentence: dict[str, float]):
        self.by_sentence = by_sentence
        self.asked: list[tuple[str, list[str]]] = []

    def score(self, question, passages):
        self.asked.append((question, list(passages)))
        return [next(v for k, v in self.by_sentence.items() if k in p) for p in passages]


@pytest.fixture
def sentences():
    top, lower = make_chunk(1, 2), make_chunk(7, 7)
    return [candidate(top, 1), candidate(top, 2), candidate(lower, 7)], {top.id}


def test_the_best_eligible_sentences_get_the_mean_of_both_scores(monkeypatch, sentences):
    cands, eligible = sentences
    fake = FakeCrossEncoder({"0.8 mg/kg": -6.0, "days abstinent": 3.0})
    monkeypatch.setattr(scoring, "get_cross_encoder", lambda threads=1: fake)
    blended = scoring.with_own_words(cands, [-1.0, -2.0, 5.0], eligible, "How long?", top=6, own_weight=0.5)
    # The dose sentence led with the conversation; the question as asked prefers the other one.
    assert blended[:2] == [-3.5, 0.5]
    assert blended[2] == -math.inf  # a passage the answer may not quote is not rescored
    assert fake.asked[0][0] == "How long?"


def test_the_question_as_asked_weighs_as_much_as_its_weight_says(monkeypatch, sentences):
    cands, eligible = sentences
    fake = FakeCrossEncoder({"0.8 mg/kg": -6.0, "days abstinent": 3.0})
    monkeypatch.setattr(scoring, "get_cross_encoder", lambda threads=1: fake)
    blended = scoring.with_own_words(cands, [-1.0, -2.0, 5.0], eligible, "How long?", top=6, own_weight=0.75)
    assert blended[:2] == pytest.approx([0.25 * -1.0 + 0.75 * -6.0, 0.25 * -2.0 + 0.75 * 3.0])
    assert scoring.with_own_words(cands, [-1.0, -2.0, 5.0], eligible, "How long?", top=6, own_weight=0.0)[:2] == [-1.0, -2.0]


def test_only_the_top_sentences_are_rescored(monkeypatch, sentences):
    cands, eligible = sentences
    fake = FakeCrossEncoder({"0.8 mg/kg": 0.0, "days abstinent": 0.0})
    monkeypatch.setattr(scoring, "get_cross_encoder", lambda threads=1: fake)
    blended = scoring.with_own_words(cands, [-1.0, -2.0, 5.0], eligible, "How long?", top=1, own_weight=0.5)
    assert blended[0] == -0.5 and blended[1] == -math.inf
    assert len(fake.asked[0][1]) == 1


def test_no_eligible_sentence_scores_nothing(monkeypatch, sentences):
    cands, _ = sentences
    monkeypatch.setattr(scoring, "get_cross_encoder", lambda threads=1: pytest.fail("scored for nothing"))
    assert scoring.with_own_words(cands, [1.0, 2.0, 3.0], set(), "How long?", top=6, own_weight=0.5) == [-math.inf] * 3
