"""Which documents a conversation is about (`qa.conversation.discussed`): the features, the answer phrase and the
softmax. Logic only: a stub index with two documents and hand-made vectors; the shipped weights
are tested through the chain in tests/test_follow_ups.py."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qa.conversation.discussed import FEATURES, SAID, DiscussedModel, answer_pattern, document_features
from qa.text.bm25 import BM25


class Chunk:
    def __init__(self, source: str, text: str):
        self.source, self.text = source, text


class StubIndex:
    """Two stories, one chunk each; chunk 0's vector is [1, 0], chunk 1's [0, 1]."""

    chunks = [
        Chunk("dog.txt", "Rex the dog found a bone under the old oak tree. He buried it in the garden."),
        Chunk("ship.txt", "The ship left Lisbon in March. Its captain kept a log of the storm."),
    ]

    def __init__(self):
        self.bm25 = BM25([c.text for c in self.chunks])

    def dense(self, vector, k):
        return sorted(((i, float(np.dot(vector, v))) for i, v in enumerate(np.eye(2))), key=lambda p: -p[1])[:k]

    def document(self, source):
        return next(({"text": c.text} for c in self.chunks if c.source == source), None)


def test_an_answer_is_looked_for_as_a_phrase_without_articles_or_case():
    pattern = answer_pattern("the old Oak tree", lambda word: True)
    assert pattern.search("under the old oak tree.")
    assert pattern.search("under an old oak tree")
    assert not pattern.search("the tree was old and oak")


@pytest.mark.parametrize("answer", ["yes", "No.", "", "it", "Zorbl"])
def test_answers_that_name_nothing_the_documents_hold_are_not_looked_for(answer):
    assert answer_pattern(answer, lambda word: word != "zorbl") is None


def test_features_measure_each_candidate_against_the_question_and_each_exchange():
    index = StubIndex()
    question, exchange = "Where did he bury it?", "What did Rex find? a bone"
    features = document_features(
        index, index.bm25.scores(question), index.dense(np.array([0.6, 0.8]), 2), [index.bm25.scores(exchange)],
        [index.dense(np.array([1.0, 0.0]), 2)], ["a bone"], lean=0.5,
    )
    assert set(features) == {"dog.txt", "ship.txt"}
    dog, ship = features["dog.txt"], features["ship.txt"]
    assert set(dog) == set(FEATURES)
    assert dog["exchange1_answer_found"] == 1.0 and ship["exchange1_answer_found"] == 0.0
    assert dog["exchange1_dense"] == 1.0 and ship["exchange1_dense"] == 0.0
    assert dog["exchange1_bm25"] > ship["exchange1_bm25"] == 0.0
    assert dog["question_dense"] == pytest.approx(0.6) and ship["question_dense"] == pytest.approx(0.8)
    assert dog["exchange2_bm25"] == dog["exchange2_answer_found"] == 0.0  # there is no second exchange
    assert dog["together_bm25"] >= dog["exchange1_bm25"]
    for name in SAID:
        assert dog[f"lean_{name}"] == pytest.approx(0.5 * dog[name])


def test_probabilities_are_a_softmax_of_the_weighted_features():
    model = DiscussedModel({"question_bm25": 1.0, "lean_exchange1_answer_found": 2.0})
    rows = {
        "a": dict.fromkeys(FEATURES, 0.0) | {"question_bm25": 1.0},
        "b": dict.fromkeys(FEATURES, 0.0) | {"lean_exchange1_answer_found": 1.0},
    }
    p = model.probabilities(rows)
    assert p["b"] == pytest.approx(math.e / (math.e + 1))
    assert sum(p.values()) == pytest.approx(1.0)
    assert model.probabilities({}) == {}


@pytest.mark.parametrize("lean, expected", [(1.0, "dog.txt"), (0.0, "ship.txt")])
def test_the_shipped_model_stays_with_the_exchange_only_when_the_question_leans_on_it(lean, expected):
    """A question matching the ship story a little, after an exchange about the dog: a follow-up
    that leans on the exchange stays with the dog; one that stands alone goes to the ship."""
    index = StubIndex()
    question, exchange = "When did it leave?", "What did Rex find? a bone"
    features = document_features(
        index, index.bm25.scores(question), index.dense(np.array([0.3, 0.5]), 2), [index.bm25.scores(exchange)],
        [index.dense(np.array([1.0, 0.0]), 2)], ["a bone"], lean=lean,
    )
    model = DiscussedModel.load()
    assert set(model.weights) == set(FEATURES)
    probabilities = model.probabilities(features)
    assert max(probabilities, key=probabilities.get) == expected
