"""qa.text.wording: one typo respelt, the case and closing mark made canonical, nothing else changed."""

from __future__ import annotations

import pytest

from qa.text.wording import CorpusVocabulary, normalise, one_edit, respelt

CORPUS = [
    "Ketamine was given to patients with alcohol use disorder. In the trial by Dakwar, ketamine "
    "was infused once. Ketamine is not approved for addiction; its use is off-label.",
    "Grabski and colleagues found more days abstinent with ketamine than with placebo.",
]


@pytest.fixture(scope="module")
def vocabulary() -> CorpusVocabulary:
    return CorpusVocabulary(CORPUS)


def test_one_edit_holds_each_kind_of_edit():
    near = one_edit("alcohol")
    assert {"alchool", "alcohl", "alcohool", "alcahol"} <= near  # swap, drop, add, change
    assert "alcohol" in near  # a letter "changed" to itself


@pytest.mark.parametrize("typed, meant", [
    ("ketmaine", "ketamine"),  # two neighbours swapped; a corpus word English does not know
    ("alchohol", "alcohol"),  # a letter added
    ("approvd", "approved"),  # a letter dropped
    ("abstinant", "abstinent"),  # a letter changed
    ("desrcibe", "describe"),  # not in the corpus: everyday English
    ("ketamien", "ketamine"),
    ("infsued", "infused"),
])
def test_a_word_one_edit_from_a_known_word_is_respelt(vocabulary, typed, meant):
    assert respelt(typed, vocabulary) == meant


@pytest.mark.parametrize("word", [
    "ketamine",  # the corpus's own
    "heroin",  # English, though one edit from "heroic"
    "Zelenskyy".lower(),  # a name neither knows, with no known word one edit away
    "dose",  # too short to guess from
    "vaping",  # newer than the English table: one letter from "raping", "gaping", "taping"
    "vapes",
])
def test_a_known_or_unguessable_word_is_kept(vocabulary, word):
    assert respelt(word, vocabulary) is None


def test_a_word_typed_without_vowels_is_read_as_the_commonest_corpus_word_it_spells():
    vocabulary = CorpusVocabulary(["People with a pupil dilated; people said so. Over two years, people improved."])
    assert respelt("ppl", vocabulary) == "people"  # "pupil" spells "ppl" too, but is rarer here
    assert respelt("yrs", vocabulary) == "years"
    assert normalise("how do ppl feel after two yrs", vocabulary) == "How do people feel after two years?"
    assert respelt("lsd", vocabulary) is None  # an acronym in lower case: no corpus word spells it
    # English's commonest word for "pls" is "please", not the corpus's "plus": left as typed
    assert respelt("pls", CorpusVocabulary(["Therapy plus ketamine."])) is None
    assert respelt("pst", vocabulary) is None  # "post" is English, not the corpus's
    assert respelt("pp", vocabulary) is None  # two letters spell too many words


def test_a_question_as_typed_three_ways_reads_the_same(vocabulary):
    typed = "What did the trial by Dakwar find about ketamine?"
    assert normalise(typed, vocabulary) == typed
    assert normalise("what did the trial by dakwar find about ketamine", vocabulary) == typed
    assert normalise("What did the trial by Dakwar find about ketmaine?", vocabulary) == typed


def test_capitals_typed_are_kept_and_a_name_neither_knows_is_capitalised_in_lower_case(vocabulary):
    assert normalise("Is KETAMINE approved?", vocabulary) == "Is KETAMINE approved?"
    assert normalise("did grabski or zelenskyy study it", vocabulary) == "Did Grabski or Zelenskyy study it?"


def test_a_word_the_corpus_capitalises_only_opening_a_sentence_is_no_name():
    # A reference's "Published 2018 Aug 2." is the corpus's only "published": an everyday word, not
    # a name, so a question typed in lower case keeps it in lower case. "Dakwar" is capitalised inside
    # a sentence, "Grabski" only opens one but English does not know it: both names.
    vocabulary = CorpusVocabulary([
        "Front Mol Neurosci. 2018;11:235. Published 2018 Aug 2.",
        "In a trial (Dakwar et al.) ketamine was infused once.",
        "Grabski and colleagues found more days abstinent.",
    ])
    assert not vocabulary.is_name("published")
    assert vocabulary.is_name("dakwar") and vocabulary.is_name("grabski")
    assert normalise("what journal published the dakwar and grabski trials", vocabulary) == (
        "What journal published the Dakwar and Grabski trials?"
    )


def test_the_closing_mark_is_one_question_mark(vocabulary):
    assert normalise("Tell me about the trial.", vocabulary) == "Tell me about the trial?"
    assert normalise("Is it approved?!  ", vocabulary) == "Is it approved?"
    assert normalise("?!", vocabulary) == "?!"  # nothing to ask: left as typed for the chain to refuse


def test_possessives_and_accents_survive(vocabulary):
    assert normalise("What was Dakwar's ketmaine dose?", vocabulary) == "What was Dakwar's ketamine dose?"
    assert normalise("Who is Beyoncé?", vocabulary) == "Who is Beyoncé?"


# The real chain over the project's corpus: the question as typed, in lower case without its mark,
# with one typo in a long word, or with a word typed without its vowels gets the same decision and
# the same first quote.
from qa_fixtures import DOSE_QUESTION, corpus_index  # noqa: E402,F401


@pytest.mark.parametrize("question, variants", [
    (DOSE_QUESTION, ["what dose of ketamine was used in the alcohol trial",
                     "What dose of ketamine was used in the alchool trial?",
                     "What dose of ketmaine was used in the alcohol trial?"]),
    ("Is ketamine approved for treating addiction?", ["is ketamine approved for treating addiction",
                                                       "Is ketamine aproved for treating addiction?"]),
    ("How do people with alcohol problems respond to ketamine?", ["how do ppl with alcohol problems respond to ketamine"]),
    # "published" opens a reference's sentence only ("Published 2018 Aug 2."): no name in lower case
    ("What journal published the cocaine study?", ["what journal published the cocaine study"]),
])
def test_the_chain_answers_a_question_typed_three_ways_alike(corpus_index, question, variants):  # noqa: F811
    from qa import ask

    def decision(text):
        answer = ask(text, index=corpus_index)
        first = answer.citations[0] if answer.citations else None
        return answer.refused, (first.source, first.start) if first else None, answer.question

    refused, first, _ = decision(question)
    assert not refused and first is not None
    for variant in variants:
        assert decision(variant) == (refused, first, variant)  # the answer shows the question as typed


def test_the_switch_off_reads_the_question_as_typed(corpus_index):  # noqa: F811
    from qa.answering import trace

    turn, _ = trace("What dose of ketmaine was used in the alcohol trial", index=corpus_index, normalise_wording=False)
    assert turn.reading.normalised == turn.question == "What dose of ketmaine was used in the alcohol trial"
    turn, _ = trace("What dose of ketmaine was used in the alcohol trial", index=corpus_index)
    assert turn.reading.normalised == "What dose of ketamine was used in the alcohol trial?"


def test_a_word_the_documents_never_use_is_respelt_only_by_a_swap():
    vocabulary = CorpusVocabulary(CORPUS)
    assert respelt("becuase", vocabulary) == "because"  # two neighbours swapped
    assert respelt("becase", vocabulary) is None  # a letter dropped: English, not the corpus
    assert respelt("alcohl", vocabulary) == "alcohol"  # the corpus's own word: any one edit


def test_a_swap_goes_before_a_commoner_word_one_letter_away():
    vocabulary = CorpusVocabulary(["It was stated that the state of the state had a state."])
    assert respelt("statde", vocabulary) == "stated"
