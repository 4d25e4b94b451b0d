"""The support head: the reranker's top four layers, fine-tuned to tell a claim its evidence backs from one that says the opposite.

What it does: the shipped cross-encoder (`qa.search.rerank`) reads (claim, evidence) and scores
relevance, which does not change when "lower" becomes "higher". The support head (the top four
layers of that model in the answer head's module, `qa.decision.answer_head`; weights
`qa/models/support_head.npz`, int8, run as an int8 graph: half the float graph's time) was
fine-tuned by `python -m bench.fit.support_head` on claims against their evidence: human support
labels, one-edit opposites (negation, direction, quantifier, modality, role: unsupported) and
faithful rewordings (supported). `VETO_BELOW`
(`qa/models/support_head.json`, written by the same command) is the logit under which the check
rejects a claim as contradicting its evidence: just under the lowest the head gives to a
human-labelled supported claim it never trained on. `ModelReader` reads a check's pairs once
through the cross-encoder and gives both the relevance scores and the head's logit. Two readers:
the support check (`qa.eval.support`) and the question-support gate of the answerability decision
(`qa.decision.question_support`), which is why it sits here, below both.
What it does not: decide (see `qa.eval.support`) or name the contradicting words
(`qa.eval.contrast`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

SUPPORT_HEAD_PATH = Path(__file__).resolve().parent.parent / "models" / "support_head.npz"
VETO_PATH = SUPPORT_HEAD_PATH.with_suffix(".json")
HEAD_LAYERS = 4  # the fine-tuned top layers; the shipped model's first eight are read as they are
HIDDEN_AFTER = 12 - HEAD_LAYERS


@lru_cache(maxsize=1)
def get_support_head():
    """The support head, loaded once per process (an `qa.decision.answer_head.AnswerHead` over other weights)."""
    from qa.decision.answer_head import AnswerHead

    if not SUPPORT_HEAD_PATH.exists():
        raise FileNotFoundError(f"{SUPPORT_HEAD_PATH} is missing: train it with `python -m bench.fit.support_head`")
    return AnswerHead(SUPPORT_HEAD_PATH, int8=True)


def _cross_encoder():
    """The process-wide cross-encoder the answering chain reads (`qa.search.rerank.get_cross_encoder`
    with the chain's `rerank_threads` workers), which keeps the hidden states the head reads (after
    layer `HIDDEN_AFTER`) beside the answer head's: a process that answers and checks (the LLM back
    ends' gate, the app) loads the model once."""
    from qa.search.rerank import SUPPORT_AFTER, get_cross_encoder
    from qa.settings import Settings

    if SUPPORT_AFTER != HIDDEN_AFTER:
        raise RuntimeError(f"the reranker keeps layer {SUPPORT_AFTER}; the support head reads layer {HIDDEN_AFTER}")
    return get_cross_encoder(Settings().rerank_threads)


class ModelReader:
    """The real models of the check: `reader(pairs)` gives the cross-encoder's relevance scores
    and keeps those pairs' hidden states, so `reader.head(pair)` of one of them costs only the
    head's layers (another pair is read first). Thread-safe: a pair's states are its own."""

    def __init__(self) -> None:
        self._cross_encoder = _cross_encoder()
        self._states: dict[tuple[str, str], np.ndarray] = {}

    def __call__(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        scores, states = self._cross_encoder.read_pairs(pairs, after=HIDDEN_AFTER)
        self._states = dict(zip(pairs, states))  # the last call's only: a long-lived reader stays small
        return scores

    def head(self, pair: tuple[str, str]) -> float:
        if pair not in self._states:
            return get_support_head().score(self._cross_encoder.read_pairs([pair], after=HIDDEN_AFTER)[1][0])
        return get_support_head().score(self._states[pair])


@lru_cache(maxsize=1)
def veto_below() -> float:
    """The head's logit under which a claim is rejected as contradicting its evidence."""
    return float(json.loads(VETO_PATH.read_text(encoding="utf-8"))["veto_below"])
