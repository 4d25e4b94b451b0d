"""The answerability decision and, when it refuses, the closest passages to show apart.

What it does: `judge(state)` (a step of the answering chain, after rerank) computes the
`qa.decision.answer_signals` of the reranked sentences, the fitted model's probability that they answer
(`qa.decision.answerability`), and applies the focus-term veto (`qa.decision.focus`); `related(state)` picks the
closest sentences listed under a refusal, never as citations.
What it does not: retrieve, rerank or build the answer (see `qa.answering`).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from qa.answer import elapsed_ms
from qa.decision.answer_head import get_answer_head
from qa.decision.answer_signals import answer_signals
from qa.decision.answerability import get_model
from qa.decision.focus import focus_gain_signal
from qa.search.rerank import get_cross_encoder
from qa.text.bm25 import tokenize
from qa.text.sentences import build_citations, scoring_text


def judge(state: dict) -> dict:
    """The answerability decision (`qa.decision.answerability`) on the signals of the reranked sentences,
    then the focus-term veto (`qa.decision.focus`)."""
    began = time.perf_counter()
    state["signals"], state["answerable_probability"], state["answerable"] = None, 0.0, False
    if not state["notice"]:
        cross_encoder = state.get("reader") or get_cross_encoder(state["settings"].rerank_threads)
        threshold = state["settings"].answerability_threshold
        # With the decision off (fitting, ablations) no fitted weights are needed: the answer head is skipped.
        head = get_answer_head() if threshold != 0 else None
        read_best = _head_beside_the_rest(head, cross_encoder, state) if head else None
        state["signals"] = answer_signals(
            state["scored_question"],
            state["sentences"],
            state["sentence_scores"],
            state["passages"],
            state["index"],
            rescore=lambda questions, text: cross_encoder.score_pairs([(q, text) for q in questions]),
            scoring_text=scoring_text,
            read_best=read_best,
        )
        if not tokenize(state["scored_question"]):  # no word to look for ("💊💊💊", "?!"): nothing is asked
            state["answerable_probability"], state["answerable"] = 0.0, False
        elif threshold == 0:  # never refuse for this reason (fitting and ablations need no model)
            state["answerable_probability"], state["answerable"] = 1.0, True
        else:
            model = get_model()
            state["answerable_probability"] = model.probability(state["signals"])
            with_conversation = state["scored_question"] != state["standalone"]
            if threshold is None:
                threshold = model.threshold_for(with_conversation)
            state["answerable"] = state["answerable_probability"] >= threshold
            if state["answerable"]:  # the focus-term veto (qa.decision.focus)
                gains = focus_gain_signal(_without_conversation(state, cross_encoder))
                state["uncovered"] = [w for w, gain in gains.items() if gain >= state["settings"].focus_term_margin]
                state["answerable"] = not state["uncovered"]
    state["timings"]["judge_ms"] = elapsed_ms(began)
    return state


_HEAD_THREAD = ThreadPoolExecutor(1, thread_name_prefix="answer-head")


def _head_beside_the_rest(head, cross_encoder, state: dict):
    """`read_best` for `answer_signals`: the answer head's logit for the best sentence, started
    now so it runs while the cross-encoder rescores the reworded questions (the two share the
    cores better than they take turns: the head's layers and a few single pairs each leave a
    core idle)."""
    scores = state["sentence_scores"]
    if not len(scores):
        return lambda question, text: head.score(cross_encoder.read_pairs([(question, text)])[1][0])
    # The best sentence as answer_signals finds it (the first of the highest scores).
    pair = (state["scored_question"], scoring_text(state["sentences"][int(np.argmax(scores))]))
    started = _HEAD_THREAD.submit(lambda: head.score(cross_encoder.read_pairs([pair])[1][0]))

    def read_best(question: str, text: str) -> float:
        return started.result() if (question, text) == pair else head.score(cross_encoder.read_pairs([(question, text)])[1][0])

    return read_best


def _without_conversation(state: dict, cross_encoder) -> dict:
    """The state as the focus-term veto reads it: the question without the earlier exchange a
    follow-up was scored with (the veto asks whether the passages ignore a word of *this*
    question; with the exchange's words beside it, dropping any word moves the score). The best
    sentence keeps its rank; its score is the condensed question's."""
    question = state["standalone"]
    scores = state["sentence_scores"]
    if state["scored_question"] == question or not len(scores):
        return state
    best = int(np.argmax(scores))
    score = float(cross_encoder.score_pairs([(question, scoring_text(state["sentences"][best]))])[0])
    return {**state, "scored_question": question, "sentence_scores": np.asarray(scores, dtype=float) - float(scores[best]) + score}


def related(state: dict) -> list:
    """The closest sentences when the documents do not answer: shown apart, never as citations."""
    settings, index = state["settings"], state["index"]
    ranked = sorted(zip(state["sentences"], state["sentence_scores"]), key=lambda pair: -float(pair[1]))
    chosen, seen = [], set()
    for candidate, score in ranked:
        if len(chosen) >= settings.related_passages or float(score) < settings.min_related_score:
            break
        if candidate.kind == "reference" or (candidate.chunk.source, candidate.start) in seen:
            continue
        seen.add((candidate.chunk.source, candidate.start))
        chosen.append((candidate, float(score)))
    return build_citations(chosen, index.document)[1] if chosen else []
