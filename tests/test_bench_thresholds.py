"""bench.fit.thresholds: the thresholds chosen under a false-refusal bound on each set (made-up probabilities)."""

from __future__ import annotations

import numpy as np

from bench.fit.thresholds import choose_threshold, joint_thresholds


def test_choose_threshold_refuses_at_most_the_target_share_of_answerable_cases():
    p = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.05])
    y = np.array([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0])
    threshold = choose_threshold(p, y, 0.10)
    assert (p[y == 1] < threshold).mean() <= 0.10
    assert threshold == 0.2  # one of the ten answerable cases refused, the unanswerable one too


def test_each_set_bounds_the_thresholds_not_their_pool():
    # Set "a" answers at high probabilities, set "b" at low ones: a pooled bound would let b's
    # answerable cases be refused far beyond the target.
    p = np.concatenate([np.linspace(0.6, 0.99, 50), np.linspace(0.05, 0.5, 50), np.full(20, 0.3)])
    y = np.concatenate([np.ones(50), np.ones(50), np.zeros(20)])
    groups = np.array(["a"] * 50 + ["b"] * 50 + ["a"] * 20)
    conversation = np.zeros(len(p), bool)
    threshold, _ = joint_thresholds(p, y, groups, conversation, target=0.10)
    for name in ("a", "b"):
        answerable = (groups == name) & (y == 1)
        assert (p[answerable] < threshold).mean() <= 0.10
    assert threshold <= 0.1  # b's bound decides, so a's unanswerable cases at 0.3 are answered


def test_a_set_counts_its_questions_alone_and_with_conversation_together():
    # Set "c" has answerable questions scored alone at 0.5 and follow-ups at 0.25: one threshold
    # for both would refuse all follow-ups; the pair keeps each set's share under the target.
    p = np.concatenate([np.full(40, 0.5), np.linspace(0.2, 0.3, 40), np.full(40, 0.35), np.full(40, 0.1)])
    y = np.concatenate([np.ones(80), np.zeros(40), np.zeros(40)])
    groups = np.array(["c"] * 80 + ["d"] * 80)
    conversation = np.array([False] * 40 + [True] * 40 + [False] * 40 + [True] * 40)
    threshold, conversation_threshold = joint_thresholds(p, y, groups, conversation, target=0.10)
    refused = np.where(conversation, p < conversation_threshold, p < threshold)
    assert refused[(groups == "c")].mean() <= 0.10
    assert refused[groups == "d"].mean() == 1.0  # d's unanswerable cases: 0.35 alone, 0.1 with conversation
    assert threshold > 0.35 > conversation_threshold  # follow-ups looser only as far as set c needs


def test_the_objective_counts_only_the_sets_named():
    # Set "e"'s unanswerable follow-ups are refused only below 0.2, set "f"'s questions only below
    # 0.6; answerable follow-ups at 0.3 allow one or the other, not both.
    p = np.concatenate([np.full(20, 0.3), np.full(20, 0.15), np.full(20, 0.5), np.full(20, 0.9)])
    y = np.concatenate([np.ones(20), np.zeros(20), np.zeros(20), np.ones(20)])
    groups = np.array(["e"] * 40 + ["f"] * 40)
    conversation = np.array([True] * 40 + [False] * 40)
    everything = joint_thresholds(p, y, groups, conversation, target=0.10)
    only_e = joint_thresholds(p, y, groups, conversation, target=0.10, objective=["e"])
    only_f = joint_thresholds(p, y, groups, conversation, target=0.10, objective=["f"])
    assert 0.15 < only_e[1] <= 0.3 and 0.5 < everything[0] <= 0.9 and 0.5 < only_f[0] <= 0.9
    assert only_e[0] <= 0.3  # f's refusals do not count: the pair closest together wins
    # Counted or not, a set's answerable cases still bound the thresholds.
    for t_alone, t_conv in (everything, only_e, only_f):
        assert t_conv <= 0.3 and t_alone <= 0.9
