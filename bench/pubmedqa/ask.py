"""The PubMedQA benchmark's `ask()` sample: how often the whole chain refuses a question whose abstract it holds.

What it does: `ask_sample` asks a seeded sample of PubMedQA-L questions through `qa.ask` on the
benchmark's index and counts refusals (by reason: a policy notice or the answerability decision),
answers citing the question's own abstract, and questions per second. Every question has its
abstract in the index, so the refusal rate should be near 0.
What it does not: rank documents (see `bench.pubmedqa.run.evaluate`).
"""

from __future__ import annotations

import random
import time

ASK_SAMPLE = 200
SAMPLE_SEED = 0


def ask_sample(questions: list[tuple[str, str]], settings, size: int, best_scores: dict[str, float]) -> dict:
    """Refusal rate of the full `qa.ask` (default answering settings) on a seeded sample.

    A refusal counts as a policy notice's when the answer carries one, and otherwise as the
    answerability decision's (`qa.decision.answerability`; or no quotable sentence).
    """
    from qa import ask

    sample = questions if len(questions) <= size else random.Random(SAMPLE_SEED).sample(questions, size)
    overrides = {
        "index": str(settings.index), "chunk_chars": settings.chunk_chars, "chunk_overlap": settings.chunk_overlap,
        "dense_k": settings.dense_k, "keyword_k": settings.keyword_k, "rrf_k": settings.rrf_k,
        "rerank_depth": settings.rerank_depth,
    }
    ask(sample[0][1], **overrides)  # warm
    refused = cites_own = first_own = 0
    reasons = {"policy": 0, "answerability": 0}
    refused_examples = []
    began = time.perf_counter()
    from tqdm import tqdm

    for pmid, question in tqdm(sample, desc="ask()", unit="q", leave=False):
        answer = ask(question, **overrides)
        refused += answer.refused
        if answer.refused:
            reason = "policy" if answer.notices else "answerability"
            reasons[reason] += 1
            if len(refused_examples) < 10:
                refused_examples.append({"pmid": pmid, "question": question, "reason": reason,
                                         "best_score": round(best_scores.get(pmid, float("nan")), 2)})
        sources = [c.source for c in answer.citations]
        cites_own += f"{pmid}.txt" in sources
        first_own += bool(sources) and sources[0] == f"{pmid}.txt"
    elapsed = time.perf_counter() - began
    n = len(sample)
    return {
        "sample": n,
        "refusal_rate": refused / n,
        "refused": refused,
        "refusal_reasons": reasons,
        "refused_examples": refused_examples,
        "cites_own_abstract": cites_own / n,
        "first_citation_own_abstract": first_own / n,
        "questions_per_second": n / elapsed,
    }
