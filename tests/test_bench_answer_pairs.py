"""bench.data.answer_pairs: per-set training cases after the answerability fit's, the coqa query, and
pairs built from the real dev files for a few cases of each set (the shipped cross-encoder scores
a handful of candidates)."""

from __future__ import annotations

import pytest

from bench.data.answer_pairs import SETS, SKIP, cache_path, query_of, training_cases
from bench.data.devsets import DEV, DevCase, load_set, select, split_of

pytestmark = pytest.mark.skipif(not (DEV / "medquad" / "cases.jsonl").exists(), reason="the dev sets are in ../shared/data/dev/")


def test_the_coqa_query_puts_the_previous_question_first():
    case = DevCase(id="s|2|1", set="coqa", kind="coqa-followup", turns=("who came", "why"), history=(), answerable=True)
    assert query_of(case) == "who came? why"
    squad = DevCase(id="q", set="squad2", kind="squad2", turns=("Who?",), history=(), answerable=True)
    assert query_of(squad) == "Who?"


@pytest.mark.parametrize("name", [name for name in SETS if name != "swap"])
def test_training_cases_follow_the_answerability_fits_and_are_fit_split(name):
    cases = training_cases(name, limit=5)
    fit = select(load_set(name), "fit", kinds={"coqa-followup"} if name == "coqa" else None)
    assert [c.id for c in cases] == [c.id for c in fit[SKIP[name] : SKIP[name] + 5]]
    assert all(split_of(c) == "fit" for c in cases)


def test_swap_cases_are_made_from_the_squad2_questions_the_head_trains_on():
    from bench.data.answer_pairs import original_of

    cases = training_cases("swap", limit=20)
    later = [c.id for c in select(load_set("swap"), "fit")[SKIP["swap"] :]]
    trained = {c.id for c in training_cases("squad2")}
    assert len(cases) == 20 and all(c.id in later for c in cases)
    assert all(original_of(c).id in trained and split_of(c) == "fit" for c in cases)


def test_squad2_keeps_its_cache_file():
    assert cache_path("squad2").name == "answer-pairs.jsonl"
    assert cache_path("medquad").name == "answer-pairs-medquad.jsonl"


@pytest.fixture(scope="module")
def cross_encoder():
    from qa.search.rerank import get_cross_encoder

    return get_cross_encoder(2)


@pytest.mark.parametrize("name", SETS)
def test_pairs_from_the_real_files(name, cross_encoder):
    from bench.data.answer_pairs import document_of, pairs_for

    for case in training_cases(name, limit=3):
        rows = pairs_for(case, cross_encoder)
        assert all(r["set"] == name and r["article"] == document_of(case) for r in rows)
        assert sum(r["label"] for r in rows) == (1 if case.answerable and rows else 0)
        assert len({r["sentence"] for r in rows}) == len(rows)  # the gold sentence is never also a negative
        if name == "coqa" and rows:
            assert rows[0]["question"] == query_of(case) and "?" in rows[0]["question"][:-1]


def test_a_medquad_near_miss_question_gets_only_negatives_from_its_page(cross_encoder):
    from bench.data.answer_pairs import pairs_for
    from bench.data.devsets import topic_document

    case = next(c for c in training_cases("medquad") if c.kind == "medquad-nearmiss" and topic_document(c))
    rows = pairs_for(case, cross_encoder)
    assert rows and all(r["label"] == 0 and r["article"] == topic_document(case) for r in rows)


def test_a_swap_case_turns_down_the_sentence_that_answered_its_original(cross_encoder):
    from bench.data.answer_pairs import gold_sentences, original_of, pairs_for, _document

    near_misses = 0
    for case in training_cases("swap", limit=5):
        rows = pairs_for(case, cross_encoder)
        assert rows and all(r["label"] == 0 for r in rows)
        assert rows[0]["question"] == case.question != original_of(case).question
        answered = gold_sentences(original_of(case), _document("squad2", rows[0]["article"])[0])
        if answered:  # the original's answering sentence comes first
            assert rows[0]["sentence"] == answered[0]
            near_misses += 1
    assert near_misses >= 3
