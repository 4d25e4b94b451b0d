"""The cross-encoder's part of the chain: score passages and their sentences.

What it does: `rerank_passages` scores with the cross-encoder the whole text of the first
`rerank_whole_chunks` fused passages, which ranks them, and the sentences of the best of them
(`rerank_full_depth`) plus those of lower passages sharing a telling word with the question; the
answerability signals and the quotes read the sentence scores (`Scored`, the stage's record). Benchmarks
call it directly.
`with_own_words` rescores a follow-up's best sentences against the question as asked, for
choosing its quotes.
What it does not: decide to refuse or compose an answer (see `qa.decision.answerability`, `qa.answering`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest.store import StoredChunk
from qa.search.rerank import QuestionReader, get_cross_encoder
from qa.text.abbreviations import expand_acronyms, expand_journal_names
from qa.text.sentences import (
    Candidate,
    candidate_sentences,
    discount_leaning,
    passage_scores,
    scoring_text,
    shares_a_word_below,
)

COMMON_WORD_SHARE = 0.5  # a word in more than half the chunks tells no passage from another


@dataclass(frozen=True)
class Scored:
    """What the search stage gives the decision and the answer: the candidate sentences read
    against a question by the cross-encoder, with their scores, and the passages ranked."""

    question: str  # what the sentences were scored against: `own_question`, or it with the latest exchange
    own_question: str  # the standalone question
    sentences: list[Candidate]
    scores: Sequence[float]  # one per sentence
    passages: list[tuple[StoredChunk, float]]  # best first
    reader: QuestionReader | None = None  # the question's cross-encoder, which remembers what it read

    @property
    def with_conversation(self) -> bool:
        """Scored with the conversation: a leaning follow-up's scores run lower than a question's own."""
        return self.question != self.own_question


def rerank_passages(
    question: str, passages: list, index, threads: int = 1, full_depth: int | None = None, whole_chunks: int = 0,
    words_from: str | None = None, cross_encoder=None,
) -> tuple[list, list, list]:
    """Score passages and their quotable sentences against `question`.

    Passages: the first `whole_chunks` are ranked by the cross-encoder's score of their whole text;
    the rest follow, ranked by their best sentence (with `whole_chunks` 0, every passage is).
    Sentences (read with their section heading, leaning context and spelled-out abbreviations):
    every sentence of the first `full_depth` passages of that ranking (all, when None); below
    them, only sentences that share a telling word with the question (`shares_a_word_below`; with
    `words_from`, with that text instead: a follow-up scored with its conversation looks for the
    question's own words, not every word of the earlier exchange).
    `cross_encoder` (default: the process's, on `threads` workers) may be the question's
    `qa.search.rerank.QuestionReader`, so later steps reuse what was read here.
    Returns (sentences, their scores, passages ranked with their scores). Benchmarks use this too.
    """
    cross_encoder = cross_encoder or get_cross_encoder(threads)
    expand = lambda text: expand_journal_names(expand_acronyms(text, index.acronyms), question)  # noqa: E731
    common = lambda token: index.bm25.document_frequency(token) > COMMON_WORD_SHARE  # noqa: E731
    head = passages[:whole_chunks]
    if head and isinstance(cross_encoder, QuestionReader):
        # The sentences scored whatever the passages' ranking (those sharing a telling word) go in
        # one run with the whole passages, so neither core waits on the other; the reader keeps
        # their scores for the calls below. A sentence reads the same in any passage holding it.
        every = candidate_sentences(passages, index.section_heading, index.sentence_before, expand, index.lead_in)
        certain = every if full_depth is None else shares_a_word_below(every, set(), words_from or question, common)
        cross_encoder.read_pairs([(question, expand(chunk.text)) for chunk in head] + [(question, scoring_text(c)) for c in certain])
    head_scores = cross_encoder.score(question, [expand(chunk.text) for chunk in head]) if head else []
    ranked_head = sorted(zip(head, map(float, head_scores)), key=lambda pair: -pair[1])
    order = [chunk for chunk, _ in ranked_head] + passages[len(head) :]
    sentences = candidate_sentences(order, index.section_heading, index.sentence_before, expand, index.lead_in)
    top = {chunk.id for chunk in order[:full_depth]} if full_depth is not None else None
    sentences = shares_a_word_below(sentences, top, words_from or question, common)
    scores = cross_encoder.score(question, [scoring_text(c) for c in sentences]) if sentences else []
    scores = discount_leaning(sentences, scores)
    return sentences, scores, ranked_head + passage_scores(passages[len(head) :], sentences, scores)


def with_own_words(
    sentences: list, scores, eligible: set[str], question: str, top: int, own_weight: float, threads: int = 1
) -> list[float]:
    """Scores for choosing a follow-up's quotes: each of the best `top` sentences of the `eligible`
    passages gets the weighted mean of its score (against the question with its conversation) and
    its score against `question` as asked (weight `own_weight`); the others cannot be chosen (-inf).

    The conversation tells which passages a follow-up is about, but it also pulls towards the
    sentence the last answer came from ("What's his name?" after "the head assistant" scores
    that sentence best); the question's own words tell which sentence answers. On the coqa and
    follow dev sets' fit splits this chose answering sentences more often (bench/NOTEBOOK.md,
    "Conversations: what was tried and measured"). Over a corpus of one topic every question leans
    on the exchange before it, and with equal weights the exchange's own sentence won ("Is ketamine
    approved by the FDA?" after the alcohol trial quoted the alcohol trial): the question's words
    weigh a little more, over more sentences; more still lost pronoun follow-ups (the NOTEBOOK's
    entry on the quote choice's weight)."""
    ranked = sorted((i for i, c in enumerate(sentences) if c.chunk.id in eligible), key=lambda i: -float(scores[i]))[:top]
    blended = [float("-inf")] * len(sentences)
    if ranked:
        own = get_cross_encoder(threads).score(question, [scoring_text(sentences[i]) for i in ranked])
        for i, score in zip(ranked, own):
            blended[i] = (1 - own_weight) * float(scores[i]) + own_weight * float(score)
    return blended
