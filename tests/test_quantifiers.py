"""The support check's reading (j): a quantity said otherwise than the evidence says it.

Logic only; the last test runs the whole check with a fixed scorer (no model)."""

from __future__ import annotations

import pytest

from qa.eval.quantifiers import quantifier_conflicts
from qa.eval.support import OPPOSITE_READINGS, sentence_support

TRIAL = "Most patients in the ketamine group stayed abstinent for the whole study."


@pytest.mark.parametrize(
    "claim, evidence, conflict",
    [
        ("Few patients in the ketamine group stayed abstinent.", [TRIAL], ("few patients", "most patients")),
        ("All patients in the ketamine group stayed abstinent.", [TRIAL], ("all patients", "most patients")),
        ("No patients stayed abstinent.", ["A few patients stayed abstinent after the infusion."],
         ("no patients", "few patients")),
        ("Most trials found a benefit.", ["Some trials found a benefit for alcohol use disorder."],
         ("most trials", "some trials")),
        ("Patients always relapsed within a month.", ["Patients sometimes relapsed within a month."],
         ("always relapsed", "sometimes relapsed")),
        # a focus particle, either way round: "also" implies another, "only" denies one
        ("Ketamine is also approved for anesthesia.", ["Ketamine is only approved for anesthesia."],
         ("also approved", "only approved")),
        ("The game only has 11 minutes of live play.", ["The game also has 11 minutes of live play."],
         ("only has", "also has")),
    ],
)  # fmt: skip
def test_a_quantity_the_evidence_states_otherwise_is_named(claim, evidence, conflict):
    assert quantifier_conflicts(claim, evidence) == [conflict]


@pytest.mark.parametrize(
    "claim, evidence",
    [
        ("Some patients in the ketamine group stayed abstinent.", [TRIAL]),  # weaker than the source: still backed
        ("Most patients stayed abstinent.", [TRIAL]),  # the same step
        ("Red was mainly associated with the nobility.", ["Red was commonly associated with the nobility."]),  # one step: a rewording
        ("Some patients stayed abstinent.", ["A few patients stayed abstinent."]),  # "a few" is some
        ("Not all patients stayed abstinent.", [TRIAL]),  # negated: not its own step
        ("All reviewers praised the album.", ["Most patients in the trial stayed abstinent."]),  # not the same place
        ("Patients stayed abstinent.", [TRIAL]),  # no quantity word: the judge reads it
        # the other kind, but elsewhere: not read
        ("Ketamine is only approved for anesthesia.", ["Ketamine is approved for anesthesia; it is also studied for addiction."]),
        ("It was not only the longest tour.", ["It was also the longest tour."]),  # negated: not its own kind
        ("Ketamine solely treats pain here.", ["Ketamine only treats pain here."]),  # the same kind
    ],
)  # fmt: skip
def test_no_conflict_where_the_claim_is_no_stronger_or_the_quantity_stands_elsewhere(claim, evidence):
    assert quantifier_conflicts(claim, evidence) == []


def test_the_support_check_rejects_a_changed_quantity_and_names_both_phrases():
    assert quantifier_conflicts in OPPOSITE_READINGS
    always = lambda pairs: [9.0] * len(pairs)  # noqa: E731
    changed = sentence_support("Few patients in the ketamine group stayed abstinent for the whole study.", [TRIAL], scorer=always)
    assert not changed.supported
    assert "claim: 'few patients', evidence: 'most patients'" in changed.reason
    assert sentence_support(TRIAL, [TRIAL], scorer=always).supported
