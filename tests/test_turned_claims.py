"""The support check's readings of a claim turned round: opposite words (f), negated words (g), comparisons (e).

Logic only, on the shipped WordNet table (`qa/eval/antonyms.json`); no model (the check itself with a
fake scorer, where a reading is given other sentences than the judge's best)."""

from __future__ import annotations

import pytest

from qa.eval.comparisons import comparison_conflicts, said_from_the_other_side
from qa.eval.direction_conflicts import direction_conflicts
from qa.eval.negated_words import negation_conflicts
from qa.eval.antonyms import lemmas_of, opposites_of
from qa.eval.opposite_words import opposite_words
from qa.eval.support import sentence_support

TRIAL = "A single ketamine infusion plus mindfulness-based therapy led to significantly more abstinence and lower relapse risk compared to a control."
CLINICS = "The clinics allow medical students to gain real world clinical experience during the early stages of their training."


def test_the_shipped_table_holds_inflected_opposites_from_wordnet():
    assert {"win"} <= lemmas_of("won") and "lose" in opposites_of("won")
    assert "low" in opposites_of("higher") and "south" in opposites_of("northern") | {"south"}
    assert "southern" in opposites_of("northern") and "husband" in opposites_of("wife")
    assert lemmas_of("ketamine") == frozenset() and opposites_of("ketamine") == frozenset()


def test_prepositions_wordnet_lacks_are_opposed_in_the_same_place():
    assert "after" in opposites_of("before") and "under" in opposites_of("over")
    assert opposite_words("Patients relapsed before the second infusion.", ["Patients relapsed after the second infusion."]) == [
        ("before the second", "after the second")
    ]
    assert opposite_words("Patients relapsed after the second infusion.", ["Patients relapsed after the second infusion."]) == []


def test_a_place_is_two_content_words_a_side_within_four_words_and_a_clause():
    # "american" stands between "after" and "revolutionary": the second word still places it
    assert opposite_words(
        "Before the revolution in the US, students experienced harsh treatment.",
        ["After the American revolutionary war, students experienced harsh treatment from teachers."],
    ) == [("before the revolution", "after the american")]
    # within four words: "island" is the fourth after "raised"
    assert opposite_words(
        "She was lowered on the island of Themyscira.", ["Diana was raised on the hidden island of Themyscira, home to the Amazons."]
    ) == [("lowered on the island", "raised on the hidden")]
    # but not across a clause: "revolution" stands in the next one
    assert opposite_words("Before the revolution, students were treated harshly.", ["After the war; the revolution came."]) == []
    # a phrase of the reason stops at a clause mark too
    assert opposite_words("Patients relapsed later (in May).", ["Patients relapsed earlier (in May)."]) == [("relapsed later", "relapsed earlier")]


def test_an_opposite_of_two_letters_in_the_evidence_is_read():
    assert opposite_words("When he grows down he wants to be a pilot.", ["When he grows up he wants to be a pilot."]) == [
        ("down he wants", "up he wants")
    ]
    assert opposite_words("The lights were switched off.", ["The lights were switched on at night."]) == [("switched off", "on at night")]


@pytest.mark.parametrize(
    "claim, conflict",
    [
        ("They gain experience during the late stages of their training.", ("late stages", "early stages")),
        ("She opened stores that would buy coffee and cosmetics.", ("buy coffee", "sell coffee")),
        ("Northern Ireland is part of the UK.", ("northern ireland", "southern ireland")),
    ],
)
def test_a_word_standing_where_its_evidence_has_its_opposite_is_named(claim, conflict):
    evidence = [CLINICS, "She aimed to open a chain of stores that would sell coffee and cosmetics."]
    if "Northern" in claim:
        evidence = ["Southern Ireland is part of the UK."]
    assert opposite_words(claim, evidence) == [conflict]


def test_a_word_with_opposites_of_its_own_beside_the_place_does_not_hide_the_opposite():
    # "civil" stands before "war" as "unknown" stands before "Wars", but only "known" stands where
    # the claim's word does, with the same words beside it.
    evidence = ["The 15th-century civil war known as the Wars of the Roses is one of the most complex periods."]
    claim = "The dynastic struggle unknown as the Wars of the Roses broke out in the fifteenth century."
    assert opposite_words(claim, evidence) == [("unknown as the wars", "known as the wars")]


@pytest.mark.parametrize(
    "claim, evidence",
    [
        ("They gain experience during the early stages.", [CLINICS]),  # the same word
        ("Their experience is not late in training.", ["Their experience is early in training."]),  # negated: agrees
        ("Students did not lose clinical experience.", ["Students gain clinical experience."]),
        ("The late stages were studied.", ["The first stages and late stages were studied."]),  # both said
        # a rewording ("decreased" for "reduced") stands where the opposite stands too
        ("The decreased use of liquid medicines has increased the use of tablets.",
         ["The reduced use of liquid medicines has increased the use of tablets."]),
        ("A short pole was used.", ["Skiers used one long stick; the pole was short."]),  # not in the same place
    ],
)  # fmt: skip
def test_no_opposite_where_the_evidence_agrees_or_the_word_stands_elsewhere(claim, evidence):
    assert opposite_words(claim, evidence) == []


@pytest.mark.parametrize(
    "claim, evidence, conflict",
    [
        ("The book was not published in December.", "The book was published in December by his daughter.", ("not published", "was published")),
        ("Hoffman was not filming the final part.", "At the time, Hoffman was filming the final part.", ("not filming", "was filming")),
        ("He has done his job.", "He hasn't done his job.", ("has done", "hasn't done")),
        # the word only shows once the evidence is folded: the quick test for it must not skip it
        ("The final file was not filed.", "The \ufb01nal \ufb01le was \ufb01led.", ("not filed", "was filed")),
    ],
)
def test_a_word_negated_on_one_side_only_is_named(claim, evidence, conflict):
    assert negation_conflicts(claim, [evidence]) == [conflict]


@pytest.mark.parametrize(
    "claim, evidence",
    [
        ("There is no rule against it.", "The league has no written rule against it."),  # near the negation: agrees
        ("Ketamine failed to reduce cravings.", "Ketamine did not reduce cravings."),  # failing is negating
        ("The book was published in December.", "The book was published in December."),
        ("The session was not scrapped.", "The session was not scrapped, but the album was."),
        ("They are not allowed to eat there.", "Women would in fact be allowed if they met the requirements."),  # elsewhere
    ],
)
def test_no_negation_conflict_where_both_sides_agree_or_the_word_stands_elsewhere(claim, evidence):
    assert negation_conflicts(claim, [evidence]) == []


def test_a_comparison_with_its_sides_the_other_way_round_is_named():
    claim = "Mindfulness-based therapy alone led to more abstinence than ketamine."
    [(said, source)] = comparison_conflicts(claim, [TRIAL])
    assert said == "more abstinence than ketamine"
    assert source.startswith("ketamine infusion plus mindfulness-based therapy") and "compared to a control" in source


@pytest.mark.parametrize(
    "claim",
    [
        "A single ketamine infusion plus mindfulness-based therapy led to more abstinence than a control.",
        "A control led to less abstinence than ketamine plus mindfulness-based therapy.",  # from the other side
        "Ketamine plus therapy led to more abstinence than therapy alone.",  # "alone" is not the evidence's
        "Ketamine led to more abstinence.",  # no comparing words
    ],
)
def test_a_comparison_the_evidence_agrees_with_or_does_not_make_is_no_conflict(claim):
    assert comparison_conflicts(claim, [TRIAL]) == []


def test_a_comparison_said_from_the_other_side_is_not_read_as_an_opposite_word_or_direction():
    evidence = ["Minority patients with cancer had worse pain control than their white counterparts."]
    claim = "Their white counterparts had better pain control than minority patients with cancer."
    assert said_from_the_other_side(claim, evidence) == {"better"}
    assert opposite_words(claim, evidence) == [] and comparison_conflicts(claim, evidence) == []
    turned = "A control led to lower relapse risk than a single ketamine infusion plus mindfulness-based therapy."
    assert direction_conflicts(turned.replace("lower", "higher"), [TRIAL]) == []  # "higher ... than ketamine": the same claim
    swapped = "A control led to lower relapse risk compared to a single ketamine infusion plus therapy."
    assert comparison_conflicts(swapped, [TRIAL])  # the sides swapped, the direction kept: the opposite


@pytest.mark.parametrize(
    "claim, evidence, conflict",
    [
        # a short word with an opposite ("same" is a stop word for search, not for meaning)
        ("It is a superhero film based on the team of the different name.",
         "It is a superhero film based on the comics team of the same name.", ("different name", "same name")),
        # a neighbour in the plural on one side only ("cats" ~ "cat")
        ("Black cats sleep here.", "White cat sleeps here.", ("black cats", "white cat")),
        # an auxiliary in the same place ("has") is no rival reading of the word
        ('"Ski" is one of the words Norway has imported.',
         '"Ski" is one of the words Norway has exported to the international community.', ("norway has imported", "exported to the international")),
    ],
)  # fmt: skip
def test_an_opposite_is_found_past_stop_words_and_plurals(claim, evidence, conflict):
    assert opposite_words(claim, [evidence]) == [conflict]


def test_a_negation_said_in_a_sentence_the_judge_did_not_choose_still_tells():
    # The judge's best sentences are the vote and the "All he's done" quote; the one that
    # negates "done" is another sentence of the same passage.
    passage = (
        '"I don\'t care about big oil!" he yelled. He regrets his vote for the governor. '
        '"Because he hasn\'t done a thing," he said. "All he\'s done," Ojeda said, "is shown that he\'s '
        'taking care of the people he\'s supposed to be getting rid of."'
    )
    always = lambda pairs: [9.0] * len(pairs)  # noqa: E731
    turned = sentence_support(
        'He regrets his vote for the governor, saying that "he has done a thing" and is "taking care of the '
        'people he\'s supposed to be getting rid of".',
        [passage],
        scorer=always,
    )
    assert not turned.supported
    assert "claim: 'has done', evidence: 'hasn't done'" in turned.reason
    faithful = 'He regrets his vote for the governor, saying that "he hasn\'t done a thing".'
    assert sentence_support(faithful, [passage], scorer=always).supported
