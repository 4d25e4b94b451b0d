"""qa.decision.focus: the uncovered-focus-term veto, with a fake scorer."""

from __future__ import annotations

import numpy as np
import pytest

from qa.decision.focus import META_WORDS, corrects_premise, uncovered_focus_terms

# -- uncovered_focus_terms ---------------------------------------------------------------------------

SENTENCE = "In a randomized clinical trial, a single ketamine infusion plus therapy led to more abstinence."
BEST = 1.0


class FakeScorer:
    """Scores a reduced question BEST + gain, where gain is set per removed word; records its calls."""

    def __init__(self, gains: dict[str, float], default: float = 0.0):
        self.gains, self.default = gains, default
        self.calls: list[tuple[list[str], str]] = []

    def __call__(self, questions: list[str], sentence: str) -> np.ndarray:
        self.calls.append((list(questions), sentence))
        values = []
        for question in questions:
            removed = [word for word in self.gains if word not in question.split()]
            values.append(BEST + (self.gains[removed[0]] if removed else self.default))
        return np.array(values, dtype=np.float32)


def df_with(absent: set[str]):
    """`in_corpus` for a corpus holding every token except the `absent` ones."""
    return lambda token: token not in absent


def test_an_absent_word_the_sentence_ignores_is_reported():
    scorer = FakeScorer({"cannabis": 3.0})
    question = "Does ketamine help cannabis use disorder?"
    found = uncovered_focus_terms(question, SENTENCE, BEST, df_with({"cannabis"}), scorer, margin=2.0)
    assert found == ["cannabis"]
    assert scorer.calls == [(["Does ketamine help   use disorder?"], SENTENCE)]


def test_gain_exactly_at_the_margin_is_reported_and_below_is_not():
    question = "Does ketamine help cannabis use disorder?"
    assert uncovered_focus_terms(question, SENTENCE, BEST, df_with({"cannabis"}), FakeScorer({"cannabis": 2.0}), 2.0) == [
        "cannabis"
    ]
    assert uncovered_focus_terms(question, SENTENCE, BEST, df_with({"cannabis"}), FakeScorer({"cannabis": 1.99}), 2.0) == []


def test_an_absent_word_that_does_not_change_the_score_is_not_reported():
    question = "Does ketamine reduce cravings in the Dakwar trial?"
    found = uncovered_focus_terms(question, SENTENCE, BEST, df_with({"dakwar"}), FakeScorer({"Dakwar": -1.0}), 2.0)
    assert found == []


def test_several_absent_words_each_judged_on_its_own():
    scorer = FakeScorer({"cannabis": 4.0, "nicotine": 0.5})
    question = "Does ketamine help cannabis or nicotine dependence?"
    found = uncovered_focus_terms(question, SENTENCE, BEST, df_with({"cannabis", "nicotine"}), scorer, 2.0)
    assert found == ["cannabis"]
    (questions, _), = scorer.calls
    assert questions == ["Does ketamine help   or nicotine dependence?", "Does ketamine help cannabis or   dependence?"]


def test_a_follow_up_is_judged_by_the_words_it_asked_not_those_its_standalone_form_borrowed():
    # "Why?" read as "Why? (church useful)": the earlier question's words were judged with it.
    scorer = FakeScorer({"church": 3.0})
    found = uncovered_focus_terms("Why? (church useful)", SENTENCE, BEST, df_with({"church"}), scorer, 2.0, asked="Why?")
    assert found == [] and scorer.calls == []
    # "What about cannabis?" read as the earlier question about cannabis: the new subject is asked.
    standalone = "Does ketamine help cannabis use disorder?"
    scorer = FakeScorer({"cannabis": 3.0})
    assert uncovered_focus_terms(standalone, SENTENCE, BEST, df_with({"cannabis"}), scorer, 2.0, asked="What about cannabis?") == [
        "cannabis"
    ]
    assert scorer.calls == [(["Does ketamine help   use disorder?"], SENTENCE)]


@pytest.mark.parametrize("meta", ["paper", "documents", "overview", "Authors", "study"])
def test_a_meta_word_is_never_reported(meta):
    scorer = FakeScorer({meta: 10.0})
    question = f"What does the {meta} say about ketamine?"
    found = uncovered_focus_terms(question, SENTENCE, BEST, df_with({meta.lower()}), scorer, 2.0)
    assert found == []
    assert scorer.calls == []  # nothing absent but the meta word: the scorer is not even asked
    assert meta.lower() in META_WORDS


def test_a_word_present_in_the_corpus_is_never_reported():
    scorer = FakeScorer({"cocaine": 10.0})
    question = "What dose was used in the cocaine trial?"
    assert uncovered_focus_terms(question, SENTENCE, BEST, df_with(set()), scorer, 2.0) == []
    assert scorer.calls == []


def test_stop_words_and_numbers_are_never_focus_terms():
    scorer = FakeScorer({"what": 10.0, "2030": 10.0})
    question = "what about cannabis in 2030"
    found = uncovered_focus_terms(question, SENTENCE, BEST, lambda token: False, scorer, 2.0)
    assert found == []
    assert scorer.calls == [(["what about   in 2030"], SENTENCE)]  # only "cannabis" was tried


def test_everyday_question_verbs_are_never_focus_terms():
    # "find" is absent from a corpus that says "found"; it is how the question is phrased, not its subject
    scorer = FakeScorer({"find": 10.0, "cannabis": 3.0})
    question = "What did the cannabis trial find?"
    found = uncovered_focus_terms(question, SENTENCE, BEST, df_with({"find", "cannabis"}), scorer, 2.0)
    assert found == ["cannabis"]
    assert scorer.calls == [(["What did the   trial find?"], SENTENCE)]


def test_a_word_is_removed_as_a_whole_word_only():
    scorer = FakeScorer({"cannabis": 3.0})
    question = "Is cannabis like cannabinoids?"
    uncovered_focus_terms(question, SENTENCE, BEST, df_with({"cannabis"}), scorer, 2.0)
    (questions, _), = scorer.calls
    assert questions == ["Is   like cannabinoids?"]


def test_number_words_are_never_focus_terms():
    # "the two documents": a quantity, not what the question is about
    scorer = FakeScorer({"two": 5.0})
    question = "What do the two documents say about heroin?"
    assert uncovered_focus_terms(question, SENTENCE, BEST, df_with({"two"}), scorer, 1.0) == []
    assert scorer.calls == []


# -- corrects_premise --------------------------------------------------------------------------------

DENIAL = "There is no FDA-approved medication for cocaine use disorder; ketamine is being studied as a potential option."


def test_a_sentence_that_denies_the_questions_premise_corrects_it():
    assert corrects_premise("Since ketamine is FDA-approved for cocaine use disorder, what dose is approved?", DENIAL)
    assert corrects_premise("Is there an FDA-approved medication for cocaine use disorder?", DENIAL)


def test_a_denial_of_something_else_or_no_denial_does_not():
    assert not corrects_premise("What dose of ketamine is used for depression?", DENIAL)  # shares only "ketamine", not in the clause
    assert not corrects_premise("Is ketamine FDA-approved for depression?", DENIAL)  # one shared word of five
    assert not corrects_premise(
        "Since ketamine is FDA-approved for cocaine use disorder, what dose is approved?",
        "A single ketamine infusion led to more abstinence in cocaine use disorder.",
    )


# -- WordVectors -------------------------------------------------------------------------------------


def test_word_vectors_encode_each_word_once():
    from qa.decision.focus import WordVectors

    calls = []

    def encode(words):
        calls.append(list(words))
        return np.array([[float(len(w)), 1.0] for w in words])

    vectors = WordVectors(encode, limit=3)
    assert vectors(["abc", "de", "abc"]).tolist() == [[3.0, 1.0], [2.0, 1.0], [3.0, 1.0]]
    assert vectors(["de", "fghi"]).tolist() == [[2.0, 1.0], [4.0, 1.0]]
    assert calls == [["abc", "de"], ["fghi"]]
    vectors(["j", "k"])  # past the limit: the cache starts over
    vectors(["abc"])
    assert calls[-1] == ["abc"]
