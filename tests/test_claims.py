"""qa.claims: the claim a source question asks about."""

from __future__ import annotations

import pytest

from qa.claims import source_claim


@pytest.mark.parametrize(
    ("question", "claim"),
    [
        ("Which paper is cited for the claim that ketamine enhances motivation for abstinence?", "ketamine enhances motivation for abstinence"),
        ("What source does the overview cite for its definition of substance use disorders?", "its definition of substance use disorders"),
        ("Which study supports the claim that ketamine reduces cravings?", "ketamine reduces cravings"),
        ("What is the reference for the statement that effects are enhanced with therapy?", "effects are enhanced with therapy"),
        ("Which reference is cited for that? (ketamine reduce drug cravings)", "ketamine reduce drug cravings"),
    ],
)
def test_the_claim_of_a_source_question(question, claim):
    assert source_claim(question) == claim


@pytest.mark.parametrize(
    "question",
    [
        "Which journal published the Krupitsky paper on ketamine for heroin dependence?",
        "Which of the trials discussed were published in the American Journal of Psychiatry?",
        "What evidence do the documents give that ketamine reduces cravings?",
        "Which reference is cited for that?",  # a pointer with no context: nothing to score by
        "What dose was used?",
    ],
)
def test_other_questions_have_no_claim(question):
    assert source_claim(question) is None
