"""bench.pubmedqa.ranking_metrics: where a document ranks in a chunk list, recall@k and MRR, a rerank's order."""

from __future__ import annotations

import pytest

from bench.pubmedqa.ranking_metrics import document_rank, rerank_order, retrieval_metrics


def test_a_document_stands_where_its_best_chunk_stands():
    assert document_rank(["a", "a", "b"], "b") == 2  # "a"'s second chunk does not push "b" down
    assert document_rank(["a", "b", "a", "c"], "c") == 3
    assert document_rank(["a", "b"], "z") is None


def test_only_the_first_depth_chunks_count():
    assert document_rank(["a", "b", "c"], "c", depth=2) is None
    assert document_rank(["a", "b", "c"], "c", depth=3) == 3


def test_recall_and_mrr_of_a_list_of_ranks():
    metrics = retrieval_metrics([1, 2, None, 6])
    assert metrics["recall@1"] == pytest.approx(0.25)
    assert metrics["recall@5"] == pytest.approx(0.5)
    assert metrics["mrr"] == pytest.approx((1 + 1 / 2 + 1 / 6) / 4)
    assert retrieval_metrics([]) == {"recall@1": 0.0, "recall@5": 0.0, "mrr": 0.0}


def test_rerank_sorts_the_head_by_score_keeping_ties_and_the_tail_in_order():
    fused = [10, 11, 12, 13, 14]
    scores = {10: 1.0, 11: 3.0, 12: 3.0, 13: 9.0, 14: 99.0}
    assert rerank_order(fused, scores, depth=3) == [11, 12, 10, 13, 14]  # 14 is below the depth: stays
