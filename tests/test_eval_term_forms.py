"""The key-term veto's reading of a claim's terms as a passage writes them: a shortened span of
years, and the sentence a claim copies (a run of page text left whole is none)."""

from __future__ import annotations

from qa.eval.support import missing_terms
from qa.eval.term_veto import swapped_terms


def test_a_shortened_span_of_years_is_both_years():
    passage = "The name change takes place over the 2018-2019 academic year."
    assert missing_terms("It takes place during the 2018\u201319 academic year.", [passage]) == []
    assert missing_terms("It takes place in 2019.", ["It takes place in the 2018-19 academic year."]) == []
    assert missing_terms("The 1999-00 season.", ["The 1999-2000 season."]) == []
    assert missing_terms("It takes place during the 2018-20 academic year.", [passage]) == ["2020"]
    assert missing_terms("Williams led 10-7.", ["Williams led 10-7 overnight."]) == []  # a score, not years
    assert missing_terms("Williams led 10-8.", ["Williams led 10-7 overnight."]) == ["8"]


def test_a_run_of_page_text_left_whole_is_no_sentence_a_claim_copies():
    # Sentence splitting leaves a page's menus and listings whole: such a run holds most words of
    # any claim on its topic, and other names, without the claim copying it.
    page = (
        "Home News Awards Nominations Kate Winslet Outstanding Guest Actress Comedy Series Extras BBC 2006 "
        "Golden Globe Reader Revolutionary Road Little Children Finding Neverland Titanic Sense Sensibility "
        "Iris Holiday Contagion Steve Jobs Mildred Pierce HBO Miniseries Lead Actress Dressmaker Wonder Wheel "
        "Ammonite Avatar Divergent Insurgent Quills Jude Enigma Flushed Away Romance Cigarettes"
        ". The role earned her an Emmy in 2011."
    )
    claim = "Kate Winslet was nominated for Outstanding Guest Actress in a Comedy Series for Extras on the BBC, an Emmy."
    apart, swapped = swapped_terms(claim, page)
    assert apart == ["Emmy"] and swapped == []
    # A claim that copies a sentence and changes a name still swaps it.
    sentence = "Kate Winslet won Outstanding Guest Actress in a Comedy Series for Extras on HBO."
    copied = sentence.replace("HBO", "BBC")
    assert swapped_terms(copied, sentence + " The BBC aired it.")[1] == ["BBC"]
