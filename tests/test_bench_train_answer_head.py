"""bench.fit.answer_head: the question-level AUROC takes each question's best pair."""

from __future__ import annotations

import numpy as np
import pytest

from bench.fit.answer_head import question_auroc

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
    from bench.fit.answer_head import main

    with pytest.raises(SystemExit):
        main(["--layers", layers])
    assert "--layers takes 1 to 11" in capsys.readouterr().err


def test_held_out_documents_are_chosen_per_corpus_and_follow_shares_squad2s():
    from bench.fit.answer_head import held_out

    pairs = [{"set": "squad2", "article": f"A{i}.txt"} for i in range(40)]
    pairs += [{"set": "follow", "article": f"A{i}.txt"} for i in range(40)]
    pairs += [{"set": "medquad", "article": f"p{i}.txt"} for i in range(5)]
    pairs += [{"set": "coqa", "article": "only-story.txt"}]
    held = held_out(pairs)
    assert held == held_out(list(reversed(pairs)))  # deterministic, whatever the order
    assert len({name for corpus, name in held if corpus == "squad2"}) == 4  # a tenth of 40
    assert len({name for corpus, name in held if corpus == "medquad"}) == 3  # at least three
    assert not {name for corpus, name in held if corpus == "coqa"}  # one story: nothing left to train on otherwise
    assert {corpus for corpus, _ in held} == {"squad2", "medquad"}  # follow's articles are squad2's


def test_each_set_is_reported_apart_and_coqa_has_no_question_auroc():
    from bench.fit.answer_head import _figures, per_set

    pairs = [
        {"id": "a", "set": "squad2", "label": 1}, {"id": "a", "set": "squad2", "label": 0},
        {"id": "u", "set": "squad2", "label": 0},
        {"id": "c", "set": "coqa", "label": 1}, {"id": "c", "set": "coqa", "label": 0},
    ]  # fmt: skip
    labels = np.array([p["label"] for p in pairs], dtype=float)
    figures = per_set(np.array([2.0, 0.0, 1.0, 0.0, 1.0]), np.arange(len(pairs)), pairs, labels)
    assert figures["squad2"] == (pytest.approx(1.0), pytest.approx(1.0))
    assert figures["coqa"][0] == pytest.approx(0.0)
    assert _figures(figures["coqa"]) == "0.000 / –"  # every coqa question is answerable


def test_sets_are_checked(capsys):
    from bench.fit.answer_head import main

    with pytest.raises(SystemExit):
        main(["--sets", "golden"])
    assert "invalid choice" in capsys.readouterr().err
