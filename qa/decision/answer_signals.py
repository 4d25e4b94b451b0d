"""Signals that say whether the best sentences *answer* a question, not only whether they are on topic.

What it does: `answer_signals(question, sentences, scores, passages, index, rescore)` turns the
chain's state after reranking into a dict of numbers (named in `SIGNALS`) that the fitted
answerability model (`qa.decision.answerability`) weighs:
- the cross-encoder: the best sentence's score, its lead over the next best, the best passage's;
- coverage: the share of the question's content words (weighted by rarity) that the best sentence
  holds, that its passage holds, and that its whole document holds — a question about an entity
  or date its article never mentions is usually one the article cannot answer;
- names and numbers of the question missing from the best passage;
- whether the best sentence holds the kind of thing asked for (a year for "when", a number for
  "how many", a name for "who"/"where") besides what the question already says;
- the answer head (`qa.decision.answer_head`): the reranker with its top layers fine-tuned to tell the
  sentence that answers from an on-topic one, reading the question and the best sentence;
- the drop gain: for the question's words that the best passage lacks, how much dropping the
  word from the question raises the best sentence's score (the passage matches the question
  better without it, so it does not speak of it); this costs one cross-encoder run per such word,
  at most `MAX_DROPPED`.
Words are compared by their first five letters, as elsewhere in the project.
What it does not: decide (see `qa.decision.answerability`) or score passages (see `qa.search.scoring`).
"""

from __future__ import annotations

import math
import re
import threading

from qa.text.bm25 import STEM_LETTERS, STOP_WORDS, tokenize

# Bump when a signal, or the scoring it reads, changes: cached dev-set signals are then recomputed.
SIGNALS_VERSION = "5"
SIGNALS = (
    "best",
    "lead",
    "passage",
    "cover_sentence",
    "cover_passage",
    "cover_document",
    "missing_names",
    "asks_kind",
    "kind_found",
    "drop_gain",
    "question_words",
    "answer_head",
)
MAX_DROPPED = 3
GAIN_CLIP = 6.0
LEAD_CLIP = 6.0

YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})s?\b|\b\d+(?:st|nd|rd|th)\b|\bcentur(?:y|ies)\b|\b(?:BC|AD|BCE|CE)\b")
MONTH = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b")
NUMBER = re.compile(
    r"\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|thousand|million|billion|dozen|several|half)\b",
    re.I,
)
NAME = re.compile(r"\b[A-Z][a-zA-Z'\-]+(?:\s+(?:of|de|la|von|van)?\s*[A-Z][a-zA-Z'\-]+)*")
# A capitalised word that opens a sentence, or a clause after a colon ("Telemedicine and type 1
# diabetes: Is technology sufficient?"), is not a name; nor is a function word ("Can", "Does").
QUESTION_NAME = re.compile(r"(?<!^)(?<![.?!:;]\s)\b[A-Z][a-zA-Z'\-]+|\b\d[\d,.]*\b")

KINDS = (
    ("time", re.compile(r"^\s*(?:when\b|what (?:year|date|day|month|century|decade|time)\b|in (?:what|which) (?:year|century|decade)\b)|\b(?:what|which) year\b", re.I)),
    ("quantity", re.compile(r"\bhow (?:many|much|long|old|far|large|big|high|often|fast)\b|\bwhat (?:percentage|percent|proportion|number|amount)\b", re.I)),
    ("person", re.compile(r"^\s*(?:who|whom|whose)\b|\bwho (?:was|is|were|did)\b", re.I)),
    ("place", re.compile(r"^\s*where\b|\b(?:what|which) (?:country|city|state|place|region|town|continent)\b", re.I)),
)


def question_names(question: str) -> set[str]:
    """The names and numbers of a question, lower-cased (see `QUESTION_NAME`)."""
    found = (m.group(0).lower() for m in QUESTION_NAME.finditer(question.strip()))
    return {name for name in found if name not in STOP_WORDS}


def asked_kind(question: str) -> str | None:
    """The kind of thing the question asks for, when it says: time, quantity, person or place."""
    for kind, pattern in KINDS:
        if pattern.search(question):
            return kind
    return None


def holds_kind(kind: str, text: str, question: str) -> bool:
    """Whether `text` holds a `kind` the question does not already state."""
    asked = {w.lower() for w in re.findall(r"[\w'-]+", question)}
    if kind == "time":
        found = YEAR.findall(text) + MONTH.findall(text)
    elif kind == "quantity":
        found = NUMBER.findall(text)
    else:
        found = [m.group(0) for m in NAME.finditer(text) if m.start() > 0]
    return any(any(w.lower() not in asked for w in re.findall(r"[\w'-]+", item)) for item in found)


def _stems(text: str) -> set[str]:
    return {token[:STEM_LETTERS] for token in tokenize(text)}


class _DocumentStems:
    """Per index: the word stems of each document, built once per loaded index."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[int, tuple[object, dict[str, set[str]]]] = {}

    def __call__(self, index, source: str) -> set[str]:
        with self._lock:
            entry = self._cache.get(id(index))
            if entry is None or entry[0] is not index.chunks:
                by_source: dict[str, set[str]] = {}
                for chunk in index.chunks:
                    by_source.setdefault(chunk.source, set()).update(_stems(f"{chunk.title}\n{chunk.text}"))
                entry = self._cache[id(index)] = (index.chunks, by_source)
            return entry[1].get(source, set())


document_stems = _DocumentStems()


def weighted_cover(question_tokens: list[str], stems: set[str], idf) -> float:
    """Share of the question's tokens, weighted by idf, whose stem is in `stems` (1.0 with none)."""
    if not question_tokens:
        return 1.0
    weights = [idf(t) for t in question_tokens]
    total = sum(weights) or 1.0
    return sum(w for t, w in zip(question_tokens, weights) if t[:STEM_LETTERS] in stems) / total


def answer_signals(
    question: str, sentences, scores, passages, index, rescore=None, scoring_text=None, read_best=None
) -> dict[str, float]:
    """The signals for one question (see the module docstring). `sentences`/`scores` are the scored
    candidates; `passages` the ranked (chunk, score) pairs; `rescore(questions, text)` scores
    reworded questions against the best sentence's scoring text (None skips the drop gain);
    `read_best(question, text)` is the answer head's logit for them (None leaves it 0)."""
    tokens = list(dict.fromkeys(tokenize(question)))
    signals = {name: 0.0 for name in SIGNALS}
    signals["question_words"] = math.log1p(len(tokens))
    if not len(sentences):
        signals.update(best=-12.0, passage=-12.0, answer_head=-12.0)
        return signals
    order = sorted(range(len(sentences)), key=lambda i: -float(scores[i]))
    best = sentences[order[0]]
    best_score = float(scores[order[0]])
    signals["best"] = best_score
    signals["lead"] = min(LEAD_CLIP, best_score - float(scores[order[1]])) if len(order) > 1 else LEAD_CLIP
    signals["passage"] = max(float(score) for _, score in passages) if passages else best_score
    read = scoring_text(best) if scoring_text else best.text
    idf = index.bm25.idf
    passage_text = f"{best.chunk.title}\n{best.heading or ''}\n{best.chunk.text}"
    passage_stems = _stems(passage_text)
    signals["cover_sentence"] = weighted_cover(tokens, _stems(read), idf)
    signals["cover_passage"] = weighted_cover(tokens, passage_stems, idf)
    signals["cover_document"] = weighted_cover(tokens, document_stems(index, best.chunk.source), idf)
    names = question_names(question)
    if names:
        # The passage as stated and as the reranker reads its best sentence (abbreviations spelled out).
        lowered = f"{passage_text}\n{read}".lower()
        signals["missing_names"] = sum(name not in lowered for name in names) / len(names)
    kind = asked_kind(question)
    if kind:
        signals["asks_kind"] = 1.0
        signals["kind_found"] = float(holds_kind(kind, best.text, question))
    if rescore is not None:
        absent = [t for t in tokens if t[:STEM_LETTERS] not in passage_stems]
        absent.sort(key=lambda t: -idf(t))
        words = [w for w in re.findall(r"[\w'.-]+", question) if tokenize(w) and tokenize(w)[0] in absent[:MAX_DROPPED]]
        if words:
            reworded = [re.sub(rf"(?<![\w]){re.escape(w)}(?![\w])", " ", question) for w in dict.fromkeys(words)]
            gains = [float(s) - best_score for s in rescore(reworded, read)]
            signals["drop_gain"] = max(-GAIN_CLIP, min(GAIN_CLIP, max(gains)))
    if read_best is not None:  # after the rescoring: a caller may have started it already, to run beside it
        signals["answer_head"] = float(read_best(question, read))
    return signals
