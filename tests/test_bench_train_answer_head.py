"""bench.train_answer_head: the question-level AUROC takes each question's best pair."""

from __future__ import annotations

import numpy as np
import pytest

from bench.train_answer_head import question_auroc

PAIRS = [
    {"id": "a", "label": 1}, {"id": "a", "label": 0},  # answerable: its answer sentence scores 2.0
    {"id": "u", "label": 0}, {"id": "u", "label": 0},  # unanswerable: its best sentence scores 3.0
    {"id": "b", "label": 1},
]  # fmt: skip


def test_a_question_is_scored_by_its_best_pair():
    positions = np.arange(len(PAIRS))
    # a: max 2.0, u: max 3.0, b: 4.0 -> the unanswerable question sits between the two answerable ones.
    assert question_auroc(np.array([2.0, -1.0, 0.0, 3.0, 4.0]), positions, PAIRS) == pytest.approx(0.5)
    # u's best pair lowered below both: perfect separation.
    assert question_auroc(np.array([2.0, -1.0, 0.0, 1.0, 4.0]), positions, PAIRS) == pytest.approx(1.0)


@pytest.mark.parametrize("layers", ["0", "12"])
def test_the_head_has_between_one_and_eleven_layers(layers, capsys):
    from bench.train_answer_head import main

    with pytest.raises(SystemExit):
        main(["--layers", layers])
    assert "--layers takes 1 to 11" in capsys.readouterr().err
