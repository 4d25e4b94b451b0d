"""Build an answer out of verbatim sentences of the best passages.

What it does: the answer keeps the best few candidate sentences (`qa.text.sentences`, scored by
the cross-encoder in the search stage) within `quote_margin` of the best and, for a first
question, above `min_quote_score` (after an exchange, the best one whatever its score), drops
near-duplicates, completes a list whose lead-in ends with a colon (and drops a lead-in that
introduces sections rather than a list: "Key findings by condition:" before a heading), adds the
bibliography entry of a marker such as `[4]` when the question asks for a source, and orders
quotes for reading: the best document first, each document's quotes in document order. Every
quote is an exact span of the stored text; quotes from one passage share a citation number.
What it does not: decide whether to answer at all (see `qa.decision`) or generate text.
"""

from __future__ import annotations

import re

from ingest.references import cited_numbers
from qa.settings import Settings
from qa.text.bm25 import tokenize
from qa.text.sentences import Candidate

NEAR_DUPLICATE = 0.8  # Jaccard overlap of content words above which a sentence repeats another
MAX_LIST_ITEMS = 8
ASKS_FOR_SOURCE = re.compile(
    r"\b(cite[sd]?|citations?|references?|sources?|papers?|journals?|authors?|published|publications?|wrote|written)\b", re.I
)


def select_quotes(
    candidates: list[Candidate],
    scores,
    allowed_chunks: set[str],
    settings: Settings,
    first_question: bool = True,
) -> list[tuple[Candidate, float]]:
    """The best sentences of the allowed passages, best first, within `quote_margin` of the best
    and, for a first question (no exchange before it), at or above `min_quote_score`: one that
    matches no sentence that well is about nothing in the documents ("And the dose?" alone).
    After an exchange only the margin applies: the answerability decision judged the best
    sentence, and a fair follow-up often reads low, alone ("What happened over summer?") or with
    its conversation, whose scores run lower (the floor refused 11 of coqa's 298 kept-out
    answerable follow-ups and 4 of the 600 topic shifts the decision answered, and none of the
    follow set's unanswerable follow-ups: bench/NOTEBOOK.md)."""
    ranked = sorted(
        ((c, float(s)) for c, s in zip(candidates, scores) if c.chunk.id in allowed_chunks), key=lambda pair: -pair[1]
    )
    if not ranked:
        return []
    best = ranked[0][1]
    floor = max(settings.min_quote_score, best - settings.quote_margin) if first_question else best - settings.quote_margin
    chosen: list[tuple[Candidate, float]] = []
    for candidate, score in ranked:
        below_floor = score < floor
        if below_floor or len({_unit(c) for c, _ in chosen} | {_unit(candidate)}) > settings.max_quotes:
            break
        if not _repeats(candidate, chosen):
            chosen.append((candidate, score))
    return chosen


def _unit(candidate: Candidate) -> tuple:
    """What counts as one quote against `max_quotes`: a list lead-in and its items are one."""
    if candidate.kind == "bullet" and candidate.context:
        return (candidate.chunk.source, candidate.context)
    if candidate.text.rstrip().endswith(":"):
        return (candidate.chunk.source, candidate.text)
    return (candidate.chunk.source, candidate.start)


def _repeats(candidate: Candidate, chosen: list[tuple[Candidate, float]]) -> bool:
    words = set(tokenize(candidate.text))
    return any(_jaccard(words, set(tokenize(other.text))) > NEAR_DUPLICATE for other, _ in chosen)


def complete(quotes: list[tuple[Candidate, float]], question: str, index) -> list[tuple[Candidate, float]]:
    """Add the items of a quoted list lead-in and, for source questions, cited bibliography lines;
    drop a quoted lead-in of sections (a heading or the document's end follows it) beside other quotes."""
    have = {(c.chunk.source, c.start) for c, _ in quotes}
    extra: list[tuple[Candidate, float]] = []

    def add(candidate: Candidate, score: float) -> None:
        if (candidate.chunk.source, candidate.start) not in have:
            have.add((candidate.chunk.source, candidate.start))
            extra.append((candidate, score))

    section_leads: set[tuple[str, int]] = set()
    for candidate, score in quotes:
        if candidate.text.rstrip().endswith(":"):
            following = index.sentences_after(candidate.chunk.source, candidate.start, MAX_LIST_ITEMS)
            if not following or following[0][2] == "heading":
                section_leads.add((candidate.chunk.source, candidate.start))
            for start, end, kind, text in following:
                if kind != "bullet":
                    break
                add(_sibling(candidate, start, end, kind, text, index), score)
    if len(section_leads) < len(quotes):
        # A lead-in to the sections below it says nothing the reader can use; alone, it stays.
        quotes = [(c, s) for c, s in quotes if (c.chunk.source, c.start) not in section_leads]
    if ASKS_FOR_SOURCE.search(question):
        for candidate, score in quotes + extra:
            for number in cited_numbers(candidate.text):
                span = index.reference_sentence(candidate.chunk.source, number)
                if span:
                    add(_sibling(candidate, *span, index), score)
    return quotes + extra


def _sibling(candidate: Candidate, start: int, end: int, kind: str, text: str, index) -> Candidate:
    """A sentence of the same document, cited to the passage that holds it."""
    chunk = index.chunk_containing(candidate.chunk.source, start, end) or candidate.chunk
    return Candidate(chunk, start, end, kind, text, candidate.heading)


def reading_order(quotes: list[tuple[Candidate, float]]) -> list[tuple[Candidate, float]]:
    """Best document first (by its best quote), then document order within each document."""
    best: dict[str, float] = {}
    for candidate, score in quotes:
        best[candidate.chunk.source] = max(score, best.get(candidate.chunk.source, float("-inf")))
    return sorted(quotes, key=lambda pair: (-best[pair[0].chunk.source], pair[0].chunk.source, pair[0].start))


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
