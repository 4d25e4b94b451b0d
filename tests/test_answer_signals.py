"""qa.decision.answer_signals: what each signal reads, on hand-made sentences and a tiny index (no models)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qa.decision.answer_signals import SIGNALS, answer_signals, asked_kind, holds_kind, question_names, weighted_cover
from qa.text.bm25 import BM25

DOC_A = "Warsaw is the capital of Poland. It was founded in the 13th century. The city has 1.7 million people."
DOC_B = "Kraków was the capital until 1596. The Wawel castle stands there."


def _index():
    chunks = [
        SimpleNamespace(source="a.txt", title="Warsaw", text=DOC_A, start=0),
        SimpleNamespace(source="b.txt", title="Kraków", text=DOC_B, start=0),
    ]
    return SimpleNamespace(chunks=chunks, bm25=BM25([f"{c.title}\n{c.text}" for c in chunks]))


def _candidate(index, n, text):
    chunk = index.chunks[n]
    return SimpleNamespace(chunk=chunk, text=text, heading=None, start=chunk.text.index(text))


def _signals(question, texts_scores, rescore=None):
    index = _index()
    sentences = [_candidate(index, n, text) for n, text, _ in texts_scores]
    scores = [score for _, _, score in texts_scores]
    passages = [(index.chunks[0], max(scores))]
    return answer_signals(question, sentences, scores, passages, index, rescore)


def test_every_signal_is_reported():
    signals = _signals("When was Warsaw founded?", [(0, "It was founded in the 13th century.", 5.0)])
    assert set(signals) == set(SIGNALS)


def test_no_sentences_gives_the_lowest_scores():
    index = _index()
    signals = answer_signals("When was Warsaw founded?", [], [], [], index)
    assert signals["best"] < -10 and signals["passage"] < -10


def test_best_and_lead_over_the_next_sentence():
    signals = _signals(
        "What is the capital of Poland?",
        [(0, "Warsaw is the capital of Poland.", 7.0), (0, "The city has 1.7 million people.", 2.5)],
    )
    assert signals["best"] == 7.0 and signals["lead"] == pytest.approx(4.5)


def test_cover_document_drops_for_a_word_the_document_never_says():
    said = _signals("When was Warsaw founded?", [(0, "It was founded in the 13th century.", 5.0)])
    swapped = _signals("When was Gdansk founded?", [(0, "It was founded in the 13th century.", 5.0)])
    assert said["cover_document"] == 1.0
    assert swapped["cover_document"] < said["cover_document"]
    assert swapped["missing_names"] == 1.0 and said["missing_names"] == 0.0


def test_kind_found_only_when_the_sentence_has_a_new_thing_of_that_kind():
    assert asked_kind("When was Warsaw founded?") == "time"
    assert asked_kind("How many people live in Warsaw?") == "quantity"
    assert asked_kind("Who founded Warsaw?") == "person"
    assert asked_kind("Where is the Wawel castle?") == "place"
    assert asked_kind("Why is Warsaw the capital?") is None
    assert holds_kind("time", "It was founded in the 13th century.", "When was Warsaw founded?")
    assert not holds_kind("time", "Warsaw is the capital of Poland.", "When was Warsaw founded?")
    assert not holds_kind("time", "It happened in 1596.", "What happened in 1596?")  # only what the question says
    assert holds_kind("quantity", "The city has 1.7 million people.", "How many people live in Warsaw?")
    assert holds_kind("person", "It was built by Casimir the Great.", "Who built Wawel?")


def test_drop_gain_asks_the_scorer_about_words_the_passage_lacks():
    asked = []

    def rescore(questions, text):
        asked.extend(questions)
        return [8.0 for _ in questions]

    signals = _signals("When was Gdansk founded?", [(0, "It was founded in the 13th century.", 5.0)], rescore)
    assert signals["drop_gain"] == pytest.approx(3.0)
    assert asked and all("Gdansk" not in q for q in asked)
    quiet = _signals("When was Warsaw founded?", [(0, "It was founded in the 13th century.", 5.0)], rescore)
    assert quiet["drop_gain"] == 0.0  # every word is in the passage: nothing to drop


def test_weighted_cover_weights_rare_words_more():
    idf = {"capital": 0.1, "wawel": 3.0}.get
    assert weighted_cover(["capital", "wawel"], {"wawel"}, idf) == pytest.approx(3.0 / 3.1)
    assert weighted_cover([], set(), idf) == 1.0


@pytest.mark.parametrize(
    "question, names",
    [
        ("What did Geroge Lenczowski do to the price of oil on October 16, 1973?", {"geroge", "lenczowski", "october", "16", "1973"}),
        # A title-style question: the capital after the colon opens a clause, and "Can" is no name.
        ("Literacy after cerebral hemispherectomy: Can the isolated right hemisphere read?", set()),
        ("Does the Lancet trial Say It works?", {"lancet", "say"}),
        ("Is gastric cancer different in Korea and the United States?", {"korea", "united", "states"}),
    ],
)
def test_question_names_are_capitalised_words_inside_a_clause_and_numbers(question, names):
    assert question_names(question) == names
