"""The extractive answer step (`qa.compose.extractive`) on a hand-built state: which quote floor applies."""

from __future__ import annotations

from extractive_fixtures import FakeIndex, candidate, make_chunk, settings
from qa.answer import REFUSAL, Answer
from qa.compose import extractive


def _state(scored_question: str) -> dict:
    chunk = make_chunk(1, 2)
    return {
        "settings": settings(quote_margin=4.0, min_quote_score=-3.0),
        "index": FakeIndex([chunk]),
        "candidates": [chunk],
        "passages": [(chunk, -4.0)],
        "sentences": [candidate(chunk, 1), candidate(chunk, 2)],
        "sentence_scores": [-4.0, -5.0],  # both below the floor
        "standalone": "How was it given?",
        "scored_question": scored_question,
    }


def _refusal() -> Answer:
    return Answer(question="How was it given?", standalone_question="How was it given?", answer=REFUSAL, refused=True)


def test_a_question_scored_alone_quotes_nothing_below_the_floor():
    answer = extractive(_state("How was it given?"), _refusal())
    assert answer.refused and answer.citations == []


def test_a_follow_up_scored_with_its_conversation_quotes_its_best_sentence():
    # Scores of (question + the latest exchange) run lower than the floor's scale: the fitted
    # decision, which already judged the best sentence, is what counts; the rest keep the floor.
    answer = extractive(_state("How was it given? Who ran the trial? Grabski"), _refusal())
    assert not answer.refused
    assert [c.quote for c in answer.citations] == ["The trial used 0.8 mg/kg over 40 minutes [2]."]
