"""The support check's readings (i), a certainty where the evidence only allows it, and (k), a
certainty where no evidence sentence states any.

Logic only; the tests named "the support check ..." run the whole check with a fixed scorer (no model)."""

from __future__ import annotations

import pytest

from qa.eval.hedges import overstated_hedges, unbacked_certainties
from qa.eval.support import OPPOSITE_READINGS, sentence_support

RADIO = "There is a website where you can listen to thousands of episodes of classic radio dramas for free."


@pytest.mark.parametrize(
    "claim, evidence, conflict",
    [
        ("There is a website where you must listen to old radio dramas.", [RADIO], ("must listen", "can listen")),
        ("Ketamine will help people with alcohol use disorder.", ["Ketamine may help people with alcohol use disorder."],
         ("will help", "may help")),
        ("The trial proves that ketamine reduces relapse.", ["The trial suggests that ketamine reduces relapse."],
         ("proves that", "suggests that")),
        ("Ketamine certainly reduces cravings.", ["Ketamine possibly reduces cravings in some patients."],
         ("certainly reduces", "possibly reduces")),
    ],
)  # fmt: skip
def test_a_hedge_stated_as_a_certainty_is_named(claim, evidence, conflict):
    assert overstated_hedges(claim, evidence) == [conflict]


@pytest.mark.parametrize(
    "claim, evidence",
    [
        ("Ketamine may help people.", ["Ketamine will help people."]),  # weaker than the source: still backed
        ("You can listen to radio dramas.", [RADIO]),  # the same hedge
        ("Patients must be monitored after the infusion.",
         ["Patients must be monitored after the infusion; they can go home after two hours."]),  # said as certain too
        ("The drug will be approved next year.", ["Officials said it can take years to approve a drug."]),  # not the same place
        ("Ketamine reduces cravings.", ["Ketamine may reduce cravings."]),  # no certainty word: the judge reads it
    ],
)  # fmt: skip
def test_no_conflict_where_the_claim_is_no_stronger_or_the_hedge_stands_elsewhere(claim, evidence):
    assert overstated_hedges(claim, evidence) == []


def test_the_support_check_rejects_an_overstated_hedge_and_names_both_phrases():
    assert overstated_hedges in OPPOSITE_READINGS
    always = lambda pairs: [9.0] * len(pairs)  # noqa: E731
    overstated = sentence_support("There is a website where you must listen to classic radio dramas for free.", [RADIO], scorer=always)
    assert not overstated.supported
    assert "claim: 'must listen', evidence: 'can listen'" in overstated.reason
    assert sentence_support("There is a website where you can listen to classic radio dramas for free.", [RADIO], scorer=always).supported


DAYBEDS = ["Daybeds come in wood, metal, or a combination of wood and metal.", "They fit small rooms."]


@pytest.mark.parametrize(
    "claim, evidence, found",
    [
        ("Their frames must be made out of wood or metal.", DAYBEDS, [("must be", "")]),
        ("The study proves a much later date.", ["Carbon dating shows a much later date."], [("proves a", "")]),
        ("Ketamine always reduces cravings.", ["Ketamine reduced cravings in the trial."], [("always reduces", "")]),
        ("Daybeds will come in wood.", DAYBEDS, []),  # "will" also just tells the future
        ("Daybeds must be made of wood.", DAYBEDS + ["Buyers will choose the wood."], []),  # a sentence states a certainty
        ("Daybeds come in wood.", DAYBEDS, []),  # no certainty claimed
    ],
)  # fmt: skip
def test_a_certainty_no_evidence_sentence_states_is_named(claim, evidence, found):
    assert unbacked_certainties(claim, evidence) == found


def test_the_support_check_rejects_a_certainty_its_passage_never_states():
    assert unbacked_certainties in OPPOSITE_READINGS
    always = lambda pairs: [9.0] * len(pairs)  # noqa: E731
    passage = " ".join(DAYBEDS)
    ruled = sentence_support("Daybed frames must be made of wood, metal, or a combination of wood and metal.", [passage], scorer=always)
    assert not ruled.supported
    assert "claim: 'must be', evidence: no sentence states it so" in ruled.reason
    assert sentence_support("Daybed frames are made of wood, metal, or a combination of wood and metal.", [passage], scorer=always).supported
