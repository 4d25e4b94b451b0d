"""The answer a caller gets back: `Answer`, `Citation` and the `REFUSAL` sentence.

What it does: plain dataclasses whose `to_dict()` is the JSON contract of `python -m qa --json`, the
Gradio `/ask` endpoint and the evaluation tools; `elapsed_ms` for the step times of `Answer.timings`;
`document_label` for how a document is named on screen; `QuoteNumbers` for how quotes are numbered.
What it does not: build answers (see `extractive` and `chain`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

# Shown, alone and without sources, whenever the documents do not answer. Tests assert on it.
REFUSAL = "I can't answer that from the documents: none of their passages addresses this question."
# Heads the closest passages listed under a refusal: they are on topic but do not answer.
RELATED_HEADING = "The documents do not say this. Closest passages:"


def unmentioned_line(words: list[str]) -> str:
    """The line under a refusal that names the question's words no document uses."""
    quoted = [f"“{word}”" for word in words]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"The documents never use the word{'s' if len(words) > 1 else ''} {listed}."


TITLE_MAX_WORDS = 12  # a longer first line is prose, not a heading


def document_label(title: str | None, source: str) -> str:
    """What a document is called on screen: its title when it reads as a heading, else its file
    name. A plain-text document's stored title is its first line, which for some documents is
    the opening sentence; shown over every passage, that sentence reads as a quote."""
    title = (title or "").strip()
    if title and len(title.split()) <= TITLE_MAX_WORDS and title[-1] not in ".!?;:,":
        return title
    return source.rsplit("/", 1)[-1]


class QuoteNumbers:
    """How every answer numbers its quotes: one number per distinct quoted span (source, start,
    end), in order of first appearance. Two quotes of one passage get two numbers; the same span
    quoted again keeps its number."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, int, int], int] = {}

    def __call__(self, source: str, start: int, end: int) -> int:
        return self._numbers.setdefault((source, start, end), len(self._numbers) + 1)


def elapsed_ms(since: float) -> float:
    """Milliseconds since a `time.perf_counter()` reading, as `Answer.timings` holds them."""
    return (time.perf_counter() - since) * 1000.0


@dataclass
class Citation:
    """One verbatim quote: `stored_text(source)[start:end] == quote` always holds.

    `n` numbers the quote: each distinct quoted span of an answer has its own, in order of
    appearance (the answer text shows it as `[n]`, and the document's own markers inside the
    quote as `(ref. 5)`, `qa.text.markers`);
    `passage_start`/`passage_end` span that passage in the same stored text; `references` are
    the bibliography entries of markers such as `[5]` inside the quote.
    """

    n: int
    source: str
    title: str
    quote: str
    start: int
    end: int
    score: float
    passage_start: int = 0
    passage_end: int = 0
    references: list[dict] = field(default_factory=list)
    page: int | None = None

    def to_dict(self) -> dict:
        return {
            "n": self.n,
            "source": self.source,
            "title": self.title,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "score": round(float(self.score), 4),
            "passage_start": self.passage_start,
            "passage_end": self.passage_end,
            "references": self.references,
            "page": self.page,
        }


@dataclass
class Answer:
    """The answer text (quotes followed by `[n]`), its citations, and where the time went."""

    question: str
    standalone_question: str
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # e.g. a back end that fell back
    dropped: list[dict] = field(default_factory=list)  # LLM sentences the support check removed: {"sentence", "reason"}
    # With a refusal: the closest sentences, which do not answer; shown apart, never as citations.
    related: list[Citation] = field(default_factory=list)
    # With a refusal the question's own words decided: those it is about that no document uses in
    # any form ("methamphetamine"), named so the user can see why, or ask in the documents' words.
    unmentioned: list[str] = field(default_factory=list)
    # The earlier exchanges (newest first) the search weighed in beside the question; empty for a
    # question that stands alone, or a topic shift.
    searched_with: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [citation.to_dict() for citation in self.citations],
            "timings": {key: round(value, 2) for key, value in self.timings.items()},
            "notices": list(self.notices),
            "dropped": [dict(item) for item in self.dropped],
            "related": [citation.to_dict() for citation in self.related],
            "unmentioned": list(self.unmentioned),
            "searched_with": list(self.searched_with),
            "history_turns": self.history_turns(),
        }

    def history_turns(self) -> list[dict]:
        """The two turns this exchange adds to a chat history: the question, and the answer with
        the passages it cited ({"source", "start", "end"}; a refusal cites none), so the next
        question's search can stay with the documents being discussed."""
        assistant: dict = {"role": "assistant", "content": self.answer}
        if not self.refused and self.citations:
            assistant["citations"] = [{"source": c.source, "start": c.start, "end": c.end} for c in self.citations]
        return [{"role": "user", "content": self.question}, assistant]
