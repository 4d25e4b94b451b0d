"""bench.data.paraphrases: faithful one-edit variants of a claim never touch what turns a claim round."""

from __future__ import annotations

import random

import pytest

from bench.data import paraphrases as module
from bench.data.paraphrases import FIXED, POLAR, is_misspelling, paraphrases

CLAIM = "A single ketamine infusion led to significantly more abstinence and lower relapse risk compared to a control."


@pytest.fixture()
def table(monkeypatch):
    """A small WordNet: synonyms of one sense and the adverbs."""
    synonyms = {"compared": ["contrasted"], "below": ["beneath"], "single": ["lone"]}
    monkeypatch.setattr(module, "_wordnet", lambda: (synonyms, frozenset({"significantly"})))
    return synonyms


def test_every_variant_changes_one_word_and_keeps_every_polar_word(table):
    found = paraphrases(CLAIM, random.Random(0))
    assert found
    for variant in found:
        assert variant.text != CLAIM and variant.family == "paraphrase"
        before = CLAIM.lower().split()
        after = variant.text.lower().split()
        assert [w for w in before if w.strip(".") in POLAR] == [w for w in after if w.strip(".") in POLAR]
        assert len(before) - len(after) in (0, 1)


def test_synonyms_typos_and_left_out_adverbs_are_all_made(table):
    found = paraphrases(CLAIM, random.Random(0))
    texts = {v.text for v in found}
    assert CLAIM.replace("compared", "contrasted") in texts
    assert CLAIM.replace("significantly ", "") in texts
    misspelt = [v.after for v in found if v.before == "ketamine" and v.after != "ketamine"]
    assert misspelt and sorted(misspelt[0]) == sorted("ketamine")


def test_a_capitalised_word_or_a_polar_one_is_left_alone(table):
    claim = "Krupitsky reported that relapse was lower below the threshold."
    for variant in paraphrases(claim, random.Random(1)):
        assert "Krupitsky" in variant.text and "lower" in variant.text
    assert {"below", "lower"} <= POLAR and "not" in FIXED


def test_a_misspelling_exchanges_two_adjacent_letters_of_a_long_word(table):
    for seed in range(20):
        for variant in paraphrases("The participants remained abstinent.", random.Random(seed)):
            if is_misspelling(variant):
                assert len(variant.before) >= module.TYPO_LENGTH
                differ = [i for i, (a, b) in enumerate(zip(variant.before, variant.after)) if a != b]
                assert len(differ) == 2 and differ[1] == differ[0] + 1


def test_the_same_seed_gives_the_same_variants(table):
    assert paraphrases(CLAIM, random.Random(3)) == paraphrases(CLAIM, random.Random(3))
