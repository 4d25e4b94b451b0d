"""The focus-term veto: refuse when the passages ignore what the question is about.

What it does: a word of the question that occurs nowhere in the corpus is its *focus* when
dropping it from the question raises the best sentence's score by at least `focus_term_margin` —
the sentence matches the question better without it, so it does not speak of it ("...for cannabis
use disorder?" against a sentence about cocaine). Words that name the documents themselves
("paper", "overview", ...) are never a focus, nor is a word the best sentences say in another form
(`word_is_covered`: "difficulty" ~ "challenge"). A word the corpus has in another form
("limitations" ~ "limited") is not absent, and a number word ("two") is never a focus. When the
best sentence corrects the question's premise (`corrects_premise`: "There is no FDA-approved
medication..."), the veto does not apply. It runs after the fitted answerability model
(`qa.decision.answerability`), which squad2-style data cannot teach this: there, every question is on its
article's topic. `focus_gain_signal` computes it from the search stage's `Scored` sentences.
What it does not: score passages (see `qa.search.scoring`) or write the refusal (see `answer.REFUSAL`).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from qa.search.rerank import get_cross_encoder
from qa.search.scoring import Scored
from qa.settings import Settings
from qa.text.bm25 import tokenize
from qa.text.sentences import scoring_text

WORD = re.compile(r"[^\W\d_][\w'-]*", re.U)
META_WORDS = frozenset(
    "document documents text texts overview article articles paper papers source sources reference references "
    "citation citations cite cited author authors study studies according say says said mention mentions".split()
)
# Everyday verbs and adverbs a question is phrased with ("what did the trial find?"): their
# inflections often differ from the corpus's ("found"), and they are never what a question is about.
GENERAL_WORDS = frozenset(
    """find finds finding found show shows showed shown get gets got give gives gave given take takes took
    taken make makes made use uses used using help helps helped work works worked look looks looked tell
    tells told know knows knew known think thinks thought mean means meant need needs needed happen happens
    happened result results resulted lead leads led change changes changed compare compared describe
    described explain explained report reports reported suggest suggests suggested conclude concluded
    exactly really actually generally typically usually overall main kind kinds type types way ways thing
    things something anything everything much many please first second last discussed discuss discusses
    mentioned listed named called known considered regarded point points part parts fit fits""".split()
)


# Quantities are never what a question is about ("the two documents", "three trials").
NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred
    thousand million billion once twice""".split()
)
NEGATION = re.compile(r"\b(?:no|not|never|neither|nor|none|without)\b|n't\b", re.I)
CLAUSE_END = re.compile(r"[;,.:()]")
MIN_PREMISE_OVERLAP = 2 / 3


class WordVectors:
    """Unit vectors of single words from `encode(texts)`, each word encoded once per process:
    the words compared are mostly the corpus's own, so they recur from question to question.
    Thread-safe; forgets everything past `limit` words."""

    def __init__(self, encode, limit: int = 50_000):
        self._encode, self._limit = encode, limit
        self._vectors: dict[str, object] = {}
        self._lock = threading.Lock()

    def __call__(self, words: list[str]):
        import numpy as np

        with self._lock:
            known = {w: self._vectors[w] for w in words if w in self._vectors}
        missing = [w for w in dict.fromkeys(words) if w not in known]
        if missing:
            known.update(zip(missing, self._encode(missing)))
            with self._lock:
                if len(self._vectors) + len(missing) > self._limit:
                    self._vectors.clear()
                self._vectors.update((w, known[w]) for w in missing)
        return np.stack([known[w] for w in words])


def word_is_covered(word: str, sentence: str, encode, min_similarity: float) -> bool:
    """Whether `sentence` has `word` in another form: the same first five letters ("limitations" ~
    "limited") or a word whose embedding is at least `min_similarity` close ("difficulty" ~
    "challenge"). `encode(texts)` returns unit vectors."""
    lowered = word.lower()
    words = list(dict.fromkeys(w for w in WORD.findall(sentence) if len(w) > 2))
    if len(lowered) >= 5 and any(w.lower()[:5] == lowered[:5] for w in words):
        return True
    if not words:
        return False
    vectors = encode([word] + words)
    return float((vectors[1:] @ vectors[0]).max()) >= min_similarity


def corrects_premise(question: str, sentence: str) -> bool:
    """Whether `sentence` denies what `question` takes for granted: a negation ("There is no
    FDA-approved medication for cocaine use disorder") whose clause shares most of its content
    words with the question ("Since ketamine is FDA-approved for cocaine use disorder, ...").
    Such a sentence answers the question by correcting it, whatever else the question asks."""
    asked = set(tokenize(question))
    for match in NEGATION.finditer(sentence):
        clause = CLAUSE_END.split(sentence[match.end() :], maxsplit=1)[0]
        words = set(tokenize(clause))
        if len(words & asked) >= 2 and len(words & asked) >= MIN_PREMISE_OVERLAP * len(words):
            return True
    return False


def focus_gains(
    question: str, sentence: str, best_score: float, in_corpus, score, covered=None, asked: str | None = None
) -> dict[str, float]:
    """For each question word absent from the corpus: how much dropping it raises the sentence's score.

    `in_corpus(token)` says whether the corpus has a token in some form (see `BM25.has_form_of`);
    `score(questions, sentence)` returns the cross-encoder score of each question against `sentence`;
    `covered(word, sentence)`, when given, exempts a word the sentence says in other words;
    `asked`, when given, is the question as the user asked it, whose words alone are candidates
    (a follow-up's standalone form also holds the earlier question's words, already judged).
    """
    absent = []
    for word in dict.fromkeys(WORD.findall(asked if asked is not None else question)):
        tokens = tokenize(word)
        lowered = word.lower()
        ignored = lowered in META_WORDS or lowered in GENERAL_WORDS or lowered in NUMBER_WORDS
        if tokens and not ignored and not any(in_corpus(t) for t in tokens):
            if covered is None or not covered(word, sentence):
                absent.append(word)
    if not absent:
        return {}
    reduced = [re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", " ", question) for word in absent]
    return {word: float(value) - best_score for word, value in zip(absent, score(reduced, sentence))}


def uncovered_focus_terms(
    question: str, sentence: str, best_score: float, in_corpus, score, margin: float, covered=None, asked=None
) -> list[str]:
    """Focus words of `question` (of `asked`, when given) that the corpus lacks and `sentence`
    (scored `best_score`) ignores."""
    gains = focus_gains(question, sentence, best_score, in_corpus, score, covered, asked)
    return [word for word, gain in gains.items() if gain >= margin]


COVERAGE_SENTENCES = 5  # best sentences searched for a question word in other words


@lru_cache(maxsize=1)
def _word_vectors() -> WordVectors:
    from ingest.embed_onnx import get_query_embedder

    return WordVectors(get_query_embedder().encode)


def focus_gain_signal(scored: Scored, settings: Settings, index, asked: str | None = None) -> dict[str, float]:
    """For each question word absent from the corpus that the best sentence ignores and none of the
    next best says in other words, how much dropping it from the question raises the best
    sentence's score; nothing when the best sentence corrects the question's premise. With `asked`
    (the question as the user asked it), only its words are candidates."""
    sentences, scores = scored.sentences, scored.scores
    if not len(sentences):
        return {}
    ranked = sorted(range(len(sentences)), key=lambda i: -scores[i])
    best = ranked[0]
    if corrects_premise(scored.question, sentences[best].text):
        return {}
    nearby = " ".join(sentences[i].text for i in ranked[:COVERAGE_SENTENCES])
    cross_encoder = scored.reader or get_cross_encoder(settings.rerank_threads)
    encode = _word_vectors()
    return focus_gains(
        scored.question,
        scoring_text(sentences[best]),
        float(scores[best]),
        index.bm25.has_form_of,
        lambda questions, sentence: cross_encoder.score_pairs([(q, sentence) for q in questions]),
        lambda word, _sentence: word_is_covered(word, nearby, encode, settings.synonym_similarity),
        asked,
    )
