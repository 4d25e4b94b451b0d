"""The support head's training pairs (`bench.data.support_head_pairs`): what they hold and what they never read."""

from __future__ import annotations

import pytest

from bench.data.devsets import document_kept, squad_kept_articles
from bench.data.opposites import FAMILIES
from bench.data.support_data import part
from bench.data.support_head_pairs import evidence_window, head_half, training_pairs


@pytest.fixture(scope="module")
def pairs():
    return training_pairs()


def test_no_pair_reads_a_kept_out_label_or_document(pairs):
    kept = squad_kept_articles()
    for pair in pairs:
        if pair["set"] in ("begin-dev", "wice-dev"):
            assert part(pair["id"]) == "fit" and head_half(pair["id"])
        elif pair["set"] == "squad2":
            assert pair["article"] not in kept
        else:
            assert not document_kept(pair["article"])


def test_opposites_are_unsupported_rewordings_and_sentences_supported(pairs):
    kinds = {}
    for pair in pairs:
        kinds.setdefault(pair["kind"], set()).add(pair["label"])
    assert set(FAMILIES) <= set(kinds)
    assert all(kinds[family] == {0} for family in FAMILIES)
    assert kinds["rewording"] == kinds["sentence"] == {1} and kinds["elsewhere"] == {0}
    assert kinds["human"] == {0, 1}


def test_the_pairs_are_the_same_on_every_run(pairs):
    again = training_pairs()
    assert [(p["question"], p["sentence"], p["label"]) for p in again] == [(p["question"], p["sentence"], p["label"]) for p in pairs]


def test_the_head_half_is_about_half_of_the_ids():
    ids = [f"case-{n}" for n in range(2000)]
    share = sum(map(head_half, ids)) / len(ids)
    assert 0.45 < share < 0.55
    assert head_half("case-7") == head_half("case-7")


def test_the_evidence_window_is_the_best_sentences_in_document_order():
    sentences = ["Ketamine was given once.", "The weather was mild.", "Relapse was lower after ketamine."]
    assert evidence_window("Relapse was lower after ketamine was given once.", sentences) == f"{sentences[0]} {sentences[2]}"


def test_the_ranking_term_sets_a_claim_and_its_rewordings_above_its_own_opposites_only():
    from bench.fit.support_head import ranking_pairs

    made = [
        {"id": "a", "sentence": "E", "label": 1, "kind": "sentence"},
        {"id": "a", "sentence": "E", "label": 0, "kind": "direction"},
        {"id": "a", "sentence": "E", "label": 1, "kind": "rewording"},
        {"id": "a", "sentence": "E", "label": 0, "kind": "elsewhere"},  # another sentence: no opposite of this claim
        {"id": "b", "sentence": "F", "label": 0, "kind": "negation"},  # its claim is held out
        {"id": "b", "sentence": "F", "label": 1, "kind": "sentence"},
    ]
    assert sorted(ranking_pairs(made, {0, 1, 2, 3, 4})) == [(0, 1), (2, 1)]
    assert ranking_pairs(made, {4, 5}) == [(5, 4)]


def test_paraphrases_are_supported_variants_made_only_when_asked():
    import random

    from bench.data.support_head_pairs import _variants

    claim = "Patients who received ketamine reported significantly fewer cravings afterwards."
    base = {"id": "x", "article": "x", "set": "squad2"}
    plain = _variants(claim, claim, base, random.Random(0))
    widened = _variants(claim, claim, base, random.Random(0), paraphrased=True)
    assert "paraphrase" not in {p["kind"] for p in plain}
    assert widened[: len(plain)] == plain  # the other pairs stay as they were
    added = widened[len(plain):]
    assert added and all(p["kind"] == "paraphrase" and p["label"] == 1 and p["question"] != claim for p in added)
