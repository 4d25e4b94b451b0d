"""qa.decision.decide.judge: which threshold the answerability decision uses (fakes for the models: a logic test)."""

from __future__ import annotations

import pytest

import qa.decision.decide as decide
from qa.decision.answerability import AnswerabilityModel
from qa.search.scoring import Scored
from qa.settings import Settings

SPEC = {
    "signals": ["best"], "mean": [0.0], "scale": [1.0], "weights": [1.0], "bias": 0.0,
    "threshold": 0.6, "conversation_threshold": 0.3,
}
SIGNALS = {"best": 0.0}  # probability 0.5: under the threshold for a question alone, over the conversation's


@pytest.fixture
def fake_models(monkeypatch):
    monkeypatch.setattr(decide, "get_cross_encoder", lambda threads: object())
    monkeypatch.setattr(decide, "get_answer_head", lambda: object())
    monkeypatch.setattr(decide, "get_model", lambda: AnswerabilityModel(SPEC))
    monkeypatch.setattr(decide, "answer_signals", lambda *args, **kwargs: dict(SIGNALS))
    monkeypatch.setattr(decide, "focus_gain_signal", lambda scored, settings, index, asked=None: {})
    monkeypatch.setattr(decide, "_without_conversation", lambda scored, cross_encoder: scored)


def _judge(scored_question: str, standalone: str = "Where did she go?", **settings) -> decide.Decision:
    scored = Scored(question=scored_question, own_question=standalone, sentences=[], scores=[], passages=[])
    return decide.judge(scored, Settings(**settings), index=None)


def test_a_question_scored_alone_is_held_to_the_main_threshold(fake_models):
    decision = _judge("Where did she go?")
    assert decision.probability == pytest.approx(0.5)
    assert decision.answerable is False


def test_a_follow_up_scored_with_its_conversation_is_held_to_the_conversation_threshold(fake_models):
    assert _judge("Where did she go? Did she find the cat? yes").answerable is True


def test_a_threshold_given_in_the_settings_applies_to_both(fake_models):
    assert _judge("Where did she go? Did she find the cat? yes", answerability_threshold=0.7).answerable is False
    assert _judge("Where did she go?", answerability_threshold=0.4).answerable is True


def _judge_with_a_sentence(monkeypatch, reading: float, first_turn: bool, **settings) -> decide.Decision:
    """A first question (or a follow-up) the model answers (probability 0.5 at threshold 0.4), whose best
    sentence the support head reads at `reading` against a gate at -4.5."""
    from types import SimpleNamespace

    monkeypatch.setattr(decide, "question_support", lambda question, sentence, reader=None: reading)
    monkeypatch.setattr(decide, "gate_below", lambda: -4.5)
    monkeypatch.setattr(decide, "scoring_text", lambda sentence: sentence.text)
    sentence = SimpleNamespace(text="The trial gave three infusions.")
    scored = Scored(question="Who won the cup?", own_question="Who won the cup?", sentences=[sentence], scores=[1.0], passages=[])
    return decide.judge(scored, Settings(answerability_threshold=0.4, **settings), index=None, first_turn=first_turn)


def test_a_first_question_the_best_sentence_does_not_back_is_refused_with_its_reading(fake_models, monkeypatch):
    decision = _judge_with_a_sentence(monkeypatch, -6.0, first_turn=True)
    assert decision.answerable is False
    assert decision.signals["question_support"] == -6.0
    assert _judge_with_a_sentence(monkeypatch, -4.0, first_turn=True).answerable is True


def test_a_follow_up_and_the_gate_switched_off_are_not_gated(fake_models, monkeypatch):
    assert _judge_with_a_sentence(monkeypatch, -6.0, first_turn=False).answerable is True
    assert _judge_with_a_sentence(monkeypatch, -6.0, first_turn=True, question_support_gate=False).answerable is True
