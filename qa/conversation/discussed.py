"""Which documents a conversation is about: a probability over candidate documents, fit on dev conversations.

What it does: `document_features` finds the candidate documents of a question asked in a
conversation — the best of BM25 and of the vector search for the question alone, for each recent
exchange and for all of them together — and measures each: how well its best chunk matches the
question, each exchange (its words and its opening's vector) and everything said together, and
whether an earlier answer's words stand in it as a phrase (a CoQA answer is a span of its story).
`DiscussedModel.probabilities` turns them into a probability per document with the conditional
logit in `qa/models/discussed.json` (fit by `bench/fit/discussed.py` on CoQA follow-ups, which
stay with their story, and on SQuAD questions asked after an exchange about another article,
which leave it). The exchange features also enter multiplied by how much the question leans on
the conversation (`qa.conversation.follow_up`), so a question that stands alone is placed by its own matches.
What it does not: search chunks or choose quotes (see `qa.search.retrieve.conversation_candidates` and
`qa.compose.answers`).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "discussed.json"
EXCHANGES = 2  # the newest exchanges measured one by one; older ones count only in "together"
DOCUMENTS_PER_LIST = 10  # candidate documents taken from each ranked list
OWN = ("question_bm25", "question_dense")
SAID = tuple(
    f"exchange{n}_{kind}" for n in range(1, EXCHANGES + 1) for kind in ("bm25", "dense", "answer_found")
) + ("together_bm25",)
FEATURES = OWN + SAID + tuple(f"lean_{name}" for name in SAID)
WORD = re.compile(r"\w+")
ARTICLES = {"a", "an", "the"}


def _best_per_document(index, hits) -> dict[str, float]:
    best: dict[str, float] = {}
    for position, score in hits:
        source = index.chunks[position].source
        if score > best.get(source, float("-inf")):
            best[source] = float(score)
    return best


def _leaders(best: dict[str, float]) -> list[str]:
    return [s for s, _ in sorted(best.items(), key=lambda item: (-item[1], item[0]))[:DOCUMENTS_PER_LIST]]


def answer_pattern(answer: str, has_term) -> re.Pattern | None:
    """The answer's words as a phrase to look for (None for "yes", "no" or words no text holds)."""
    words = [w for w in WORD.findall(answer.lower()) if w not in ARTICLES]
    if not words or all(w in ("yes", "no") for w in words) or not any(has_term(w) and len(w) > 2 for w in words):
        return None
    return re.compile(r"\b" + r"\W+(?:(?:a|an|the)\W+)?".join(map(re.escape, words)) + r"\b", re.I)


def document_features(index, question_bm25: dict[int, float], question_dense: list[tuple[int, float]],
                      exchange_bm25: list[dict[int, float]], exchange_dense: list[list[tuple[int, float]]],
                      answers: list[str], lean: float) -> dict[str, dict[str, float]]:
    """Features of each candidate document, by source, from the searches already made: the
    question's BM25 scores (chunk position → score) and dense hits, and each exchange's (newest
    first; dense: its opening's vector). `answers`: the assistant's words of each exchange, newest
    first. "together" sums the question's and the exchanges' BM25."""
    together_scores = dict(question_bm25)
    for scores in exchange_bm25:
        for position, score in scores.items():
            together_scores[position] = together_scores.get(position, 0.0) + score
    own_bm25 = _best_per_document(index, question_bm25.items())
    own_dense = _best_per_document(index, question_dense)
    together = _best_per_document(index, together_scores.items())
    lists = [own_bm25, own_dense, together]
    said = []
    for n in range(EXCHANGES):
        if n < len(exchange_bm25):
            bm25 = _best_per_document(index, exchange_bm25[n].items())
            dense = _best_per_document(index, exchange_dense[n] if n < len(exchange_dense) else [])
            pattern = answer_pattern(answers[n] if n < len(answers) else "", index.bm25.has_form_of)
        else:
            bm25, dense, pattern = {}, {}, None
        lists += [bm25, dense]
        said.append((bm25, dense, pattern))
    candidates = sorted({source for best in lists for source in _leaders(best)})
    features = {}
    for source in candidates:
        row = {"question_bm25": math.log1p(own_bm25.get(source, 0.0)), "question_dense": own_dense.get(source, 0.0)}
        for n, (bm25, dense, pattern) in enumerate(said, 1):
            row[f"exchange{n}_bm25"] = math.log1p(bm25.get(source, 0.0))
            row[f"exchange{n}_dense"] = dense.get(source, 0.0)
            row[f"exchange{n}_answer_found"] = 1.0 if pattern and _holds(index, source, pattern) else 0.0
        row["together_bm25"] = math.log1p(together.get(source, 0.0))
        for name in SAID:
            row[f"lean_{name}"] = lean * row[name]
        features[source] = row
    return features


def _holds(index, source: str, pattern: re.Pattern) -> bool:
    document = index.document(source)
    return bool(document and pattern.search(document.get("text", "")))


@dataclass
class DiscussedModel:
    """A conditional logit: P(document) = softmax over the candidates of weights · features."""

    weights: dict[str, float]

    def probabilities(self, features: dict[str, dict[str, float]]) -> dict[str, float]:
        if not features:
            return {}
        sources = list(features)
        logits = np.array([sum(w * features[s][name] for name, w in self.weights.items()) for s in sources])
        exp = np.exp(logits - logits.max())
        return dict(zip(sources, map(float, exp / exp.sum())))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "DiscussedModel":
        return cls(json.loads(path.read_text(encoding="utf-8"))["weights"])


@lru_cache(maxsize=1)
def get_discussed_model() -> DiscussedModel:
    return DiscussedModel.load()
