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


def test_a_comparison_is_swapped_and_turned_round():
    from bench.data.comparison_swaps import swaps

    sentence = "Patients given ketamine had higher scores than those given placebo."
    [(swapped, turned)] = swaps(sentence)
    assert swapped == "those given placebo higher scores than Patients given ketamine had."
    assert turned == "those given placebo lower scores than Patients given ketamine had."
    assert swaps("Twenty-two patients had more than 1 cause.") == []  # "1" names no side
    assert swaps("Ketamine led to more abstinence.") == []  # nothing compared


def test_the_opposites_table_is_built_from_wordnet_files(tmp_path):
    from bench.fit.antonyms import build, regular_forms

    header = "  1 This software and database is being provided to you, the LICENSEE, by Princeton University\n"
    (tmp_path / "data.adj").write_text(
        header
        + "00000001 00 a 01 high 0 001 ! 00000002 a 0101 | greater than normal in degree\n"
        + "00000002 00 a 01 low 0 001 ! 00000001 a 0101 | less than normal in degree\n"
        + "00000003 00 s 02 tall 0 big_deal 0 000 | a satellite without an opposite\n",
        encoding="latin-1",
    )
    (tmp_path / "data.verb").write_text(
        header + "00000004 30 v 01 win 0 001 ! 00000005 v 0101 | be the winner\n00000005 30 v 01 lose 0 001 ! 00000004 v 0101 | fail to win\n",
        encoding="latin-1",
    )
    for name in ("noun", "adv"):
        (tmp_path / f"data.{name}").write_text(header, encoding="latin-1")
    (tmp_path / "verb.exc").write_text("won win\nlost lose\n", encoding="latin-1")
    table = build(tmp_path)
    assert table["antonyms"] == {"high": ["low"], "low": ["high"], "lose": ["win"], "win": ["lose"]}
    assert table["forms"]["higher"] == ["high"] and table["forms"]["won"] == ["win"] and table["forms"]["lost"] == ["lose"]
    assert "tall" not in table["forms"]  # no opposite, no entry
    assert {"increased", "increasing", "increases"} <= regular_forms("increase", "v")
    assert {"bigger", "biggest"} <= regular_forms("big", "a") and "stopped" in regular_forms("stop", "v")
