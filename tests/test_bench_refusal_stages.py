"""`bench.fit.refusal_stages.stage_of`: which stage decided a case, in the chain's order."""

from __future__ import annotations

import pytest

from bench.fit.refusal_stages import stage_of
from qa.decision.decide import Decision


@pytest.mark.parametrize(
    ("decision", "composed_refused", "stage"),
    [
        (Decision(answerable=False, notice="declined"), None, "policy"),
        (Decision(answerable=False, probability=0.2), True, "model"),
        (Decision(answerable=False, probability=0.6, signals={"question_support": -6.0}), False, "gate"),
        (Decision(answerable=False, probability=0.6, signals={"question_support": -1.0}, uncovered=["cannabis"]), False, "veto"),
        (Decision(answerable=True, probability=0.6), True, "no quote"),
        (Decision(answerable=True, probability=0.6, signals={"question_support": -1.0}), False, "answered"),
    ],
)
def test_the_first_stage_that_refuses_is_named(decision, composed_refused, stage):
    assert stage_of(decision, threshold=0.4, gate=-4.5, composed_refused=composed_refused) == stage
