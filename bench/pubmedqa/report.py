"""The PubMedQA benchmark's report: its BENCHMARKS.md section, from the results of `bench.pubmedqa.run`.

What it does: `markdown(result, args)` writes the tables (methods side by side, the goal verdict,
the `ask()` refusal sample, the gate what-if, depth and chunk-size sweeps) and `command_line(args)`
the command that reproduces the run.
What it does not: measure anything (see `bench.pubmedqa.run`).
"""

from __future__ import annotations

from collections.abc import Sequence

from bench.pubmedqa.ask import ASK_SAMPLE, SAMPLE_SEED
from bench.pubmedqa.methods import GOAL_RECALL_AT_1, METHOD_NAMES, METHOD_SHORT, METHODS, MRR_DEPTH
from bench.pubmedqa.ranking_metrics import retrieval_metrics
from bench.report import machine_line


def paired_wins(a: Sequence[int | None], b: Sequence[int | None]) -> tuple[int, int]:
    """(questions ranked first by `a` but not by `b`, the reverse), over the same questions."""
    return (
        sum(1 for x, y in zip(a, b) if x == 1 and y != 1),
        sum(1 for x, y in zip(a, b) if y == 1 and x != 1),
    )


def command_line(args) -> str:
    parts = ["python -m bench.pubmedqa"]
    if args.limit:
        parts.append(f"--limit {args.limit}")
    if args.rerank_depth:
        parts.append(f"--rerank-depth {args.rerank_depth}")
    for flag in ("dense_k", "keyword_k", "rrf_k"):
        if getattr(args, flag):
            parts.append(f"--{flag.replace('_', '-')} {getattr(args, flag)}")
    if args.chunk_chars:
        parts.append("--chunk-chars " + " ".join(map(str, args.chunk_chars)))
    if args.chunk_overlap is not None:
        parts.append(f"--chunk-overlap {args.chunk_overlap}")
    if args.sweep_limit and args.chunk_chars and len(args.chunk_chars) > 1:
        parts.append(f"--sweep-limit {args.sweep_limit}")
    if args.depths:
        parts.append("--depths " + " ".join(map(str, args.depths)))
    if not args.labels:
        parts.append("--no-labels")
    if args.threads:
        parts.append(f"--threads {args.threads}")
    if args.ask_sample != ASK_SAMPLE:
        parts.append(f"--ask-sample {args.ask_sample}")
    return " ".join(parts)


def markdown(result: dict, args) -> str:
    s = result["settings"]
    sizes = result["sizes"]
    main_chars, main = next(iter(sizes.items()))
    depth = s["rerank_depth"]
    m = main["methods"]
    best_single = max(m[k]["recall@1"] for k in ("bm25", "dense", "hybrid"))

    def verdict(key: str) -> str:
        value = m[key]["recall@1"]
        met = value >= GOAL_RECALL_AT_1 and value > best_single
        return f"{METHOD_NAMES[key]} {value:.3f}: **{'met' if met else 'not met'}**"

    wins = paired_wins(main["ranks"]["rerank_chain"], main["ranks"]["dense"])
    lines = [
        "## PubMedQA-L retrieval",
        "",
        f"The {result['documents']:,} PubMedQA-L abstracts (`ori_pqal.json`, MIT licence) as one corpus, each "
        + ("`<PMID>.txt` with its section labels (BACKGROUND, METHODS, ...) as heading lines above their text"
           if s["labels"] else "`<PMID>.txt` with its paragraphs only (no section labels)")
        + f"; {main['questions']:,} questions, each asked once. A hit is the question's own abstract; a document "
        f"ranks where its best chunk ranks. MRR over the top {MRR_DEPTH} chunks (0 when absent). Rerank = the "
        f"cross-encoder (ms-marco-MiniLM-L-12-v2, int8) over the hybrid top {depth} chunks. *As the chain does it* "
        f"(`qa.answering.rerank_passages`): the first {s['rerank_whole_chunks']} fused chunks ranked by their whole "
        f"text, the rest by their best sentence, sentences scored in the best {s['rerank_full_depth']} chunks and, "
        "below them, where they share a telling word with the question; *max-passage* scores every quotable sentence "
        "(with its section heading) and a chunk takes its best sentence; *whole chunk* scores one (question, chunk "
        "text) pair per chunk.",
        "",
        f"Settings: chunk_chars={main_chars}, chunk_overlap={s['chunk_overlap']}, dense_k={s['dense_k']}, "
        f"keyword_k={s['keyword_k']}, rrf_k={s['rrf_k']}, rerank_depth={depth}; {main['chunks']:,} chunks "
        f"(mean {main['mean_chunk_chars']} characters).",
        "",
        "| method | recall@1 | recall@5 | MRR | questions/s |",
        "|---|---:|---:|---:|---:|",
    ]
    for key in METHODS:
        row = m[key]
        lines.append(
            f"| {METHOD_NAMES[key]} | {row['recall@1']:.3f} | {row['recall@5']:.3f} | {row['mrr']:.3f} | "
            f"{row['questions_per_second']:.1f} |"
        )
    misses = main["rerank_max_misses"]
    lines += [
        "",
        f"Goal: hybrid + rerank recall@1 ≥ {GOAL_RECALL_AT_1:.2f} and above every single method (best single "
        f"{best_single:.3f}): {verdict('rerank_chain')} (what the chain does); {verdict('rerank_max')}; "
        f"{verdict('rerank_whole')}. Question by question, the chain puts the own abstract first where dense alone "
        f"does not {wins[0]} times, the reverse {wins[1]} times. The own abstract is among the "
        f"hybrid top {depth} chunks for {main['ceiling'][depth]:.3f} of the questions (the ceiling of reranking); "
        f"max-passage misses at rank 1: {misses['not_in_top_k']} not retrieved in the top {depth}, "
        f"{misses['in_top_k_but_outranked']} retrieved but outranked by another abstract. Cross-encoder pairs per "
        f"question: {main['pairs_per_question']['chain']:.1f} (the chain: chunks and sentences), "
        f"{main['pairs_per_question']['max']:.1f} sentences (max-passage), "
        f"{main['pairs_per_question']['whole']:.1f} chunks (whole chunk).",
    ]
    if "ask" in main:
        a = main["ask"]
        lines += [
            "",
            f"Full `qa.ask()` (the fitted answerability decision, threshold {s.get('answerability_threshold', 0):.3f}) on {a['sample']} questions sampled with seed {SAMPLE_SEED}: refusal rate "
            f"**{a['refusal_rate']:.3f}** ({a['refused']} refused); the answer cites the own abstract in "
            f"{a['cites_own_abstract']:.3f}, first citation from it in {a['first_citation_own_abstract']:.3f}; "
            f"{a['questions_per_second']:.2f} questions/s. Refusals by cause: {a['refusal_reasons']['answerability']} "
            f"answerability decision (or nothing quotable), {a['refusal_reasons']['policy']} policy notice.",
        ]
    lines += [
        "",
        f"Best-sentence score, over all {main['questions']:,} questions: share whose best sentence "
        "(as the chain scores them) reaches each score (the old relevance gate refused below -2):",
        "",
        "| best-sentence score ≥ | " + " | ".join(f"{t:g}" for t in main["gate_pass"]) + " |",
        "|---|" + "---:|" * len(main["gate_pass"]),
        "| share of questions | " + " | ".join(f"{v:.3f}" for v in main["gate_pass"].values()) + " |",
    ]
    if main["depths"]:
        lines += ["", f"Rerank depth (chunk_chars={main_chars}; recall@1 / MRR):", "",
                  "| depth | own abstract in top depth | max-passage | whole chunk |", "|---:|---:|---:|---:|"]
        rows = {depth: {"rerank_max": m["rerank_max"], "rerank_whole": m["rerank_whole"]}, **main["depths"]}
        for d in sorted(rows):
            r = rows[d]
            lines.append(
                f"| {d} | {main['ceiling'][d]:.3f} | {r['rerank_max']['recall@1']:.3f} / {r['rerank_max']['mrr']:.3f} | "
                f"{r['rerank_whole']['recall@1']:.3f} / {r['rerank_whole']['mrr']:.3f} |"
            )
    if len(sizes) > 1:
        common = min(size["questions"] for size in sizes.values())  # the first N questions, asked at every size
        lines += [
            "", f"Chunk size, on the first {common:,} questions (recall@1 / MRR; same settings otherwise):", "",
            "| chunk_chars | chunks | mean chars | " + " | ".join(METHOD_SHORT[k] for k in METHODS) + " |",
            "|---:|---:|---:|" + "---:|" * len(METHODS),
        ]
        for chars, size in sizes.items():
            subset = {k: retrieval_metrics(size["ranks"][k][:common]) for k in METHODS}
            cells = " | ".join(f"{subset[k]['recall@1']:.3f} / {subset[k]['mrr']:.3f}" for k in METHODS)
            lines.append(f"| {chars} | {size['chunks']:,} | {size['mean_chunk_chars']} | {cells} |")
    ingest = "; ".join(
        f"{chars}: {size['ingest_seconds']:.0f} s" + ("" if size["ingested"] else " (reused from --cache)")
        for chars, size in sizes.items()
    )
    lines += [
        "",
        f"Reproduce: `{command_line(args)}` ({result['seconds'] / 60:.1f} min in all; ingest {ingest}). "
        "Questions/s is one question at a time, warm, retrieval included; the cross-encoder scores one pair per "
        f"run. Load average (1 min) {result['load_average'][0]} before and {result['load_average'][1]} after: other "
        "processes share the machine.",
        f"Machine: {machine_line()}.",
    ]
    return "\n".join(lines)


