"""The support check's reading (h): two names the claim puts the other way round against its evidence.

Logic only; no model."""

from __future__ import annotations

import pytest

from qa.eval.support import OPPOSITE_READINGS, sentence_support
from qa.eval.swapped_roles import swapped_roles

SHOW = "Andrew Lincoln plays the show's lead character, sheriff's deputy Rick Grimes, who awakens from a coma."


@pytest.mark.parametrize(
    "claim, evidence, conflict",
    [
        ("Jones defeated Smith in the final.", ["Smith defeated Jones in the final."],
         ("jones defeated smith", "smith defeated jones")),
        ("The show has Rick Grimes as the lead character, Andrew Lincoln.", [SHOW],
         ("rick grimes as the lead character andrew", "andrew lincoln plays the show's lead character sheriff's deputy rick")),
        ("In 1998 Oxford beat Cambridge in the Boat Race.", ["Nothing else.", "In 1998 Cambridge beat Oxford in the Boat Race."],
         ("oxford beat cambridge", "cambridge beat oxford")),
        # joined by the same function words only
        ('His first novel, "A Kill to Time", was published in 1989.', ['His first novel, "A Time to Kill," was published in June 1989.'],
         ("kill to time", "time to kill")),
        ("The Roses of the Wars broke out in 1455.", ["The Wars of the Roses broke out in 1455."], ("roses of the wars", "wars of the roses")),
        ("Jackson's Marshall won the cup.", ["Marshall's Jackson won the cup."], ("jackson's marshall", "marshall's jackson")),
    ],
)
def test_two_names_turned_round_are_named_side_by_side(claim, evidence, conflict):
    assert swapped_roles(claim, evidence) == [conflict]


@pytest.mark.parametrize(
    "claim, evidence",
    [
        ("Smith defeated Jones in the final.", ["Smith defeated Jones in the final."]),  # the same order
        ("Jones was defeated by Smith in the final.", ["Smith defeated Jones in the final."]),  # a passive
        ("Jones and Smith met in the final.", ["Smith and Jones met in the final."]),  # a list: order says nothing
        ("It was found in Australia, New Zealand and Africa.", ["It was found in Africa, New Zealand and Australia."]),
        ("The Wars of the Roses broke out in 1455.", ["The Wars of the Roses broke out in 1455."]),
        # other function words between the two: another relation ("Smith of Jones" is no "Jones to Smith")
        ("Trade from Venice to Genoa grew.", ["Trade of Genoa with Venice grew."]),
        ("The show has Andrew Lincoln as the lead character, Rick Grimes.", [SHOW]),  # the original claim
        # common nouns reorder in faithful claims: not read
        ("The county elects boards for air quality control regulation.", ["Boards make regulations for the control of air quality."]),
        # too far apart in the evidence to be one relation
        ("Jones defeated Smith.", ["Smith, who had trained for years in three countries before the season began, then defeated Jones."]),
    ],
)
def test_what_is_not_a_swap_of_roles_passes(claim, evidence):
    assert swapped_roles(claim, evidence) == []


def test_the_support_check_fails_a_claim_with_its_roles_turned_round_and_names_them():
    """With a scorer that calls every pair supported, only the reading can fail the claim; the same
    claim with its roles as the passage has them passes."""
    assert swapped_roles in OPPOSITE_READINGS
    passage = "In 1998 Cambridge beat Oxford in the Boat Race by three lengths."
    always = lambda pairs: [9.0] * len(pairs)  # noqa: E731
    turned = sentence_support("In 1998 Oxford beat Cambridge in the Boat Race.", [passage], scorer=always)
    assert not turned.supported
    assert "claim: 'oxford beat cambridge', evidence: 'cambridge beat oxford'" in turned.reason
    assert sentence_support("In 1998 Cambridge beat Oxford in the Boat Race.", [passage], scorer=always).supported
