"""How much a question leans on the conversation before it: a probability fit on dev conversations.

What it does: `follow_up_features` measures a question against the latest exchange and the index —
its own content words, whether it points back ("he", "that", "there"), how well it matches the
corpus on its own, how close it is to the latest exchange, and whether what it finds alone lies
in the documents the conversation was about (nothing, when those are all the index holds) — and
`FollowUpModel.probability` combines them with the logistic weights in `qa/models/follow_up.json`
(fit by `bench/fit/follow_up.py` on CoQA follow-ups, which lean, against SQuAD questions asked
after an exchange about another article, which do not). A topic shift gets a low probability and
is searched as it stands. `stands_alone(question)` says whether a question can be read without its
conversation at all (no word pointing back, words of its own to search for).
What it does not: search with the conversation (see `qa.search.retrieve.conversation_candidates`).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from qa.text.bm25 import STOP_WORDS, tokenize

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "follow_up.json"
POINTS_BACK = re.compile(
    r"\b(it|its|they|them|their|this|that|these|those|there|then|he|she|his|her|him|hers|the same|else|other|another)\b", re.I
)
QUESTION_WORDS = {"what", "which", "who", "whom", "how", "when", "where", "why", "whose", "many", "much"}
FEATURES = ("own_words", "points_back", "alone_bm25", "alone_dense", "near_exchange", "alone_in_conversation")
CONVERSATION_DOCUMENTS = 5  # the documents a conversation "is about": its search's best five
MIN_OWN_WORDS = 2  # fewer, and a question asks about its conversation ("and the second?", "who is winning?")


def own_words(question: str) -> list[str]:
    """The question's content words: neither stop words nor question words."""
    return [w for w in tokenize(question) if w not in STOP_WORDS and w not in QUESTION_WORDS]


def stands_alone(question: str) -> bool:
    """Whether a question can be read without the conversation before it: it points back to nothing
    ("he", "that", "there") and has words of its own to search for."""
    return len(own_words(question)) >= MIN_OWN_WORDS and not POINTS_BACK.search(question)


def follow_up_features(question: str, question_vector, exchange_vector, alone_dense: list[tuple[int, float]],
                       alone_keyword: list[tuple[int, float]], conversation_sources: set[str], index) -> dict[str, float]:
    """The signals, given the question, its vector, the latest exchange's vector, the question's
    own dense and BM25 hits (best first) and the documents the conversation is about."""
    words = tokenize(question)
    own = own_words(question)
    alone_sources = [index.chunks[p].source for p, _ in (alone_dense[:1] + alone_keyword[:1])]
    return {
        "own_words": math.log1p(len(own)),
        "points_back": 1.0 if POINTS_BACK.search(question) or not words else 0.0,
        "alone_bm25": math.log1p(alone_keyword[0][1]) if alone_keyword else 0.0,
        "alone_dense": float(alone_dense[0][1]) if alone_dense else 0.0,
        "near_exchange": float(np.dot(question_vector, exchange_vector)),
        "alone_in_conversation": _share_in(alone_sources, conversation_sources, index),
    }


def _share_in(alone_sources: list[str], conversation_sources: set[str], index) -> float:
    """The share of the question's own best hits that lie in the conversation's documents; NaN
    (read as saying nothing) when those documents are every document the index holds: then every
    hit lies in them, whatever the question (a corpus of two documents, a chat over one story)."""
    if conversation_sources >= index.sources:
        return float("nan")
    return float(np.mean([s in conversation_sources for s in alone_sources])) if alone_sources else 1.0


@dataclass
class FollowUpModel:
    """Logistic regression over standardised `FEATURES`."""

    weights: dict[str, float]
    bias: float
    means: dict[str, float]
    scales: dict[str, float]

    def probability(self, features: dict[str, float]) -> float:
        # A feature measured as NaN says nothing: it is read at its mean (see `_share_in`).
        z = self.bias + sum(
            self.weights[name] * (features[name] - self.means[name]) / (self.scales[name] or 1.0)
            for name in self.weights if not math.isnan(features[name])
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "FollowUpModel":
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(raw["weights"], raw["bias"], raw["means"], raw["scales"])


@lru_cache(maxsize=1)
def get_follow_up_model() -> FollowUpModel:
    return FollowUpModel.load()
