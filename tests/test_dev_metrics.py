"""qa.eval.dev_metrics: the dev README's scoring rules (normalise, hit, doc_hit)."""

from __future__ import annotations

from qa.eval.dev_metrics import holds_gold_text, is_doc_hit, is_hit, normalise


def test_normalise_drops_case_punctuation_articles_and_spaces():
    assert normalise("The  Ottoman Caliphate, in 1924!") == "ottoman caliphate in 1924"
    assert normalise("An apple a day") == "apple day"


def test_hit_when_a_gold_answer_is_contained():
    assert is_hit("It was abolished in 1924 [1]", ["1924"])
    assert is_hit("the abolition of the Ottoman Caliphate.", ["Ottoman caliphate"])


def test_no_hit_for_other_text_or_a_part_of_a_word():
    assert not is_hit("It was abolished in 1923 [1]", ["1924"])
    assert not is_hit("She knows the way.", ["no"])  # tokens, not substrings


def test_hit_by_most_of_a_gold_text():
    gold = "Then she looked on the floor behind the desk"
    assert holds_gold_text("She looked on the floor behind a desk, then left.", gold)
    assert not holds_gold_text("She looked at the desk.", gold)
    assert is_hit("Then she looked on the floor behind the desk [1]", ["on the floor under it"], [gold])


def test_gold_text_counts_repeated_tokens():
    assert not holds_gold_text("very", "very very very good")


def test_doc_hit_by_file_name_or_relative_path():
    assert is_doc_hit(["Islamism.txt"], ["Islamism.txt"])
    assert is_doc_hit(["sub/Islamism.txt", "Warsaw.txt"], ["Islamism.txt"])
    assert not is_doc_hit(["Warsaw.txt"], ["Islamism.txt"])
    assert not is_doc_hit([], ["Islamism.txt"])
