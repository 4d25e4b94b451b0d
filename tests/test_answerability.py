"""qa.decision.answerability: the fitted logistic model, with a small hand-made spec, and the shipped file."""

from __future__ import annotations

import json
import math

import pytest

from qa.decision.answer_signals import SIGNALS
from qa.decision.answerability import MODEL_PATH, AnswerabilityModel

SPEC = {
    "signals": ["best", "cover_document"],
    "mean": [2.0, 0.5],
    "scale": [2.0, 0.25],
    "weights": [1.0, 2.0],
    "bias": -0.5,
    "threshold": 0.6,
}


def test_probability_is_the_logistic_of_the_standardised_weighted_sum():
    model = AnswerabilityModel(SPEC)
    signals = {"best": 4.0, "cover_document": 0.75}
    margin = -0.5 + 1.0 * (4.0 - 2.0) / 2.0 + 2.0 * (0.75 - 0.5) / 0.25
    assert model.margin(signals) == pytest.approx(margin)
    assert model.probability(signals) == pytest.approx(1 / (1 + math.exp(-margin)))


def test_decision_uses_the_files_threshold_unless_given_one():
    model = AnswerabilityModel(SPEC)
    low = {"best": 0.0, "cover_document": 0.5}  # margin -1.5: p = 0.18
    assert not model.answers(low)
    assert model.answers(low, threshold=0.1)
    assert model.answers({"best": 6.0, "cover_document": 1.0})


def test_a_follow_up_scored_with_its_conversation_has_its_own_threshold():
    model = AnswerabilityModel({**SPEC, "conversation_threshold": 0.1})
    low = {"best": 0.0, "cover_document": 0.5}  # p = 0.18
    assert model.threshold_for(with_conversation=False) == 0.6
    assert model.threshold_for(with_conversation=True) == 0.1
    assert model.probability(low) < model.threshold_for(False) and model.probability(low) >= model.threshold_for(True)
    # A file without one uses the single threshold for both.
    assert AnswerabilityModel(SPEC).threshold_for(with_conversation=True) == 0.6


def test_missing_signal_counts_as_zero_and_a_zero_scale_is_safe():
    model = AnswerabilityModel({**SPEC, "scale": [0.0, 0.25]})
    assert 0.0 <= model.probability({}) <= 1.0


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError):
        AnswerabilityModel({**SPEC, "weights": [1.0]})


def test_missing_file_names_the_script(tmp_path):
    with pytest.raises(FileNotFoundError, match="bench.fit.answerability"):
        AnswerabilityModel.load(tmp_path / "none.json")


def test_shipped_model_is_complete_and_records_its_provenance():
    spec = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    model = AnswerabilityModel(spec)
    assert set(model.signals) <= set(SIGNALS)
    assert 0.0 < model.threshold < 1.0
    assert 0.0 < model.conversation_threshold < 1.0
    assert "golden" in spec["provenance"]["kept_out"] and "squad2" in spec["provenance"]["fit_on"]
    # A sentence the reranker and the answer head both score high is likelier to answer.
    weak = {name: 0.0 for name in model.signals}
    strong = dict(weak, best=8.0, answer_head=8.0)
    assert model.probability(strong) > model.probability(weak)
    # A question word the best passage lacks, whose dropping raises the score, makes it less likely.
    assert model.probability(dict(strong, drop_gain=3.0, missing_names=1.0)) < model.probability(strong)
