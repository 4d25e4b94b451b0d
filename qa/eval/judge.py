"""The fitted part of the support check: how likely is a claim supported by evidence sentences?

What it does: `signals(claim, sentences, scorer)` measures a claim against the sentences of its
evidence - what the claim adds that the evidence does not say, and how the best evidence reads:

- `cover1`, `cover3`, `cover_all`: share of the claim's content words (`qa.eval.words`) in its
  best evidence sentence, in its best one to three (chosen greedily), in all of the evidence;
- `novel`: how many content words of the claim its best three sentences lack (log(1 + n));
- `pairs3`: share of the claim's adjacent content-word pairs found adjacent in those sentences;
- `ce1`, `ce3`: the cross-encoder (ms-marco-MiniLM-L-12-v2) score of (claim, best sentence) and of
  (claim, best one to three sentences in document order) - relevance of the close evidence, not of
  a whole passage;
- `negation`: the claim and its best sentences disagree on negation (one says "no"/"not", the
  other does not);
- `personal`, `question`: the claim speaks in the first or second person, or asks a question
  (a dialogue turn about oneself is nothing a source can back);
- `length`: log(1 + number of content words of the claim);
- `apart_numbers`, `apart_terms`: log(1 + numbers), log(1 + names or direction words) of the
  claim that its passage holds, but in no one sentence with the others - given by the key-term
  test of `qa.eval.support`;
- `chat`: log(1 + conversational fillers of the claim: "yes", "well", "wow", "lol"...);
- `evidence`: log(1 + number of evidence sentences): in a long document, a claim's words are
  found by chance more often than in a short passage;
- `opens_chat`: the claim opens with a filler ("yes, ...", "well ...");
- `ce_floor`, `ce_and_cover`: min(ce1, 0) and cover3 x sigmoid(ce3 / 2) - a low relevance
  weighs more than a high one, and words found in an unrelated reading do not count.

`SupportModel` combines them by logistic regression whose weights, standardisation and threshold
live in `support_model.json`, fitted by `python -m bench.fit.support_judge` on human labels
(see there and MODELS.md). `probability(signals)` is its estimate that a human would call
the claim supported.
What it does not: check numbers, names and direction words (the hard veto of `qa.eval.support`
runs first), split passages into sentences, or claim to be an entailment model: it is a support
check fitted to human judgements, with the blind spots of word overlap and a relevance model.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qa.eval.words import STOP_WORDS, best_sentences, content_words, stem, tokens

MODEL_FILE = Path(__file__).with_name("support_model.json")
FEATURES = (
    "cover1", "cover3", "cover_all", "novel", "pairs3", "ce1", "ce3", "negation", "personal", "question", "length", "apart_numbers",
    "apart_terms", "chat", "evidence", "opens_chat", "ce_floor", "ce_and_cover",
)  # fmt: skip
NEGATIONS = frozenset({"no", "not", "never", "none", "nothing", "nobody", "neither", "nor", "cannot", "without"})
CHAT = frozenset({"yes", "yeah", "yep", "yup", "well", "oh", "wow", "haha", "lol", "ok", "okay", "sure", "hmm", "cool", "awesome", "nice", "great", "hi", "hello", "hey", "thanks", "agree", "guess", "interesting", "fun", "love"})
PERSONAL = frozenset({"i", "i'm", "i've", "i'd", "me", "my", "mine", "we", "we're", "us", "our", "you", "you're", "your"})

Scorer = Callable[[list[tuple[str, str]]], Sequence[float]]


@dataclass
class Signals:
    """The measurements of one claim against its evidence, and what they were taken on."""

    values: dict[str, float]
    best: list[str]  # the best one to three evidence sentences, in document order
    novel_words: list[str]  # claim words (as written) absent from them


def _negated(words: list[str]) -> bool:
    return any(word in NEGATIONS or word.endswith("n't") for word in words)


def _pairs(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:]))


def lexical_signals(claim: str, sentences: Sequence[str]) -> tuple[dict[str, float], list[int], list[str]]:
    """The signals that need no model, the indexes of the best sentences, and the novel words."""
    claim_seq = content_words(claim)
    claim_words = set(claim_seq)
    sentence_seqs = [content_words(s) for s in sentences]
    sentence_sets = [set(seq) for seq in sentence_seqs]
    chosen = best_sentences(claim_words, sentence_sets, k=3) or ([0] if sentences else [])
    n = len(claim_words)

    def share(found: set[str]) -> float:
        return len(claim_words & found) / n if n else 1.0

    top = set().union(*(sentence_sets[i] for i in chosen)) if chosen else set()
    everything = set().union(*sentence_sets) if sentence_sets else set()
    top_pairs = set().union(*(_pairs(sentence_seqs[i]) for i in chosen)) if chosen else set()
    claim_pairs = _pairs(claim_seq)
    claim_tokens = tokens(claim)
    top_tokens = [t for i in chosen for t in tokens(sentences[i])]
    novel = [w for w in dict.fromkeys(claim_seq) if w not in top]
    absent = set(novel)
    novel_words = [t for t in dict.fromkeys(tokens(claim)) if t not in STOP_WORDS and stem(t) in absent]
    values = {
        "cover1": share(sentence_sets[chosen[0]]) if chosen else 0.0,
        "cover3": share(top),
        "cover_all": share(everything),
        "novel": math.log1p(len(novel)),
        "pairs3": len(claim_pairs & top_pairs) / len(claim_pairs) if claim_pairs else 1.0,
        "negation": float(_negated(claim_tokens) != _negated(top_tokens)),
        "personal": float(any(t in PERSONAL for t in claim_tokens)),
        "question": float("?" in claim),
        "length": math.log1p(n),
        "chat": math.log1p(sum(t in CHAT for t in claim_tokens)),
        "evidence": math.log1p(len(sentences)),
        "opens_chat": float(bool(claim_tokens) and claim_tokens[0] in CHAT),
    }
    return values, chosen, novel_words


def signals(claim: str, sentences: Sequence[str], scorer: Scorer, apart: tuple[int, int] = (0, 0)) -> Signals:
    """Every signal of `claim` against the evidence `sentences` (two cross-encoder runs at most);
    `apart` is the count of key terms found apart (see the module docstring)."""
    values, chosen, novel = lexical_signals(claim, sentences)
    values["apart_numbers"], values["apart_terms"] = math.log1p(apart[0]), math.log1p(apart[1])
    best = [sentences[i] for i in sorted(chosen)]
    if not best:
        values.update(ce1=-12.0, ce3=-12.0, ce_floor=-12.0, ce_and_cover=0.0)
        return Signals(values, [], novel)
    window = " ".join(best)
    pairs = [(claim, sentences[chosen[0]])] + ([(claim, window)] if len(best) > 1 else [])
    scores = [float(s) for s in scorer(pairs)]
    values.update(ce1=scores[0], ce3=scores[-1])
    values.update(ce_floor=min(scores[0], 0.0), ce_and_cover=values["cover3"] / (1.0 + math.exp(-scores[-1] / 2)))
    return Signals(values, best, novel)


@dataclass(frozen=True)
class SupportModel:
    """Logistic regression over `FEATURES`: weights of the standardised signals, and the
    probability threshold at or above which a claim counts as supported."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias + sum(
            w * (values[name] - m) / s for name, w, m, s in zip(FEATURES, self.weights, self.mean, self.scale)
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_dict(self) -> dict:
        return {
            "features": list(FEATURES),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "bias": self.bias,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: dict) -> SupportModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"support model features {data['features']} differ from {list(FEATURES)}")
        return cls(tuple(data["mean"]), tuple(data["scale"]), tuple(data["weights"]), float(data["bias"]), float(data["threshold"]))


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> SupportModel:
    """The fitted model shipped with the package (read once)."""
    return SupportModel.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
