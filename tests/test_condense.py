"""qa.conversation.condense: follow-ups rewritten into standalone questions, with a fake encoder (hand-set concept
vectors) and a fake document frequency; one test with the real embedder and the corpus index."""

from __future__ import annotations

import re
import zlib

import numpy as np
import pytest

from qa.answer import REFUSAL
from qa.conversation.condense import COMMON_TERM_SHARE, condense, condense_how
from qa_fixtures import corpus_index, loaded_index  # noqa: F401  (fixtures)

# Concept axes: a substance axis shared by the drugs, one axis per drug, and a few topic axes.
AXES = ["substance", "alcohol", "cocaine", "opioid", "trial", "dose", "ketamine", "use", "disorder"]
WORD_CONCEPTS = {
    "alcohol": ["substance", "alcohol"],
    "cocaine": ["substance", "cocaine"],
    "opioids": ["substance", "opioid"],
    "heroin": ["substance", "opioid"],
    "trial": ["trial"],
    "dose": ["dose"],
    "ketamine": ["ketamine"],
    "esketamine": ["ketamine"],
    "used": ["use"],
    "use": ["use"],
    "disorder": ["disorder"],
}
DIMENSION = 64


def _word_vector(word: str) -> np.ndarray:
    vector = np.zeros(DIMENSION)
    concepts = WORD_CONCEPTS.get(word)
    if concepts:
        for concept in concepts:
            vector[AXES.index(concept)] += 1.0
    else:  # any other word: its own axis, far from every concept
        vector[len(AXES) + zlib.crc32(word.encode()) % (DIMENSION - len(AXES))] = 1.0
    return vector


class FakeEncoder:
    """Unit vectors: the normalised sum of the concept vectors of a text's words. Records its calls."""

    def __init__(self):
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rows = []
        for text in texts:
            vector = sum(_word_vector(word) for word in re.findall(r"[a-z0-9]+", text.lower()))
            rows.append(vector / np.linalg.norm(vector))
        return np.array(rows)


def fake_df(common: dict[str, float] | None = None):
    """Document frequency: `ketamine` in 90% of chunks (the corpus subject), everything else rare."""
    shares = {"ketamine": 0.9, "use": 0.75, "disorder": 0.92, **(common or {})}
    return lambda term: shares.get(term, 0.2)


ALCOHOL_DOSE = "What dose of ketamine was used in the alcohol trial?"


def user(text: str) -> dict:
    return {"role": "user", "content": text}


def assistant(text: str) -> dict:
    return {"role": "assistant", "content": text}


@pytest.fixture
def encode() -> FakeEncoder:
    return FakeEncoder()


# -- no rewriting -------------------------------------------------------------------------------------


def test_no_history_leaves_the_question_unchanged(encode):
    assert condense("What about cocaine?", None, encode, fake_df()) == "What about cocaine?"
    assert condense("What about cocaine?", [], encode, fake_df()) == "What about cocaine?"
    assert encode.calls == []


def test_history_without_user_turns_leaves_the_question_unchanged(encode):
    history = [assistant("Hello! Ask me about the documents."), user("   ")]
    assert condense("In which journal was it published?", history, encode, fake_df()) == "In which journal was it published?"


@pytest.mark.parametrize(
    "question",
    [
        "How many people with severe alcohol use disorder were in the Grabski trial?",
        "Which psychotherapy was paired with ketamine for cocaine use disorder?",
        # a pronoun, but more than three content words of its own: it stands alone
        "Was it published in the American Journal of Psychiatry in 2022?",
    ],
)
def test_a_standalone_question_after_history_is_unchanged(encode, question):
    assert condense(question, [user(ALCOHOL_DOSE), assistant("...")], encode, fake_df()) == question
    assert encode.calls == []


# -- "what about X" ----------------------------------------------------------------------------------


@pytest.mark.parametrize("follow_up", ["What about cocaine?", "How about cocaine?", "And what about cocaine?", "And for cocaine?"])
def test_what_about_replaces_the_most_similar_telling_phrase(encode, follow_up):
    standalone = condense(follow_up, [user(ALCOHOL_DOSE), assistant("...")], encode, fake_df())
    assert standalone == "What dose of ketamine was used in the cocaine trial?"


def test_what_about_compares_the_subject_with_telling_spans_only(encode):
    condense("What about cocaine?", [user(ALCOHOL_DOSE)], encode, fake_df())
    (texts,) = encode.calls
    assert texts[0] == "cocaine"
    # runs of telling words: [dose], [used], [alcohol, trial] -> every 1-3 word span of each run
    assert texts[1:] == ["dose", "used", "alcohol", "trial", "alcohol trial"]


def test_the_common_term_is_never_replaced(encode):
    # "esketamine" is most similar to "ketamine", but ketamine is in over half the chunks
    standalone = condense("What about esketamine?", [user(ALCOHOL_DOSE)], encode, fake_df())
    assert standalone == "What dose of ketamine was used in the alcohol trial esketamine?"
    assert "ketamine" not in encode.calls[0][1:]


def test_common_term_boundary(encode):
    at_share = fake_df({"ketamine": COMMON_TERM_SHARE})
    assert condense("What about esketamine?", [user(ALCOHOL_DOSE)], encode, at_share) == (
        "What dose of esketamine was used in the alcohol trial?"
    )
    above_share = fake_df({"ketamine": COMMON_TERM_SHARE + 0.01})
    assert condense("What about esketamine?", [user(ALCOHOL_DOSE)], encode, above_share) == (
        "What dose of ketamine was used in the alcohol trial esketamine?"
    )


def test_a_subject_unlike_every_phrase_is_appended(encode):
    standalone = condense("What about insurance?", [user(ALCOHOL_DOSE)], encode, fake_df())
    assert standalone == "What dose of ketamine was used in the alcohol trial insurance?"


# -- pronouns and bare follow-ups --------------------------------------------------------------------


def test_a_pronoun_follow_up_gets_the_previous_content_words(encode):
    standalone = condense("In which journal was it published?", [user(ALCOHOL_DOSE), assistant("...")], encode, fake_df())
    assert standalone == "In which journal was it published? (dose ketamine used alcohol trial)"
    assert encode.calls == []


def test_a_the_study_reference_gets_the_previous_content_words(encode):
    standalone = condense("Who ran the trial?", [user("Which psychotherapy was paired with ketamine for cocaine?")], encode, fake_df())
    assert standalone == "Who ran the trial? (psychotherapy paired ketamine cocaine)"


def test_a_question_with_no_content_words_gets_the_previous_content_words(encode):
    assert condense("Why?", [user(ALCOHOL_DOSE)], encode, fake_df()) == "Why? (dose ketamine used alcohol trial)"


@pytest.mark.parametrize(
    "question",
    ["And how long did each infusion take?", "And what was the dose?", "And was it published?", "And did it work?"],
)
def test_and_followed_by_a_question_is_not_a_what_about_swap(encode, question):
    standalone = condense(question, [user(ALCOHOL_DOSE)], encode, fake_df())
    assert standalone.startswith(question)
    assert encode.calls == []


def test_an_opening_connective_makes_a_short_question_a_follow_up(encode):
    question = "And how long did each infusion take?"
    assert condense(question, [user(ALCOHOL_DOSE)], encode, fake_df()) == f"{question} (dose ketamine used alcohol trial)"
    fit = condense("So where does ketamine fit in?", [user("Is there an FDA-approved medication for cocaine use disorder?")], encode, fake_df())
    assert fit == "So where does ketamine fit in? (FDA-approved medication cocaine use disorder)"


def test_an_opening_connective_does_not_touch_a_question_that_stands_alone(encode):
    question = "So what dose of ketamine did the cocaine use disorder trial give?"
    assert condense(question, [user(ALCOHOL_DOSE)], encode, fake_df()) == question


def test_a_subject_repeating_a_previous_word_swaps_only_the_new_word(encode):
    standalone = condense("And the cocaine trial?", [user(ALCOHOL_DOSE)], encode, fake_df())
    assert standalone == "What dose of ketamine was used in the cocaine trial?"
    assert encode.calls[0][0] == "cocaine"


# -- several turns -----------------------------------------------------------------------------------


def test_three_turns_condense_cumulatively(encode):
    history = [
        user(ALCOHOL_DOSE),
        assistant("A 2022 Phase 2 trial ... (0.8 mg/kg over 40 minutes) ... [1]"),
        user("What about cocaine?"),
        assistant("I can't answer that from the documents."),
    ]
    assert condense("And for opioids?", history, encode, fake_df()) == "What dose of ketamine was used in the opioids trial?"
    history += [user("And for opioids?"), assistant("...")]
    assert condense("In which journal was it published?", history, encode, fake_df()) == (
        "In which journal was it published? (dose ketamine used opioids trial)"
    )


def test_assistant_turns_are_not_condensed(encode):
    history = [user(ALCOHOL_DOSE), assistant("What about cocaine?")]
    assert condense("What about heroin?", history, encode, fake_df()) == "What dose of ketamine was used in the heroin trial?"


# -- the real embedder -------------------------------------------------------------------------------


def test_what_about_cocaine_with_the_real_embedder(embedder, loaded_index):
    history = [user("What dose of ketamine was used in the alcohol use disorder trial?"), assistant("...")]
    standalone = condense("What about cocaine?", history, embedder.encode, loaded_index.bm25.document_frequency)
    assert "cocaine" in standalone
    assert "alcohol" not in standalone
    assert standalone.startswith("What dose of ketamine was used in the ")


def test_condense_how_says_how_the_question_was_made(encode):
    history = [user(ALCOHOL_DOSE), assistant("...")]
    assert condense_how("What about cocaine?", history, encode, fake_df())[1] == "swapped"
    assert condense_how("In which journal was it published?", history, encode, fake_df())[1] == "appended"
    assert condense_how("Is ketamine FDA-approved for cocaine use disorder?", history, encode, fake_df())[1] == "unchanged"
    assert condense_how("What about cocaine?", None, encode, fake_df()) == ("What about cocaine?", "unchanged")


def test_words_the_documents_lack_are_not_carried_into_a_follow_up(encode):
    absent = {"cost"}
    history = [user("How much does a ketamine infusion cost?"), assistant(REFUSAL)]
    standalone = condense("What dose is used for it?", history, encode, lambda term: 0.0 if term in absent else 0.1)
    assert "ketamine infusion" in standalone and "cost" not in standalone


def test_an_answered_question_lends_all_its_words_whatever_the_documents_hold(encode):
    # Over one short story most words of a fair question are absent from the index: all are kept.
    history = [user("Was it useful to him?"), assistant("yes")]
    standalone = condense("Why?", history, encode, lambda term: 0.0 if term == "useful" else 0.1)
    assert standalone == "Why? (useful)"
