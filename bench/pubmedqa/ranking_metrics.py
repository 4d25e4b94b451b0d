"""Retrieval metrics over ranked chunk lists: where a document ranks, recall@k and MRR, a rerank's order.

What it does: `document_rank` (a document stands where its best chunk stands), `retrieval_metrics`
(recall@1, recall@5, MRR of a list of ranks) and `rerank_order` (the first `depth` items re-sorted
by score, the rest as they were), for `bench.pubmedqa.run` and its report.
What it does not: rank anything itself or read data.
"""

from __future__ import annotations

from collections.abc import Sequence


def document_rank(sources: Sequence[str], target: str, depth: int | None = None) -> int | None:
    """1-based rank of `target` among the distinct documents of a ranked chunk list, or None.

    Each document stands where its best (first) chunk stands; only the first `depth` chunks count.
    `document_rank(["a", "a", "b"], "b") == 2`.
    """
    seen: list[str] = []
    for source in sources[:depth] if depth is not None else sources:
        if source not in seen:
            seen.append(source)
            if source == target:
                return len(seen)
    return None


def retrieval_metrics(ranks: Sequence[int | None]) -> dict[str, float]:
    """recall@1, recall@5 and MRR (1/rank, 0 when absent) of a list of document ranks."""
    n = len(ranks) or 1
    return {
        "recall@1": sum(1 for r in ranks if r is not None and r <= 1) / n,
        "recall@5": sum(1 for r in ranks if r is not None and r <= 5) / n,
        "mrr": sum(1.0 / r for r in ranks if r is not None) / n,
    }


def rerank_order(fused: Sequence[int], scores: dict[int, float], depth: int) -> list[int]:
    """The first `depth` items of `fused` sorted by score (best first, ties keep fused order), then the rest."""
    head = sorted(fused[:depth], key=lambda item: -scores[item])  # sorted() is stable
    return head + list(fused[depth:])
