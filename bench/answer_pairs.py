"""Training pairs for the answer head: (question, sentence, label) from squad2, without the chain.

What it does: for squad2 fit-split cases (skipping the first `skip`, which the answerability
model's fit uses, so its out-of-fold estimate stays honest), `collect_pairs` finds in the case's
article the sentences BM25 ranks best for the question, scores the top `CANDIDATES` with the
shipped cross-encoder, and keeps:
- an answerable question with the sentence that holds its answer (label 1), and with the best
  `NEGATIVES` scored sentences that do not (label 0: on topic, not an answer);
- an unanswerable question with its best `NEGATIVES` scored sentences (label 0).
Pairs are cached in `.bench-index/answer-pairs.jsonl` by case id. This costs a few cross-encoder
runs per case, many times less than the chain, so the head sees thousands of cases.
What it does not: train (see `bench.train_answer_head`).
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np

from bench.devsets import CACHE, article_of, corpus_folder, load_set, select
from qa.eval.dev_metrics import normalise

CANDIDATES = 6
NEGATIVES = 2


@lru_cache(maxsize=32)
def _article(name: str):
    from ingest.sentences import split_sentences
    from qa.bm25 import BM25

    text = (corpus_folder("squad2") / name).read_text(encoding="utf-8")
    sentences = [text[s.start : s.end] for s in split_sentences(text) if s.kind == "text" and s.end - s.start > 20]
    return sentences, BM25(sentences)


def _holds(sentence: str, answers) -> bool:
    said = f" {normalise(sentence)} "
    return any(normalise(a) and f" {normalise(a)} " in said for a in answers)


def pairs_for(case, cross_encoder) -> list[dict]:
    article = article_of(case)
    sentences, bm25 = _article(article)
    top = [sentences[i] for i, _ in bm25.top(case.question, CANDIDATES)]
    chosen: list[tuple[str, int]] = []
    if case.answerable:
        answer_sentences = [s for s in sentences if _holds(s, case.answers)]
        gold = [s for s in answer_sentences if any(s in g or g in s for g in case.gold_text)] or answer_sentences
        if not gold:
            return []
        chosen.append((gold[0], 1))
        top = [s for s in top if not _holds(s, case.answers)]
    if top:
        scores = cross_encoder.score_pairs([(case.question, s) for s in top])
        chosen += [(top[i], 0) for i in np.argsort(-scores)[:NEGATIVES]]
    return [{"id": case.id, "article": article, "question": case.question, "sentence": sentence, "label": label}
            for sentence, label in chosen]


def collect_pairs(skip: int, limit: int | None = None, progress: bool = True) -> list[dict]:
    from tqdm import tqdm

    from qa.rerank import get_cross_encoder

    cases = select(load_set("squad2"), "fit")[skip:]
    cases = cases[:limit] if limit else cases
    path = CACHE / "answer-pairs.jsonl"
    done: dict[str, list[dict]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            done.setdefault(row["id"], [])
            if not row.get("empty"):
                done[row["id"]].append(row)
    cross_encoder = get_cross_encoder(2)
    CACHE.mkdir(exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        for case in tqdm([c for c in cases if c.id not in done], desc="answer pairs", unit="case", disable=not progress):
            rows = pairs_for(case, cross_encoder)
            done[case.id] = rows
            for row in rows or [{"id": case.id, "empty": True}]:
                handle.write(json.dumps(row) + "\n")
            handle.flush()
    return [row for case in cases for row in done.get(case.id, [])]
