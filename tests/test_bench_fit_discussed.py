"""The conditional logit `bench.fit.discussed` fits: logic only, on made-up candidates."""

from __future__ import annotations

import numpy as np

from bench.fit.discussed import first_right, fit_conditional_logit, own_matches_only
from qa.conversation.discussed import FEATURES


def made_up_cases(count: int = 60, seed: int = 0):
    """Each case: four candidates with noise for features; the gold one 3 higher on feature 0."""
    rng = np.random.default_rng(seed)
    rows = []
    for n in range(count):
        x = rng.normal(size=(4, len(FEATURES)))
        gold = n % 4
        x[gold, 0] += 3.0
        y = np.zeros(4)
        y[gold] = 1.0
        rows.append(("made-up", x, y))
    return rows


def test_the_fit_puts_the_gold_candidate_first_and_weighs_the_telling_feature():
    rows = made_up_cases()
    weights = fit_conditional_logit(rows, l2=1.0, scale=np.ones(len(FEATURES)))
    assert weights[0] > 1.0
    assert abs(weights[0]) > 3 * np.abs(weights[1:]).max()
    assert first_right(made_up_cases(seed=1), weights) > 0.75  # chance is 0.25


def test_cases_whose_candidates_miss_the_gold_one_are_skipped_in_fitting_and_count_as_wrong():
    rows = made_up_cases()
    missing = [("made-up", np.ones((3, len(FEATURES))), np.zeros(3))]
    weights = fit_conditional_logit(rows + missing, l2=1.0, scale=np.ones(len(FEATURES)))
    assert np.allclose(weights, fit_conditional_logit(rows, l2=1.0, scale=np.ones(len(FEATURES))))
    assert first_right(missing, weights) == 0.0


def test_the_own_matches_baseline_weighs_only_the_question_features():
    weights = own_matches_only(made_up_cases(), l2=1.0, scale=np.ones(len(FEATURES)))
    assert weights[0] > 1.0 and not weights[2:].any()
