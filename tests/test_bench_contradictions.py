"""bench.contradictions: each family of opposite, the faithful rewordings (logic only, no model)."""

from __future__ import annotations

import pytest

from bench.contradictions import USER_PASSAGE_HOLDS, user_passage
from bench.data.opposites import FAMILIES, OPPOSITE, SYNONYM, alterations, rewordings


def _by_family(claim: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for alteration in alterations(claim):
        found.setdefault(alteration.family, []).append(alteration.text)
    return found


@pytest.mark.parametrize(
    "claim, family, expected",
    [
        ("The infusion led to more abstinence.", "direction", "The infusion led to less abstinence."),
        ("Relapse risk was lower after ketamine.", "direction", "Relapse risk was higher after ketamine."),
        ("Cravings decreased within a week.", "direction", "Cravings increased within a week."),
        ("The trial did not find a difference.", "negation", "The trial did find a difference."),
        ("It doesn't help.", "negation", "It does help."),
        ("The drug is approved for depression.", "negation", "The drug is not approved for depression."),
        ("Patients can stop early.", "negation", "Patients cannot stop early."),
        ("There is no approved medication.", "negation", "There is some approved medication."),
        ("All patients improved.", "quantifier", "No patients improved."),
        ("Most patients stayed abstinent.", "quantifier", "Few patients stayed abstinent."),
        ("Ketamine may reduce cravings.", "modality", "Ketamine must reduce cravings."),
        ("Barack Obama defeated John McCain in 2008.", "role", "John McCain defeated Barack Obama in 2008."),
        ("The Washington Post hired Smith.", "role", "The Smith hired Washington Post."),
    ],
)
def test_each_family_makes_its_opposite(claim, family, expected):
    assert expected in _by_family(claim).get(family, [])


def test_case_is_kept_and_every_alteration_differs_from_the_claim():
    found = alterations("More patients relapsed. MORE was said.")
    assert "Less patients relapsed. MORE was said." in [a.text for a in found]
    assert "More patients relapsed. LESS was said." in [a.text for a in found]
    assert all(a.text != "More patients relapsed. MORE was said." and a.family in FAMILIES for a in found)


def test_a_claim_with_nothing_to_turn_has_no_alteration():
    assert alterations("Paris.") == []
    assert alterations("Smith and Jones.") == []  # swapping names joined by "and" says the same


def test_the_lexicons_go_both_ways_and_never_call_a_word_its_own_opposite():
    for table in (OPPOSITE, SYNONYM):
        assert all(word != other for word, other in table.items())
    assert OPPOSITE["lower"] == "higher" and OPPOSITE["higher"] == "lower"
    assert OPPOSITE["increased"] == "decreased" and OPPOSITE["decreased"] == "increased"


def test_rewordings_swap_a_synonym_and_never_an_opposite():
    found = [a.text for a in rewordings("The study showed reduced cravings.")]
    assert "The trial showed reduced cravings." in found
    assert "The study demonstrated reduced cravings." in found
    assert "The study showed decreased cravings." in found
    assert not any("increased" in text for text in found)


def test_the_users_passage_is_found_in_the_default_corpus():
    passage = user_passage()
    assert passage and USER_PASSAGE_HOLDS in passage and "lower relapse risk" in passage


def test_a_direction_flip_keeps_every_direction_of_the_claim_in_its_sentence():
    from bench.data.direction_flips import flips

    sentence = "Ketamine led to more abstinence and lower relapse risk."
    assert ("more", "less", "Ketamine led to less abstinence and lower relapse risk.") in flips(sentence)
    assert ("lower", "higher", "Ketamine led to more abstinence and higher relapse risk.") in flips(sentence)
    assert flips("Ketamine led to lower relapse risk.") == []  # "higher" would be a word the sentence lacks
