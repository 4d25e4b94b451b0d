"""qa.text.abbreviations: acronyms the corpus defines and abbreviated journal titles, spelled out."""

from __future__ import annotations

from qa.text.abbreviations import expand_acronyms, expand_journal_names, find_acronyms


def test_acronyms_the_text_defines():
    text = "Alcohol Use Disorder (AUD) is common. Key findings (AUD) follow. Opioid Use Disorder (OUD)."
    assert find_acronyms(text) == {"AUD": "Alcohol Use Disorder", "OUD": "Opioid Use Disorder"}
    assert expand_acronyms("96 people with severe AUD", {"AUD": "Alcohol Use Disorder"}) == (
        "96 people with severe AUD (Alcohol Use Disorder)"
    )
    already = "Alcohol Use Disorder (AUD) trial"
    assert expand_acronyms(already, {"AUD": "Alcohol Use Disorder"}) == already


def test_a_journal_title_in_a_citation_is_spelled_out():
    text = "A 2022 trial (Grabski et al., Am J Psychiatry. 2022;179(2):152-162) of 96 people"
    assert expand_journal_names(text) == (
        "A 2022 trial (Grabski et al., Am J Psychiatry (American Journal Psychiatry). 2022;179(2):152-162) of 96 people"
    )
    reference = "[2] DeWilde KE. The Promise: Future Directions. Ann N Y Acad Sci. 2015;1345:47-58."
    assert "Ann N Y Acad Sci (Annals New York Academy Sciences). 2015;" in expand_journal_names(reference)


def test_only_when_the_question_uses_a_spelled_out_word():
    text = "(Dakwar et al., Am J Psychiatry. 2019;176(11):923-930)"
    assert "American Journal" in expand_journal_names(text, "Which trials appeared in the American Journal of Psychiatry?")
    assert expand_journal_names(text, "How many patients were enrolled?") == text


def test_text_without_an_abbreviated_citation_is_unchanged():
    for text in ("In Lancet. 2020; a note", "More research is needed.", "Psychiatry. 2020; no abbreviation"):
        assert expand_journal_names(text) == text


def test_an_acronym_the_claim_spells_out_by_its_initials_is_followed_by_the_claims_words():
    from qa.text.abbreviations import spell_out_initials

    claim = "The trial enrolled 96 people with severe alcohol use disorder."
    assert spell_out_initials("96 people with severe AUD found", claim) == "96 people with severe AUD (alcohol use disorder) found"
    assert spell_out_initials("The FDA approved none.", claim) == "The FDA approved none."  # the claim spells no F-D-A
    assert spell_out_initials("Two SUDs were studied.", "Two substance use disorders were studied.") == (
        "Two SUDs (substance use disorders) were studied."
    )
