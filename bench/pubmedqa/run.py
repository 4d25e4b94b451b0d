"""PubMedQA-L retrieval benchmark: does each question find its own abstract?

What it does: writes the 1,000 PubMedQA-L abstracts as `<PMID>.txt` files into a temporary folder
(each section label on its own line as a heading, then that section's text: the abstract as a user
would save it from PubMed, minus the article title, which PubMedQA turned into the question),
ingests them with `run_ingest` into a temporary index, and for every question ranks the documents
with BM25 alone, dense alone, hybrid (reciprocal-rank fusion, as `HybridRetriever`) and hybrid +
cross-encoder rerank of the fused top-K chunks, scored three ways: as the chain does it
(`qa.answering.rerank_passages` with the default settings), max-passage (every quotable sentence,
a chunk scores its best sentence) and whole chunk (one pair per chunk text). A document ranks where its best chunk ranks. It reports recall@1,
recall@5 and MRR (over the top-20 list) of the question's own abstract and questions/s for each
method, then runs the full `qa.ask` on a sample of questions for the refusal rate (every question
has its abstract, so it should be near 0). Several `--chunk-chars` values compare chunk sizes in one
run (the first one is the main size: it also gets the `ask` sample). A full run writes its section
of BENCHMARKS.md.
What it does not: judge the yes/no/maybe answers of PubMedQA, or copy the data set into the project.

Run: `python -m bench.pubmedqa [--limit N] [--rerank-depth K] [--chunk-chars C [C ...]]`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.pubmedqa.ask import ASK_SAMPLE, ask_sample
from bench.pubmedqa.corpus import DATA, open_index
from bench.pubmedqa.methods import METHODS, MRR_DEPTH
from bench.pubmedqa.ranking_metrics import document_rank, rerank_order, retrieval_metrics
from bench.pubmedqa.report import markdown
from bench.report import peak_memory_mb, write_section

GATE_THRESHOLDS = (-3.0, -2.0, -1.0, 0.0, 1.0)  # what-if relevance thresholds for the gate diagnostics


# ---- measuring --------------------------------------------------------------------------------


def max_passage_scores(question: str, chunks, index) -> tuple[dict[int, float], int]:
    """Max-passage scores of `chunks` (index position -> score) exactly as the chain computes them
    (`qa.answering.rerank_passages`: section heading, leaning context and spelled-out acronyms
    included; a chunk scores its best sentence), and the number of sentence pairs scored.
    """
    from qa.search.scoring import rerank_passages

    sentences, _, ranked = rerank_passages(question, list(chunks), index, index.settings.rerank_threads)
    return {index.position[chunk.id]: float(score) for chunk, score in ranked}, len(sentences)


def evaluate(questions: list[tuple[str, str]], settings, index, depths: Sequence[int], show_misses: int = 0) -> dict:
    """Ranks of each question's own abstract for every method; timings; rerank at extra `depths`."""
    from ingest.embed import get_embedder
    from qa.search.rerank import get_cross_encoder
    from qa.search.retrieve import DenseRetriever, HybridRetriever, KeywordRetriever, reciprocal_rank_fusion
    from qa.search.scoring import rerank_passages

    embedder, cross_encoder = get_embedder(), get_cross_encoder(settings.rerank_threads)
    dense = DenseRetriever(index=index, embedder=embedder, k=settings.dense_k)
    keyword = KeywordRetriever(index=index, k=settings.keyword_k)
    depth = settings.rerank_depth
    # The fused list computed here must be exactly HybridRetriever's: check on a few questions.
    hybrid = HybridRetriever(index=index, dense=dense, keyword=keyword, k=MRR_DEPTH, rrf_k=settings.rrf_k)

    def positions(documents) -> list[int]:
        return [doc.metadata["position"] for doc in documents]

    cross_encoder.score("warm up", ["the cross-encoder"])
    embedder.encode_query("warm up the encoder")
    ranks: dict[str, list] = {method: [] for method in METHODS}
    extra = {d: {"rerank_max": [], "rerank_whole": []} for d in depths if d != depth}
    ceiling = {d: [] for d in sorted({depth, *depths})}  # own abstract among the top-d fused chunks
    seconds = dict.fromkeys(("bm25", "dense", "fusion", "chain", "max", "whole"), 0.0)
    pairs = {"chain": 0, "max": 0, "whole": 0}
    misses = []
    best_scores: dict[str, float] = {}  # best max-passage score in the top K: the "best" answerability signal
    from tqdm import tqdm

    for number, (pmid, question) in enumerate(tqdm(questions, desc="Questions", unit="q", leave=False)):
        target = f"{pmid}.txt"
        source = lambda items: [index.chunks[p].source for p in items]  # noqa: E731

        t0 = time.perf_counter()
        bm25 = positions(keyword.invoke(question))
        t1 = time.perf_counter()
        vector = positions(dense.invoke(question))
        t2 = time.perf_counter()
        fused = [p for p, _ in reciprocal_rank_fusion([vector, bm25], settings.rrf_k)]
        t3 = time.perf_counter()
        seconds["bm25"] += t1 - t0
        seconds["dense"] += t2 - t1
        seconds["fusion"] += t3 - t2
        if number < 3 and positions(hybrid.invoke(question)) != fused[:MRR_DEPTH]:
            raise AssertionError("the fused list differs from HybridRetriever's")

        top = [index.chunks[p] for p in fused[:depth]]
        t_chain = time.perf_counter()
        chain_sentences, chain_scores, chain_ranked = rerank_passages(
            question, top, index, settings.rerank_threads, settings.rerank_full_depth, settings.rerank_whole_chunks
        )
        seconds["chain"] += time.perf_counter() - t_chain
        pairs["chain"] += len(chain_sentences) + min(settings.rerank_whole_chunks, len(top))
        by_chain = [index.position[chunk.id] for chunk, _ in chain_ranked] + list(fused[depth:])
        t4 = time.perf_counter()
        max_scores, max_pairs = max_passage_scores(question, top, index)
        t5 = time.perf_counter()
        whole_scores = dict(zip(fused[:depth], map(float, cross_encoder.score(question, [c.text for c in top]))))
        t6 = time.perf_counter()
        seconds["max"] += t5 - t4
        seconds["whole"] += t6 - t5
        pairs["max"] += max_pairs
        pairs["whole"] += len(top)
        best_scores[pmid] = max(map(float, chain_scores), default=float("-inf"))  # the "best" answerability signal

        ranks["bm25"].append(document_rank(source(bm25), target, MRR_DEPTH))
        ranks["dense"].append(document_rank(source(vector), target, MRR_DEPTH))
        ranks["hybrid"].append(document_rank(source(fused), target, MRR_DEPTH))
        ranks["rerank_chain"].append(document_rank(source(by_chain), target, MRR_DEPTH))
        by_max = rerank_order(fused, max_scores, depth)
        ranks["rerank_max"].append(document_rank(source(by_max), target, MRR_DEPTH))
        ranks["rerank_whole"].append(document_rank(source(rerank_order(fused, whole_scores, depth)), target, MRR_DEPTH))
        by_max_rrf = [p for p, _ in reciprocal_rank_fusion([by_max[:depth], fused[:depth]], settings.rrf_k)]
        ranks["rerank_max_rrf"].append(document_rank(source(by_max_rrf + fused[depth:]), target, MRR_DEPTH))
        sum_scores = {p: max_scores[p] + whole_scores[p] for p in fused[:depth]}
        ranks["rerank_sum"].append(document_rank(source(rerank_order(fused, sum_scores, depth)), target, MRR_DEPTH))
        for d in ceiling:
            ceiling[d].append(target in source(fused[:d]))

        # Deeper or shallower reranking. A chunk's score depends on that chunk alone (its own
        # sentences, each pair scored on its own), so only chunks not yet scored are scored.
        for d in sorted(extra):
            missing = [p for p in fused[:d] if p not in whole_scores]
            if missing:
                texts = [index.chunks[p].text for p in missing]
                whole_scores.update(zip(missing, map(float, cross_encoder.score(question, texts))))
            missing = [index.chunks[p] for p in fused[:d] if p not in max_scores]
            if missing:
                max_scores = {**max_scores, **max_passage_scores(question, missing, index)[0]}
            extra[d]["rerank_max"].append(document_rank(source(rerank_order(fused, max_scores, d)), target, MRR_DEPTH))
            extra[d]["rerank_whole"].append(document_rank(source(rerank_order(fused, whole_scores, d)), target, MRR_DEPTH))

        if ranks["rerank_max"][-1] != 1 and len(misses) < show_misses:
            winner = index.chunks[by_max[0]]
            misses.append({
                "pmid": pmid, "question": question, "own_in_top_k": target in source(fused[:depth]),
                "ranks": {m: ranks[m][-1] for m in METHODS}, "winner": winner.source,
                "winner_score": round(max_scores[by_max[0]], 2),
                "own_best_score": round(max((max_scores[p] for p in fused[:depth] if index.chunks[p].source == target), default=float("nan")), 2),
                "winner_text": winner.text[:300],
            })

    n = len(questions)
    timing = {
        "bm25": seconds["bm25"], "dense": seconds["dense"],
        "hybrid": seconds["bm25"] + seconds["dense"] + seconds["fusion"],
    }
    timing["rerank_chain"] = timing["hybrid"] + seconds["chain"]
    timing["rerank_max"] = timing["hybrid"] + seconds["max"]
    timing["rerank_whole"] = timing["hybrid"] + seconds["whole"]
    timing["rerank_max_rrf"] = timing["rerank_max"]
    timing["rerank_sum"] = timing["hybrid"] + seconds["max"] + seconds["whole"]
    result = {
        "questions": n,
        "chunks": len(index.chunks),
        "mean_chunk_chars": round(sum(len(c.text) for c in index.chunks) / len(index.chunks)),
        "methods": {
            m: {**retrieval_metrics(ranks[m]), "questions_per_second": n / timing[m] if timing[m] else float("inf")}
            for m in METHODS
        },
        "pairs_per_question": {k: v / n for k, v in pairs.items()},
        "ceiling": {d: sum(v) / n for d, v in ceiling.items()},
        "depths": {
            d: {m: retrieval_metrics(r) for m, r in by_method.items()} for d, by_method in sorted(extra.items())
        },
        "misses": misses,
        "ranks": ranks,  # per question, in question order: metrics of any leading subset
        "best_scores": best_scores,
        "gate_pass": {t: sum(1 for v in best_scores.values() if v >= t) / n for t in GATE_THRESHOLDS},
    }
    # where rerank (max-passage) misses at rank 1: was the abstract retrieved at all?
    at_1 = [r == 1 for r in ranks["rerank_max"]]
    result["rerank_max_misses"] = {
        "not_in_top_k": sum(1 for hit, inside in zip(at_1, ceiling[depth]) if not inside),
        "in_top_k_but_outranked": sum(1 for hit, inside in zip(at_1, ceiling[depth]) if inside and not hit),
    }
    return result


def run(args) -> dict:
    from qa.decision.answerability import get_model
    from qa.settings import Settings

    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    records = json.loads(Path(args.data).read_text(encoding="utf-8"))
    questions = [(pmid, record["QUESTION"]) for pmid, record in records.items()]
    if args.limit:
        questions = questions[: args.limit]
    defaults = Settings()
    overrides = {
        "dense_k": args.dense_k or defaults.dense_k,
        "keyword_k": args.keyword_k or defaults.keyword_k,
        "rrf_k": args.rrf_k or defaults.rrf_k,
        "rerank_depth": args.rerank_depth or defaults.rerank_depth,
    }
    sizes = args.chunk_chars or [defaults.chunk_chars]
    overlap = defaults.chunk_overlap if args.chunk_overlap is None else args.chunk_overlap
    load_before = os.getloadavg()[0]
    began = time.perf_counter()
    result = {
        "documents": len(records), "settings": {**overrides, "chunk_overlap": overlap, "labels": args.labels,
        "answerability_threshold": get_model().threshold,
        "rerank_whole_chunks": defaults.rerank_whole_chunks, "rerank_full_depth": defaults.rerank_full_depth},
        "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="quoteqa-bench-pubmedqa-") as temp:
        root = Path(args.cache).expanduser() if args.cache else Path(temp)
        for number, chunk_chars in enumerate(sizes):
            settings, index, ingest = open_index(records, root, chunk_chars, overlap, args.labels, overrides)
            asked = questions if number == 0 or not args.sweep_limit else questions[: args.sweep_limit]
            size = {**ingest, **evaluate(asked, settings, index, args.depths or [], args.show_misses)}
            if number == 0 and args.ask_sample:
                size["ask"] = ask_sample(questions, settings, args.ask_sample, size["best_scores"])
            result["sizes"][chunk_chars] = size
            if args.json:  # keep what is measured so far
                args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
            print(json.dumps({"chunk_chars": chunk_chars, **summary_line(size)}), file=sys.stderr, flush=True)
    result["seconds"] = round(time.perf_counter() - began, 1)
    result["load_average"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    result["peak_memory_mb"] = round(peak_memory_mb())
    return result


def summary_line(size: dict) -> dict:
    return {m: {k: round(v, 3) for k, v in metrics.items()} for m, metrics in size["methods"].items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pubmedqa", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="PubMedQA ori_pqal.json")
    parser.add_argument("--limit", type=int, help="only the first N questions (the corpus stays all abstracts); not written to BENCHMARKS.md")
    parser.add_argument("--rerank-depth", type=int, help="hybrid chunks reranked (default: Settings.rerank_depth)")
    parser.add_argument("--dense-k", type=int, help="default: Settings.dense_k")
    parser.add_argument("--keyword-k", type=int, help="default: Settings.keyword_k")
    parser.add_argument("--rrf-k", type=int, help="default: Settings.rrf_k")
    parser.add_argument("--chunk-chars", type=int, nargs="+", help="one or more chunk sizes (default: Settings.chunk_chars); the first gets the ask() sample")
    parser.add_argument("--sweep-limit", type=int, help="chunk sizes after the first: only the first N questions (the comparison uses the same N at every size)")
    parser.add_argument("--chunk-overlap", type=int, help="default: Settings.chunk_overlap")
    parser.add_argument("--depths", type=int, nargs="+", help="also rerank at these depths (exact, from the same scores)")
    parser.add_argument("--no-labels", dest="labels", action="store_false", help="write abstracts without section-label headings")
    parser.add_argument("--ask-sample", type=int, default=ASK_SAMPLE, help="questions run through qa.ask for the refusal rate (0: skip)")
    parser.add_argument("--cache", help="keep corpus and indexes in this folder and reuse them (default: a temporary folder)")
    parser.add_argument("--show-misses", type=int, default=0, help="print up to N questions reranking misses at rank 1")
    parser.add_argument("--threads", type=int, help="torch threads for the embedder (default: torch's; 1 is faster on a busy machine)")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--no-write", action="store_true", help="do not write BENCHMARKS.md")
    args = parser.parse_args([] if argv is None else argv)  # `python -m bench` passes no arguments
    if not args.data.exists():
        print(f"error: no PubMedQA file at {args.data}", file=sys.stderr)
        return 2
    result = run(args)
    text = markdown(result, args)
    print(text)
    for size in result["sizes"].values():
        for miss in size.get("misses", []):
            print(json.dumps(miss, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    if not args.limit and not args.no_write:
        write_section("pubmedqa", text)
        print("written to BENCHMARKS.md (section: pubmedqa)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
