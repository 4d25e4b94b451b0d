"""Content words, the word-overlap baseline and the choice of best evidence sentences
(`qa.eval.words`)."""

from __future__ import annotations

from qa.eval.words import best_sentences, content_words, stem, word_overlap


def test_content_words_drop_stop_words_and_fold_inflections():
    assert content_words("The infusions were given to 96 patients.") == ["infusion", "given", "96", "patient"]
    assert stem("reduced") == stem("reduces") == "reduc" and stem("news") == "news"
    assert "not" in content_words("It is not approved.")  # negation is content


def test_word_overlap_is_the_share_of_claim_words_in_the_evidence():
    assert word_overlap("Ketamine reduces cravings.", ["Ketamine reduced the cravings of patients."]) == 1.0
    assert word_overlap("Ketamine cures depression.", ["Ketamine reduced cravings."]) == 1 / 3
    assert word_overlap("the and of", ["anything"]) == 1.0  # nothing to contradict


def test_best_sentences_are_chosen_greedily_for_new_words():
    claim = set(content_words("Ketamine reduced cravings in a trial of 96 people"))
    sentences = [set(content_words(s)) for s in ("Weather is fine.", "Ketamine reduced cravings.", "A trial of 96 people.", "Cravings again.")]
    assert best_sentences(claim, sentences, k=3) == [1, 2]  # the fourth adds nothing new
    assert best_sentences(claim, sentences, k=1) == [1]
    assert best_sentences(set(), sentences) == []
