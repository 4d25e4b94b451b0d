"""Split cleaned text into sentences that keep their character offsets.

What it does: returns `Sentence(start, end, kind)` spans such that `text[start:end]` is the sentence,
stripped of surrounding whitespace and of a leading bullet marker. Every line break ends a sentence
(the cleaner has already re-joined hard-wrapped paragraphs), so headings and bullets without a full
stop stand alone. Inside a line, a full stop ends a sentence unless it belongs to an abbreviation
(`e.g.`, `et al.` before a lower-case word), an initial, a number (`0.8`), a DOI, a citation inside
parentheses (`(Grabski et al., Am J Psychiatry. 2022;179(2):152-162)`) or a journal abbreviation
followed by its year (`Psychosom. 2020;89(2)`).
What it does not: clean text or group sentences into chunks (see `clean` and `chunk`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A bibliography entry: "[5] Krupitsky EM, ..." (kept whole: it is one citation, not prose).
REFERENCE_LINE = re.compile(r"^\[(\d{1,3})\]\s+\S")
BULLET_MARKER = re.compile(r"^(?:[-*+\u2022]|\d{1,2}[.)])\s+")
# Candidate end of sentence: terminal punctuation, optional closing quotes/brackets, then space.
CANDIDATE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+\S)")
CITATION_YEAR = re.compile(r"\d{4}\s*[;:(]")
# Words that end in a full stop without ending the sentence.
ABBREVIATIONS = {
    "e.g", "i.e", "vs", "cf", "approx", "dr", "mr", "mrs", "ms", "prof", "fig", "figs", "no",
    "nos", "vol", "pp", "st", "jr", "sr", "inc", "ltd", "co", "dept", "univ", "ca", "resp", "ref",
    "refs", "eq", "al.,", "u.s", "u.k", "e.u", "p", "approx", "est",
}  # not units: "7.5 mg. Furthermore" and "30 min. Sensitivity" end sentences
HEADING_MAX_CHARS = 90


@dataclass(frozen=True)
class Sentence:
    """A sentence as a span of the text it came from; `kind` is text, heading, bullet or reference."""

    start: int
    end: int
    kind: str = "text"

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]


def split_sentences(text: str) -> list[Sentence]:
    """All sentences of `text`, in order, with offsets into `text`."""
    sentences: list[Sentence] = []
    line_start = 0
    for line in text.split("\n"):
        sentences.extend(_split_line(line, line_start))
        line_start += len(line) + 1
    return sentences


def _split_line(line: str, offset: int) -> list[Sentence]:
    stripped = line.strip()
    if not stripped:
        return []
    lead = len(line) - len(line.lstrip())
    if REFERENCE_LINE.match(stripped):
        return [Sentence(offset + lead, offset + lead + len(stripped), "reference")]
    kind = "text"
    bullet = BULLET_MARKER.match(stripped)
    if bullet:
        lead += bullet.end()
        kind = "bullet"
    body_end = len(line.rstrip())
    spans: list[Sentence] = []
    piece_start = lead
    depth = ParenDepth(line, lead)
    for match in CANDIDATE_END.finditer(line, lead, body_end):
        if depth.at(match.start()) == 0 and _is_boundary(line, match.start(), match.end()):
            spans.append(Sentence(offset + piece_start, offset + match.end(), kind))
            piece_start = _skip_space(line, match.end())
    if piece_start < body_end:
        spans.append(Sentence(offset + piece_start, offset + body_end, kind))
    if len(spans) == 1 and kind == "text" and _looks_like_heading(line[lead:body_end]):
        spans = [Sentence(spans[0].start, spans[0].end, "heading")]
    return spans


def _is_boundary(line: str, punct_start: int, end: int) -> bool:
    """Whether the punctuation at `punct_start` (ending at `end`), outside brackets, ends a sentence."""
    nxt = _skip_space(line, end)
    following = line[nxt:]
    if not following:
        return True
    first = following[0]
    if first.islower() or first in ",;:":
        return False
    if line[punct_start] != ".":
        return True
    word = _word_before(line, punct_start)
    lowered = word.lower()
    if lowered in ABBREVIATIONS:
        return False
    if lowered == "al" and _word_before(line, punct_start - len(word) - 1).lower() == "et":
        return first.isupper() and not CITATION_YEAR.match(following)
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith"
        return False
    if CITATION_YEAR.match(following):  # "Am J Psychiatry. 2022;179(2)"
        return False
    return True


def _word_before(line: str, index: int) -> str:
    """The run of non-space characters that ends right before `index`, without leading brackets."""
    start = index
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    return line[start:index].lstrip("([\"'\u201c")


class ParenDepth:
    """How many brackets are open before a position of a line, read left to right once: the
    candidate ends of a line come in order, so each character is read once (a long line of a
    bibliography has hundreds of candidate ends)."""

    def __init__(self, line: str, start: int) -> None:
        self._line, self._read, self._depth = line, start, 0

    def at(self, index: int) -> int:
        for char in self._line[self._read : index]:
            if char in "([":
                self._depth += 1
            elif char in ")]" and self._depth > 0:
                self._depth -= 1
        self._read = max(self._read, index)
        return self._depth


def _skip_space(line: str, index: int) -> int:
    while index < len(line) and line[index].isspace():
        index += 1
    return index


def _looks_like_heading(line: str) -> bool:
    line = line.strip()
    return (
        0 < len(line) <= HEADING_MAX_CHARS
        and line[-1] not in ".!?:;,"
        and not line[0].islower()
        and len(line.split()) <= 12
    )
