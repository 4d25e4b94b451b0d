"""Build an answer out of verbatim sentences of the best passages.

What it does: collects the quotable sentences of the retrieved passages (each once), which the
chain scores against the question with the cross-encoder — a sentence is read together with the
heading of its section, so "a single ketamine infusion..." under "Cocaine Use Disorder" is known
to be about cocaine. A passage not ranked by its whole text scores its best sentence. The answer
keeps the best few sentences within `quote_margin` of the best and above `min_quote_score` (the
best one whatever its score when the question was scored with its conversation), drops
near-duplicates, completes a list whose lead-in ends with a colon, adds the bibliography entry of a
marker such as `[4]` when the question asks for a source, and orders quotes for reading: the best
document first, each document's quotes in document order. Every quote is an exact span of the
stored text; quotes from one passage share a citation number.
What it does not: decide whether to answer at all (see `answerability`) or generate text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.references import cited_numbers
from ingest.store import StoredChunk
from qa.answer import Citation, QuoteNumbers
from qa.bm25 import STEM_LETTERS, tokenize
from qa.markers import shown
from qa.settings import Settings

NEAR_DUPLICATE = 0.8  # Jaccard overlap of content words above which a sentence repeats another
QUOTABLE_KINDS = ("text", "bullet", "reference")
MAX_LIST_ITEMS = 8
SHORT_SENTENCE_WORDS = 10
LEANING_PENALTY = 5.0  # logits: far enough to fall out of any quote margin
LEANING_OPENERS = frozenset(
    "however this these those it its they their such thus therefore but yet also moreover furthermore still".split()
)
ASKS_FOR_SOURCE = re.compile(
    r"\b(cite[sd]?|citations?|references?|sources?|papers?|journals?|authors?|published|publications?|wrote|written)\b", re.I
)


@dataclass(frozen=True)
class Candidate:
    """A sentence that may be quoted; `chunk` is the best-retrieved passage holding it."""

    chunk: StoredChunk
    start: int
    end: int
    kind: str
    text: str
    heading: str | None
    context: str | None = None  # the sentence before, for a sentence that leans on it
    expanded: str | None = None  # the text as the cross-encoder reads it (acronyms spelled out)


def leans_on_previous(text: str) -> bool:
    """A short sentence, or one opening with a connective or pronoun, needs the one before it."""
    words = text.split()
    return len(words) < SHORT_SENTENCE_WORDS or words[0].lower().strip(",") in LEANING_OPENERS


def candidate_sentences(
    passages: list[StoredChunk], section_heading, sentence_before=None, expand=None, lead_in=None
) -> list[Candidate]:
    """Quotable sentences of `passages` (in retrieval order), each once, with its section heading
    and, when it leans on it, the sentence before it — for a list item, the list's lead-in
    (`lead_in(source, start)`: "Ketamine may help through several mechanisms:" is what
    "Reducing drug cravings..." is about); `expand(text)` rewrites what is scored."""
    seen: set[tuple[str, int]] = set()
    candidates = []
    for chunk in passages:
        for start, end, kind in chunk.sentences:
            if kind not in QUOTABLE_KINDS or (chunk.source, start) in seen:
                continue
            seen.add((chunk.source, start))
            text = chunk.text[start - chunk.start : end - chunk.start]
            context = None
            if sentence_before and kind == "text" and leans_on_previous(text):
                context = sentence_before(chunk.source, start, leans_on_previous)
            elif lead_in and kind == "bullet":
                context = lead_in(chunk.source, start)
            heading = section_heading(chunk.source, start)
            candidate = Candidate(chunk, start, end, kind, text, heading, context)
            if expand is not None:
                candidate = replace(candidate, expanded=expand(_plain_scoring_text(candidate)))
            candidates.append(candidate)
    return candidates


def scoring_text(candidate: Candidate) -> str:
    """What the cross-encoder reads for a sentence: its section heading, the sentence before it
    when it leans on it, then the sentence (with acronyms spelled out, when expanded)."""
    return candidate.expanded or _plain_scoring_text(candidate)


def _plain_scoring_text(candidate: Candidate) -> str:
    body = f"{candidate.context} {candidate.text}" if candidate.context else candidate.text
    return f"{candidate.heading}: {body}" if candidate.heading else body


def shares_a_word_below(
    candidates: list[Candidate], top_chunks: set[str] | None, question: str, common=lambda token: False
) -> list[Candidate]:
    """The candidates of `top_chunks`, and those of lower passages whose scoring text shares a
    content word with `question` (or a word with its first five letters) that is not `common`
    (the corpus's subject, "ketamine", is in every sentence): a sentence of a lower passage with
    no telling word in common with the question is hardly ever the answer, and each one scored
    costs a cross-encoder run. `top_chunks` None keeps every candidate."""
    if top_chunks is None:
        return candidates
    asked = {token[:STEM_LETTERS] for token in tokenize(question) if not common(token)}
    return [c for c in candidates if c.chunk.id in top_chunks or asked & _word_forms(scoring_text(c))]


def _word_forms(text: str) -> set[str]:
    return {token[:STEM_LETTERS] for token in tokenize(text)}


def discount_leaning(candidates: list[Candidate], scores) -> list[float]:
    """Scores with each leaning sentence that scores no higher than the sentence it leans on
    pushed `LEANING_PENALTY` down: it is read together with that sentence, so its score is mostly
    the other's ("Effects are enhanced with therapy." after a sentence on cravings), and quoting
    it would repeat an answer rather than add one."""
    adjusted = [float(score) for score in scores]
    by_source: dict[str, list[int]] = {}
    for i, candidate in enumerate(candidates):
        by_source.setdefault(candidate.chunk.source, []).append(i)
    for positions in by_source.values():
        positions.sort(key=lambda i: candidates[i].start)
        for before, after in zip(positions, positions[1:]):
            leaning = candidates[after]
            if leaning.context and leaning.kind == "text" and candidates[before].kind == "text":
                if adjusted[after] <= float(scores[before]):
                    adjusted[after] -= LEANING_PENALTY
    return adjusted


def passage_scores(passages: list[StoredChunk], candidates: list[Candidate], scores) -> list[tuple[StoredChunk, float]]:
    """Passages ranked by their best sentence's score (a passage with no quotable sentence last)."""
    by_span = {(c.chunk.source, c.start): float(s) for c, s in zip(candidates, scores)}
    ranked = []
    for chunk in passages:
        own = [by_span[(chunk.source, start)] for start, _, _ in chunk.sentences if (chunk.source, start) in by_span]
        ranked.append((chunk, max(own) if own else float("-inf")))
    return sorted(ranked, key=lambda pair: -pair[1])


def select_quotes(
    candidates: list[Candidate],
    scores,
    allowed_chunks: set[str],
    settings: Settings,
    with_conversation: bool = False,
) -> list[tuple[Candidate, float]]:
    """The best sentences of the allowed passages, best first, within `quote_margin` of the best
    and at or above `min_quote_score`. `with_conversation`: the scores are a follow-up's scored with
    its conversation, which run lower than the question's own (the answerability decision judged
    them); `min_quote_score`, a logit for a question alone, does not apply, only the margin."""
    ranked = sorted(
        ((c, float(s)) for c, s in zip(candidates, scores) if c.chunk.id in allowed_chunks), key=lambda pair: -pair[1]
    )
    if not ranked:
        return []
    best = ranked[0][1]
    floor = best - settings.quote_margin if with_conversation else max(settings.min_quote_score, best - settings.quote_margin)
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
    """Add the items of a quoted list lead-in and, for source questions, cited bibliography lines."""
    have = {(c.chunk.source, c.start) for c, _ in quotes}
    extra: list[tuple[Candidate, float]] = []

    def add(candidate: Candidate, score: float) -> None:
        if (candidate.chunk.source, candidate.start) not in have:
            have.add((candidate.chunk.source, candidate.start))
            extra.append((candidate, score))

    for candidate, score in quotes:
        if candidate.text.rstrip().endswith(":"):
            for start, end, kind, text in index.sentences_after(candidate.chunk.source, candidate.start, MAX_LIST_ITEMS):
                if kind != "bullet":
                    break
                add(_sibling(candidate, start, end, kind, text, index), score)
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


def build_citations(quotes: list[tuple[Candidate, float]], document) -> tuple[str, list[Citation]]:
    """The answer text (each quote followed by `[n]`; list items on their own lines) and its citations.

    Each distinct quoted span gets its own number, in order of appearance: two quotes from one
    passage never share a number, so the answer's numbers and its Sources list agree one to one.
    In the text, the document's own markers read `(ref. 5)` (`qa.markers`); the citations keep
    the quote verbatim."""
    number = QuoteNumbers()
    citations, text, previous_kind = [], "", None
    for candidate, score in quotes:
        chunk = candidate.chunk
        n = number(chunk.source, candidate.start, candidate.end)
        bibliography = (document(chunk.source) or {}).get("references", {})
        references = [bibliography[k] for k in cited_numbers(candidate.text) if k in bibliography]
        citations.append(
            Citation(
                n=n,
                source=chunk.source,
                title=chunk.title,
                quote=candidate.text,
                start=candidate.start,
                end=candidate.end,
                score=score,
                passage_start=chunk.start,
                passage_end=chunk.end,
                references=references,
                page=chunk.page,
            )
        )
        piece = f"{shown(candidate.text)} [{n}]"
        if candidate.kind == "bullet":
            text += f"\n- {piece}"
        else:
            text += ("\n" if previous_kind == "bullet" else " ") + piece
        previous_kind = candidate.kind
    return text.strip(), citations


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
