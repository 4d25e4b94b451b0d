"""qa.decision.question_support: the support head reads a question as a claim against a sentence, and the
shipped gate loads (real models); bench.fit.question_support's rule for the gate (plain arrays)."""

from __future__ import annotations

import numpy as np
import pytest

from bench.fit.question_support import choose_gate
from qa.decision.question_support import gate_below, question_support

SENTENCE = (
    "HT sees Islam's pivotal turning point as occurring not with the death of Ali, but with the abolition of the "
    "Ottoman Caliphate in 1924."
)


def test_a_question_the_sentence_answers_reads_above_the_gate_and_one_about_something_else_below():
    answered = question_support("When was the Ottoman Caliphate abolished?", SENTENCE)
    elsewhere = question_support("Who won the 1998 World Cup?", SENTENCE)
    request = question_support("Write a Python script that sorts a list.", SENTENCE)
    assert answered > 0 > gate_below()
    assert elsewhere < gate_below() and request < gate_below()


def test_the_shipped_gate_is_a_logit_the_fit_could_choose():
    assert -8.0 <= gate_below() < 0


def _sets(readings, answered, answerable):
    return ({"a": np.array(readings)}, {"a": np.array(answered)}, {"a": np.array(answerable)})


def test_the_gate_is_the_highest_that_refuses_at_most_the_cap_of_answerable_questions_the_model_answers():
    # 100 answerable questions, all answered; two read -3 and -2: a cap of 1% allows a gate at -3 (it
    # refuses neither: "below" is strict), not above it.
    readings = [-3.0, -2.0] + [1.0] * 98
    gate = choose_gate(*_sets(readings, [True] * 100, [True] * 100), cap=0.01, grid=np.arange(-8.0, 0.01, 0.25))
    assert gate == -2.0  # refuses the -3.0 one only: 1%
    assert choose_gate(*_sets(readings, [True] * 100, [True] * 100), cap=0.0) == -3.0


def test_answerable_questions_the_model_refuses_anyway_and_unanswerable_ones_cost_nothing():
    readings = [-7.0, -7.0, -7.0, 1.0]
    answered = [False, True, True, True]
    answerable = [True, False, False, True]
    assert choose_gate(*_sets(readings, answered, answerable), cap=0.0) == 0.0


def test_each_set_is_held_to_the_cap_apart():
    readings = {"a": np.array([-1.0, 1.0]), "b": np.array([-5.0, 1.0])}
    everything = {"a": np.array([True, True]), "b": np.array([True, True])}
    assert choose_gate(readings, everything, everything, cap=0.0) == -5.0


def test_read_through_the_chains_cross_encoder_it_is_the_support_checks_reading():
    from qa.search.rerank import QuestionReader, get_cross_encoder

    reader = QuestionReader(get_cross_encoder(2))  # a reader of the chain, over two workers
    for question in ("When was the Ottoman Caliphate abolished?", "When was the Ottoman Caliphate founded?"):
        assert question_support(question, SENTENCE, reader) == pytest.approx(question_support(question, SENTENCE), abs=1e-4)


def test_the_support_checks_reader_loads_no_cross_encoder_of_its_own():
    from qa.decision.support_head import ModelReader
    from qa.search.rerank import get_cross_encoder
    from qa.settings import Settings

    # The chain's, with its workers: a process that answers and checks holds one model, not two.
    assert ModelReader()._cross_encoder is get_cross_encoder(Settings().rerank_threads)
