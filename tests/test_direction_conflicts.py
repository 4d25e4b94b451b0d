"""qa.eval.direction_conflicts: which thing each direction word is said of, in the claim and its evidence."""

from __future__ import annotations

import pytest

from qa.eval.direction_conflicts import direction_conflicts

TRIAL = "A single ketamine infusion plus mindfulness-based therapy led to significantly more abstinence and lower relapse risk compared to a control."


@pytest.mark.parametrize(
    "claim, conflict",
    [
        ("A single ketamine infusion led to more relapse compared to a control.", ("more relapse", "lower relapse risk")),
        ("Ketamine increased relapse [1].", ("increased relapse", "lower relapse risk")),
        ("The infusion reduced abstinence.", ("reduced abstinence", "more abstinence and")),
        ("It led to higher relapses and more abstinence.", ("higher relapses", "lower relapse risk")),
    ],
)
def test_a_direction_said_of_a_thing_the_evidence_gives_the_opposite_is_named(claim, conflict):
    assert direction_conflicts(claim, [TRIAL]) == [conflict]


@pytest.mark.parametrize(
    "claim",
    [
        "The therapy led to less relapse compared to a control.",  # "less" and "lower" are one direction
        "Ketamine decreased the relapse risk.",
        "It led to more abstinence.",
        "Patients were more likely to stay abstinent.",  # "likely" is not said in the evidence
        "Ketamine led to fewer relapses.",
        "Relapse was not lower after ketamine.",  # negation is the key-term veto's, not this check's
    ],
)
def test_the_same_direction_or_a_thing_the_evidence_does_not_give_a_direction_is_no_conflict(claim):
    assert direction_conflicts(claim, [TRIAL]) == []


def test_evidence_that_says_both_directions_of_a_thing_backs_either():
    evidence = ["Cravings increased in the first week and decreased cravings were seen by the fourth."]
    assert direction_conflicts("Ketamine increased cravings.", evidence) == []
    assert direction_conflicts("Ketamine reduced cravings.", evidence) == []
    assert direction_conflicts("Ketamine reduced cravings.", ["Ketamine increased cravings in week one."]) == [
        ("reduced cravings", "increased cravings in")
    ]
