"""The candidate sentence: what every stage reads of a passage, and how quoted sentences become citations.

What it does: `candidate_sentences` collects the quotable sentences of the retrieved passages
(each once) as `Candidate`s, each with the heading of its section and, when it leans on it, the
sentence before it (or a list item's lead-in): "a single ketamine infusion..." under "Cocaine Use
Disorder" is known to be about cocaine. `scoring_text` is what the cross-encoder reads of a
candidate; `shares_a_word_below` keeps the lower passages' sentences worth scoring;
`discount_leaning` pushes down a leaning sentence that only repeats the one before it;
`passage_scores` ranks passages by their best sentence; `build_citations` turns chosen quotes into
the answer text and its numbered `Citation`s, each quote an exact span of the stored text.
What it does not: score anything (the search stage runs the cross-encoder), decide whether to
answer (the decision stage) or choose which sentences to quote (`qa.compose.extractive`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ingest.references import cited_numbers
from ingest.store import StoredChunk
from qa.answer import Citation, QuoteNumbers
from qa.text.bm25 import STEM_LETTERS, tokenize
from qa.text.markers import shown

QUOTABLE_KINDS = ("text", "bullet", "reference")
SHORT_SENTENCE_WORDS = 10
LEANING_PENALTY = 5.0  # logits: far enough to fall out of any quote margin
LEANING_OPENERS = frozenset(
    "however this these those it its they their such thus therefore but yet also moreover furthermore still".split()
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


def build_citations(quotes: list[tuple[Candidate, float]], document) -> tuple[str, list[Citation]]:
    """The answer text (each quote followed by `[n]`; list items on their own lines) and its citations.

    Each distinct quoted span gets its own number, in order of appearance: two quotes from one
    passage never share a number, so the answer's numbers and its Sources list agree one to one.
    In the text, the document's own markers read `(ref. 5)` (`qa.text.markers`); the citations keep
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
