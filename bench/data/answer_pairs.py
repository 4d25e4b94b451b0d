"""Training pairs for the answer head: (question, sentence, label) from squad2, medquad, coqa, follow and swap, without the chain.

What it does: for a set's fit-split cases, after the first `SKIP[set]` (the cases the answerability
model's fit uses, so its out-of-fold estimate stays honest), `collect_pairs` finds in the case's
document the sentences BM25 ranks best for the question, scores the top `CANDIDATES` with the
shipped cross-encoder (medquad and coqa: filled up in document order when BM25 finds fewer),
and keeps the gold sentence (label 1, answerable cases) and the best
`NEGATIVES` scored sentences that are not gold (label 0: on topic, not an answer). Per set:
- squad2 and follow (squad2 questions with a pronoun): the case's article; gold is the sentence
  that holds an answer (the one in `gold_text` when several do);
- medquad: the question's page (a near-miss question's page by `topic_document`); gold is a page
  sentence that is in `gold_text` (the kept section); a near-miss question's sentences are all
  label 0 (on topic, other section);
- coqa (`coqa-followup` cases only): the story; the question is asked as "previous question?
  question" (`query_of`), since a follow-up is elliptic; gold is the sentence that holds the
  `gold_text` rationale, else the answer;
- swap (a squad2 question with its focus swapped for a word its article lacks, `bench.data.swap_set`):
  the article; all label 0, the sentence that answered the original question first (it says all
  but what was swapped in: the near miss the head must learn to turn down). Only swaps of the
  squad2 questions the head trains on are read, so no question the answerability fit reads lends
  the head its answering sentence.
Pairs are cached by case id in `.bench-index/answer-pairs.jsonl` (squad2, the format it always
had) and `.bench-index/answer-pairs-<set>.jsonl` (the others).
What it does not: train (see `bench.fit.answer_head`), read a kept-out case, or read the
conversation of a coqa follow-up beyond the previous question.
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np

from bench.data.devsets import CACHE, article_of, corpus_folder, load_set, select, topic_document
from qa.eval.dev_metrics import normalise

CANDIDATES = 6
NEGATIVES = 2
SETS = ("squad2", "medquad", "coqa", "follow", "swap")
# The head's default training sets: swap pairs made its held-out figures no better and the
# decision's kept-out ones worse (bench/NOTEBOOK.md, 2026-12-05), so they are asked for by name.
DEFAULT_SETS = ("squad2", "medquad", "coqa", "follow")
# Fit-split cases the answerability fit reads first (bench.fit.answerability): squad2's first
# 1000 and 1200-1500 asked off-topic, medquad's 300 (of 762: the rest, 150 of them near misses,
# teach the head what a page's other sections do not answer), coqa's 400 follow-ups, follow's 400, swap's 600.
SKIP = {"squad2": 1500, "medquad": 300, "coqa": 400, "follow": 400, "swap": 600}
KINDS = {"coqa": {"coqa-followup"}}


@lru_cache(maxsize=32)
def _document(corpus: str, name: str):
    from ingest.sentences import split_sentences
    from qa.text.bm25 import BM25

    text = (corpus_folder(corpus) / name).read_text(encoding="utf-8")
    sentences = [text[s.start : s.end] for s in split_sentences(text) if s.kind == "text" and s.end - s.start > 20]
    return sentences, BM25(sentences)


def _holds(sentence: str, answers) -> bool:
    said = f" {normalise(sentence)} "
    return any(normalise(a) and f" {normalise(a)} " in said for a in answers)


def _in_gold(sentence: str, gold_text) -> bool:
    said = normalise(sentence)
    return any(normalise(g) and (said in normalise(g) or normalise(g) in said) for g in gold_text)


def query_of(case) -> str:
    """The question the head reads: a coqa follow-up gets the previous question before it."""
    if case.set == "coqa" and len(case.turns) > 1:
        before = case.turns[-2].strip()
        return f"{before if before.endswith('?') else before + '?'} {case.question}"
    return case.question


def document_of(case) -> str | None:
    if case.set in ("squad2", "follow", "swap"):
        return article_of(case)
    return topic_document(case)


@lru_cache(maxsize=1)
def _squad_by_id() -> dict:
    return {case.id: case for case in load_set("squad2")}


def original_of(case):
    """The squad2 case a swap case was made from."""
    return _squad_by_id()[case.id.removesuffix("|swap")]


def gold_sentences(case, sentences: list[str]) -> list[str]:
    """The document's sentences that answer the case (none for an unanswerable case)."""
    if not case.answerable:
        return []
    if case.set == "medquad":
        return [s for s in sentences if _in_gold(s, case.gold_text)]
    if case.set == "coqa":
        return [s for s in sentences if _in_gold(s, case.gold_text)] or [s for s in sentences if _holds(s, case.answers)]
    answer_sentences = [s for s in sentences if _holds(s, case.answers)]
    return [s for s in answer_sentences if any(s in g or g in s for g in case.gold_text)] or answer_sentences


def pairs_for(case, cross_encoder) -> list[dict]:
    document = document_of(case)
    if document is None:
        return []
    sentences, bm25 = _document("squad2" if case.set in ("follow", "swap") else case.set, document)
    query = query_of(case)
    top = [sentences[i] for i, _ in bm25.top(query, CANDIDATES)]
    chosen: list[tuple[str, int]] = []
    if case.set == "swap":
        near_miss = gold_sentences(original_of(case), sentences)[:1]
        chosen += [(sentence, 0) for sentence in near_miss]
        top = [s for s in top if s not in near_miss]
    if case.set in ("medquad", "coqa"):  # an elliptic follow-up may share no word with its story
        top += [s for s in sentences if s not in top][: CANDIDATES - len(top)]
    if case.answerable:
        gold = gold_sentences(case, sentences)
        if not gold:
            return []
        chosen.append((gold[0], 1))
        # Every gold sentence is kept out of the negatives; for squad2 any sentence with the answer is too.
        top = [s for s in top if s not in gold and not (case.set in ("squad2", "follow") and _holds(s, case.answers))]
    if top:
        scores = cross_encoder.score_pairs([(query, s) for s in top])
        chosen += [(top[i], 0) for i in np.argsort(-scores)[:NEGATIVES]]
    return [{"id": case.id, "set": case.set, "article": document, "question": query, "sentence": sentence, "label": label}
            for sentence, label in chosen]


def training_cases(name: str, skip: int | None = None, limit: int | None = None) -> list:
    """The set's fit-split cases after the first `skip` (default `SKIP[name]`), the first `limit` of them."""
    cases = select(load_set(name), "fit", kinds=KINDS.get(name))[SKIP[name] if skip is None else skip :]
    if name == "swap":
        trained = {case.id for case in training_cases("squad2")}
        cases = [case for case in cases if original_of(case).id in trained]
    return cases[:limit] if limit else cases


def cache_path(name: str):
    return CACHE / ("answer-pairs.jsonl" if name == "squad2" else f"answer-pairs-{name}.jsonl")


def collect_pairs(name: str = "squad2", skip: int | None = None, limit: int | None = None, progress: bool = True) -> list[dict]:
    from tqdm import tqdm

    from qa.search.rerank import get_cross_encoder

    cases = training_cases(name, skip, limit)
    path = cache_path(name)
    done: dict[str, list[dict]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            done.setdefault(row["id"], [])
            if not row.get("empty"):
                done[row["id"]].append({"set": name, **row})
    todo = [c for c in cases if c.id not in done]
    if todo:
        cross_encoder = get_cross_encoder(2)
        CACHE.mkdir(exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            for case in tqdm(todo, desc=f"answer pairs ({name})", unit="case", disable=not progress):
                rows = pairs_for(case, cross_encoder)
                done[case.id] = rows
                for row in rows or [{"id": case.id, "empty": True}]:
                    handle.write(json.dumps(row) + "\n")
                handle.flush()
    return [row for case in cases for row in done.get(case.id, [])]
