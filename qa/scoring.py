"""The cross-encoder's part of the chain: score passages and sentences, and the focus-term signal.

What it does: `rerank_passages` scores with the cross-encoder the whole text of the first
`rerank_whole_chunks` fused passages, which ranks them, and the sentences of the best of them
(`rerank_full_depth`) plus those of lower passages sharing a telling word with the question; the
gate, the focus check and the quotes read the sentence scores. `focus_gain_signal` computes the
gate's second signal from a chain state. Benchmarks call both directly.
What it does not: decide to refuse or compose an answer (see `qa.gate`, `qa.answering`).
"""

from __future__ import annotations

from functools import lru_cache

from ingest.embed import get_embedder
from qa.abbreviations import expand_acronyms, expand_journal_names
from qa.extractive import (
    candidate_sentences,
    discount_leaning,
    passage_scores,
    scoring_text,
    shares_a_word_below,
)
from qa.gate import WordVectors, corrects_premise, focus_gains, word_is_covered
from qa.rerank import get_cross_encoder

COMMON_WORD_SHARE = 0.5  # a word in more than half the chunks tells no passage from another
COVERAGE_SENTENCES = 5  # best sentences searched for a question word in other words


@lru_cache(maxsize=1)
def _word_vectors() -> WordVectors:
    return WordVectors(get_embedder().encode)



def rerank_passages(
    question: str, passages: list, index, threads: int = 1, full_depth: int | None = None, whole_chunks: int = 0
) -> tuple[list, list, list]:
    """Score passages and their quotable sentences against `question`.

    Passages: the first `whole_chunks` are ranked by the cross-encoder's score of their whole text;
    the rest follow, ranked by their best sentence (with `whole_chunks` 0, every passage is).
    Sentences (read with their section heading, leaning context and spelled-out abbreviations):
    every sentence of the first `full_depth` passages of that ranking (all, when None); below
    them, only sentences that share a telling word with the question (`shares_a_word_below`).
    Returns (sentences, their scores, passages ranked with their scores). Benchmarks use this too.
    """
    cross_encoder = get_cross_encoder(threads)
    expand = lambda text: expand_journal_names(expand_acronyms(text, index.acronyms), question)  # noqa: E731
    head = passages[:whole_chunks]
    head_scores = cross_encoder.score(question, [expand(chunk.text) for chunk in head]) if head else []
    ranked_head = sorted(zip(head, map(float, head_scores)), key=lambda pair: -pair[1])
    order = [chunk for chunk, _ in ranked_head] + passages[len(head) :]
    sentences = candidate_sentences(order, index.section_heading, index.sentence_before, expand, index.lead_in)
    top = {chunk.id for chunk in order[:full_depth]} if full_depth is not None else None
    common = lambda token: index.bm25.document_frequency(token) > COMMON_WORD_SHARE  # noqa: E731
    sentences = shares_a_word_below(sentences, top, question, common)
    scores = cross_encoder.score(question, [scoring_text(c) for c in sentences]) if sentences else []
    scores = discount_leaning(sentences, scores)
    return sentences, scores, ranked_head + passage_scores(passages[len(head) :], sentences, scores)


def focus_gain_signal(state: dict) -> dict[str, float]:
    """The gate's second signal: for each question word absent from the corpus that the best
    sentence ignores and none of the next best says in other words, how much dropping it from the
    question raises the best sentence's score (see `gate`); nothing when the best sentence
    corrects the question's premise. Calibration reads it too."""
    sentences, scores = state["sentences"], state["sentence_scores"]
    if not len(sentences):
        return {}
    ranked = sorted(range(len(sentences)), key=lambda i: -scores[i])
    best = ranked[0]
    if corrects_premise(state["scored_question"], sentences[best].text):
        return {}
    nearby = " ".join(sentences[i].text for i in ranked[:COVERAGE_SENTENCES])
    cross_encoder = get_cross_encoder(state["settings"].rerank_threads)
    settings, encode = state["settings"], _word_vectors()
    return focus_gains(
        state["scored_question"],
        scoring_text(sentences[best]),
        float(scores[best]),
        state["index"].bm25.has_form_of,
        lambda questions, sentence: cross_encoder.score_pairs([(q, sentence) for q in questions]),
        lambda word, _sentence: word_is_covered(word, nearby, encode, settings.synonym_similarity),
    )
