"""A proper name held by another of its forms (`qa.eval.name_forms`, read by the key-term veto).

Logic on the shipped WordNet table (`qa/eval/name_forms.json`) and on a few lines of WordNet's
format for the script that builds it; no model.
"""

from __future__ import annotations

from qa.eval.name_forms import other_form_words
from qa.eval.term_veto import term_check


def test_a_name_is_held_by_its_adjective_and_by_its_other_names():
    assert other_form_words("the 2011 Libyan civil war", "a page on Libya") == {"libyan": 1}
    assert other_form_words("the United States National Film Registry", "American films") == {"united": 1, "states": 1}
    assert other_form_words("the 2016 Olympics", "the 2016 Olympic Games")["olympics"] == 1
    assert other_form_words("The FDA approved it.", "the Food and Drug Administration") == {"fda": 1}


def test_only_a_name_of_the_claim_is_held_and_only_by_a_name():
    # A surname names many people: a passage's "Williams" holds no first name of the claim.
    assert other_form_words("Roger Federer won", "Williams won") == {}
    assert other_form_words("the US trial", "Let us see") == {}  # the pronoun, not the country
    assert other_form_words("the US trial", "a trial in America") == {"us": 1}
    assert other_form_words("the 2011 Libyan civil war", "a page on libya") == {}  # a name opens with a capital


def test_the_key_term_veto_counts_a_name_in_another_form():
    claim = "He was killed during the 2011 Libyan civil war."
    passage = "He was killed in Misrata, Libya, in 2011, while covering the civil war."
    assert term_check(claim, [passage]) == ([], [])
    assert term_check("The FDA approved it in 2019.", ["The Food and Drug Administration approved it in 2019."]) == ([], [])
    # Another name is still another name: "Libyan" is not held by a page on Tunisia.
    missing, absent = term_check(claim, ["He was killed in Tunis, Tunisia, in 2011, while covering the civil war."])
    assert "Libyan" in absent


def test_the_name_forms_table_is_built_from_wordnet_files(tmp_path):
    from bench.fit.name_forms import name_forms

    header = "  1 This software and database is being provided to you, the LICENSEE, by Princeton University\n"
    (tmp_path / "data.noun").write_text(
        header
        + "00000001 15 n 03 Libya 0 Great_Socialist_People's_Libyan_Arab_Jamahiriya 0 LBY 0 000 | a country\n"
        + "00000002 15 n 02 desert 0 waste 0 000 | a common noun: no name\n",
        encoding="latin-1",
    )
    (tmp_path / "data.adj").write_text(
        header + "00000003 01 a 01 Libyan 0 001 \\ 00000001 n 0101 | of or relating to Libya\n", encoding="latin-1"
    )
    forms = name_forms(tmp_path)
    assert forms["libyan"] == ["LBY", "libya"]  # the pertainym's target and its synset-mate, not the six-word lemma
    assert "LBY" in forms["libya"] and "libyan" in forms["libya"]
    assert "desert" not in forms and "waste" not in forms
