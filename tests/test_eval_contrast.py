"""The words where a claim parts from its evidence (`qa.eval.contrast`): logic, with a fake head."""

from __future__ import annotations

from qa.eval.contrast import closest_sentence, contrasts

EVIDENCE = "A single ketamine infusion plus therapy led to significantly more abstinence and lower relapse risk compared to a control."


def fake_head(pair):
    """Reads a claim as supported as far as its words follow the evidence's order (a stand-in for
    the support head: a repair that makes the claim say what the evidence says raises it)."""
    claim, evidence = pair
    return float(claim.lower().rstrip(".") in evidence.lower()) * 4.0 - 2.0 - 0.1 * len(claim.split())


def test_the_differences_inside_the_aligned_stretch_with_a_word_of_context():
    found = contrasts("A single ketamine infusion led to more relapse compared to a control.", EVIDENCE)
    assert ("infusion led", "infusion plus therapy led") in found


def test_the_head_ranks_first_the_difference_whose_repair_makes_the_claim_say_what_the_evidence_says():
    claim = "A single ketamine infusion plus therapy led to significantly more relapse risk compared to a control."
    found = contrasts(claim, EVIDENCE, fake_head)
    assert found[0] == ("more relapse", "more abstinence and lower relapse")


def test_a_difference_whose_repair_does_not_help_is_dropped():
    assert contrasts("Ketamine cured cocaine addiction in most patients.", EVIDENCE, lambda pair: 0.0) == []


def test_evidence_words_beyond_the_claim_are_context_not_a_contrast():
    assert contrasts("Ketamine led to significantly more abstinence.", "In 2021, " + EVIDENCE) == [
        ("Ketamine led", "ketamine infusion plus therapy led")
    ]


def test_the_closest_sentence_is_the_one_whose_words_align_best():
    sentences = ["Relapse risk was lower in the trial.", EVIDENCE, "Therapy was given weekly."]
    assert closest_sentence("A single ketamine infusion led to more relapse compared to a control.", sentences) == EVIDENCE
    assert closest_sentence("anything", []) == ""
