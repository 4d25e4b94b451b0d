"""The follow-up model's features and reading, with a fake index: where the question's own best hits
lie says nothing when the conversation's documents are all the index holds, and a feature that
says nothing is read at its mean; and which questions stand alone without their conversation."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from qa.conversation.follow_up import FEATURES, FollowUpModel, follow_up_features, stands_alone


def _index(sources_of_chunks: list[str]):
    chunks = [SimpleNamespace(source=source) for source in sources_of_chunks]
    return SimpleNamespace(chunks=chunks, sources=frozenset(sources_of_chunks))


def _features(conversation_sources: set[str], index) -> dict[str, float]:
    vector = np.array([1.0, 0.0])
    # The question's best dense hit is chunk 0, its best BM25 hit chunk 1.
    return follow_up_features("What dose did they use?", vector, vector, [(0, 0.6)], [(1, 3.0)], conversation_sources, index)


def test_the_share_of_own_hits_in_the_conversations_documents():
    index = _index(["a.txt", "b.txt", "c.txt"])
    assert _features({"a.txt"}, index)["alone_in_conversation"] == 0.5
    assert _features({"a.txt", "b.txt"}, index)["alone_in_conversation"] == 1.0
    assert _features({"c.txt"}, index)["alone_in_conversation"] == 0.0


def test_the_share_says_nothing_when_the_conversation_is_about_every_document():
    # Two documents, both the conversation's: every hit lies in them whatever the question.
    assert math.isnan(_features({"a.txt", "b.txt"}, _index(["a.txt", "b.txt"]))["alone_in_conversation"])
    assert math.isnan(_features({"a.txt"}, _index(["a.txt", "a.txt"]))["alone_in_conversation"])


def test_a_feature_that_says_nothing_is_read_at_its_mean():
    means = {name: 0.2 * i for i, name in enumerate(FEATURES)}
    model = FollowUpModel({name: 1.0 for name in FEATURES}, 0.3, means, {name: 0.5 for name in FEATURES})
    features = {name: means[name] + 0.4 for name in FEATURES}
    at_mean = model.probability({**features, "alone_in_conversation": means["alone_in_conversation"]})
    assert model.probability({**features, "alone_in_conversation": float("nan")}) == at_mean
    assert model.probability(features) > at_mean


@pytest.mark.parametrize(
    ("question", "alone"),
    [
        ("What were the odds of relapse in the ketamine group?", True),
        ("Did the coke trial use therapy too?", True),
        ("What dose did they use?", False),  # "they" points back
        ("Is that his former home?", False),
        ("and the second?", False),  # one word of its own
        ("Who is winning?", False),
    ],
)
def test_a_question_stands_alone_when_it_points_back_to_nothing_and_has_words_of_its_own(question, alone):
    assert stands_alone(question) is alone
