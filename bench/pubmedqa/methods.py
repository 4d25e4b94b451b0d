"""The ranking methods the PubMedQA benchmark compares: their keys, their names in the report, its goal.

What it does: names each method once (`METHODS`, in the report's order; `METHOD_NAMES` for the
main table, `METHOD_SHORT` for the chunk-size sweep), with the MRR depth and the recall@1 goal,
for `bench.pubmedqa.run` (which measures) and `bench.pubmedqa.report` (which writes the section).
What it does not: rank or measure anything.
"""

from __future__ import annotations

MRR_DEPTH = 20  # MRR is computed over this many chunks of each ranked list
GOAL_RECALL_AT_1 = 0.90
METHODS = ("bm25", "dense", "hybrid", "rerank_chain", "rerank_max", "rerank_whole", "rerank_max_rrf", "rerank_sum")
METHOD_SHORT = {
    "bm25": "BM25", "dense": "dense", "hybrid": "hybrid", "rerank_chain": "rerank (chain)", "rerank_max": "rerank max-passage",
    "rerank_whole": "rerank whole chunk", "rerank_max_rrf": "what-if max-passage+RRF", "rerank_sum": "what-if max+whole",
}
# What-if rerankings, not what the chain does: computed from the same scores, for choosing one.
WHAT_IF = ("rerank_max_rrf", "rerank_sum")
METHOD_NAMES = {
    "bm25": "BM25 alone",
    "dense": "dense alone",
    "hybrid": "hybrid (RRF)",
    "rerank_chain": "hybrid + rerank, as the chain does it",
    "rerank_max": "hybrid + rerank, max-passage",
    "rerank_whole": "hybrid + rerank, whole chunk",
    "rerank_max_rrf": "what-if: max-passage order fused with hybrid order (RRF)",
    "rerank_sum": "what-if: max-passage + whole-chunk logits",
}
