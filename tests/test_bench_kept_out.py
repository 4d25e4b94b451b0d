"""bench.fit.kept_out: a fitted decision's figures from cached rows (logic only, no model)."""

from __future__ import annotations

import numpy as np

from bench.fit.kept_out import figures


def _row(answerable: bool, hit: bool | None = None, policy: bool = False) -> dict:
    row = {"answerable": answerable, "policy": policy, "signals": {}}
    if hit is not None:
        row["hit"] = hit
    return row


def test_refusals_follow_each_threshold_and_the_policy_counts_as_a_refusal():
    rows = [_row(True, True), _row(True, True), _row(True, False), _row(False), _row(False), _row(False, policy=True)]
    probability = np.array([0.9, 0.35, 0.8, 0.2, 0.6, 0.9])
    conversation = np.array([False, True, False, False, False, False])
    # 0.35 is scored with its conversation: answered under 0.3, refused under 0.4
    found = figures(rows, probability, conversation, threshold=0.5, conversation_threshold=0.3)
    assert found["cases"] == 6 and found["false_refusal"] == 0.0 and found["hit"] == 2 / 3
    assert found["refusal_ok"] == 2 / 3  # 0.2 and the declined one; 0.6 answered
    stricter = figures(rows, probability, conversation, threshold=0.5, conversation_threshold=0.4)
    assert stricter["false_refusal"] == 1 / 3 and stricter["hit"] == 1 / 3
    assert 0.0 <= found["auroc"] <= 1.0


def test_a_set_without_hits_or_without_unanswerable_cases_reports_none_there():
    found = figures([_row(True), _row(True)], np.array([0.9, 0.1]), np.zeros(2, bool), 0.5, 0.5)
    assert found["hit"] is None and found["refusal_ok"] is None and found["auroc"] is None
    assert found["false_refusal"] == 0.5
