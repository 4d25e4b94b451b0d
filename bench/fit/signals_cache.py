"""Compute and cache the answerability signals of dev-set cases, with the answer each would get.

What it does: `collect(set_name, split, limit, workers)` runs every selected case through the
chain up to the answerability decision (`qa.answering.trace`, with the decision off), and keeps
per case its signals (`qa.decision.answer_signals`), whether it is answerable, and whether the extractive
answer it would give hits (dev README rules) — in `.bench-index/signals-SET.jsonl`, keyed by case
id and by `SIGNALS_VERSION`, so a re-run reuses what is still valid (bump the version when the
signals or what they read change).
`workers` > 1 runs cases in that many processes. `on=OTHER` asks the cases on another set's
corpus, where they are off topic (unanswerable): the questions real users ask about something
the documents do not cover at all, which neither dev set holds.
What it does not: fit (see `bench.fit.answerability`).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from bench.data.devsets import CACHE, DevCase, index_for, load_set, select
from qa.eval.dev_metrics import is_doc_hit, is_hit
from qa.text.sentences import scoring_text


def fingerprint() -> str:
    """What the cached rows were computed with: the signals' version (`qa.decision.answer_signals`)."""
    from qa.decision.answer_signals import SIGNALS_VERSION

    return SIGNALS_VERSION


def _one(case: DevCase, index: Path) -> dict:
    from qa.answering import trace

    history = list(case.history) if case.history is not None else None
    turn, answer = trace(case.question, history, index=index, answerability_threshold=0)
    signals = turn.decision.signals
    row = {"id": case.id, "set": case.set, "answerable": case.answerable, "signals": signals}
    scored = turn.scored
    if signals and len(scored.sentences):
        # The answer head's signal is computed at fit time from this pair (the head may be retrained).
        best = scored.sentences[max(range(len(scored.sentences)), key=lambda i: scored.scores[i])]
        row["best_pair"] = [scored.question, scoring_text(best)]
    if answer is not None and case.answerable and case.set != "golden":
        text = "" if answer.refused else answer.answer
        row["hit"] = bool(text) and is_hit(text, case.answers, case.gold_text)
        row["doc_hit"] = is_doc_hit([c.source for c in answer.citations], case.gold_doc)
    row["policy"] = bool(turn.notice)
    return row


def _work(args: tuple[list[DevCase], Path]) -> list[dict]:
    cases, index = args
    return [_one(case, index) for case in cases]


def collect(set_name: str, split: str, limit: int | None = None, workers: int = 1, progress: bool = True,
            on: str | None = None, offset: int = 0) -> list[dict]:
    """Rows of the cases `offset` to `offset + limit` of the split; with `on`, asked on that other
    set's corpus instead, where they are off topic: unanswerable whatever their own label."""
    cases = select(load_set(set_name), split, None, {"coqa-followup"} if set_name == "coqa" else None)
    cases = cases[offset : offset + limit if limit else None]
    if on:
        cases = [replace(case, answerable=False, history=(), answers=(), gold_doc=(), gold_text=()) for case in cases]
    path = CACHE / (f"signals-{set_name}-on-{on}.jsonl" if on else f"signals-{set_name}.jsonl")
    stamp = fingerprint()
    cached: dict[str, dict] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("fingerprint") == stamp:
                cached[row["id"]] = row
    todo = [c for c in cases if c.id not in cached]
    if todo:
        index = index_for(on or set_name, progress=progress)
        with path.open("a", encoding="utf-8") as handle:  # row by row: an interrupted run keeps its work
            for row in _run(todo, index, workers, progress, set_name):
                row["fingerprint"] = stamp
                cached[row["id"]] = row
                handle.write(json.dumps(row) + "\n")
                handle.flush()
    return [cached[c.id] for c in cases]


def _run(cases: list[DevCase], index: Path, workers: int, progress: bool, label: str):
    """Yield each case's row as it is done."""
    from tqdm import tqdm

    bar = tqdm(total=len(cases), desc=f"signals {label}", unit="case", disable=not progress)
    if workers <= 1:
        for case in cases:
            yield _one(case, index)
            bar.update()
    else:
        import multiprocessing

        batches = [(cases[i : i + 25], index) for i in range(0, len(cases), 25)]
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            for part in pool.imap(_work, batches):
                yield from part
                bar.update(len(part))
    bar.close()
