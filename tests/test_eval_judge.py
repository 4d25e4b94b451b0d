"""The fitted judge (`qa.eval.judge`): its signals, the model file, and its probability."""

from __future__ import annotations

import json
import math

import pytest

from qa.eval.judge import FEATURES, MODEL_FILE, SupportModel, lexical_signals, load_model, signals

SENTENCES = [
    "The film was directed by Shawn Levy.",
    "Real Steel is a 2011 American science fiction sports film starring Hugh Jackman.",
    "It is based on a short story by Richard Matheson.",
]


def test_lexical_signals_measure_what_the_claim_adds():
    values, chosen, novel = lexical_signals("Real Steel is a 2011 film starring Hugh Jackman.", SENTENCES)
    assert chosen[0] == 1 and values["cover1"] == 1.0 and values["novel"] == 0.0 and novel == []
    values, _, novel = lexical_signals("I loved Real Steel, it won three Oscars?", SENTENCES)
    assert novel == ["loved", "won", "three", "oscars"] and values["cover3"] < 0.5
    assert values["personal"] == 1.0 and values["question"] == 1.0


def test_negation_mismatch_is_seen():
    values, _, _ = lexical_signals("The film was not directed by Shawn Levy.", SENTENCES)
    assert values["negation"] == 1.0
    values, _, _ = lexical_signals("The film was directed by Shawn Levy.", SENTENCES)
    assert values["negation"] == 0.0


def test_signals_score_at_most_two_pairs_with_the_best_sentence_first():
    calls = []

    def scorer(pairs):
        calls.append(pairs)
        return [5.0, 2.0][: len(pairs)]

    result = signals("Real Steel, directed by Shawn Levy, stars Hugh Jackman.", SENTENCES, scorer, apart=(0, 1))
    (first, second), = calls
    assert first[1] in SENTENCES and second[1] == " ".join(result.best)
    assert result.values["ce1"] == 5.0 and result.values["ce3"] == 2.0 and result.values["apart_terms"] == math.log1p(1)
    assert set(result.values) == set(FEATURES)
    empty = signals("Anything.", [], scorer)
    assert empty.best == [] and empty.values["ce1"] == -12.0


def test_the_shipped_model_loads_and_is_monotone_in_relevance():
    model = load_model()
    data = json.loads(MODEL_FILE.read_text())
    assert data["features"] == list(FEATURES) and 0.0 < model.threshold < 1.0
    base = signals("Real Steel is a 2011 film starring Hugh Jackman.", SENTENCES, lambda pairs: [8.0] * len(pairs)).values
    low = dict(base, ce1=-8.0, ce3=-8.0, ce_floor=-8.0, ce_and_cover=base["cover3"] / (1 + math.exp(4)))
    assert model.probability(base) > model.threshold > model.probability(low)


def test_a_model_file_with_other_features_is_refused():
    data = load_model().to_dict()
    assert SupportModel.from_dict(data) == load_model()
    with pytest.raises(ValueError):
        SupportModel.from_dict(dict(data, features=data["features"][:-1]))
