"""Parse a numbered bibliography and find the in-text markers that point into it.

What it does: `parse_references(text)` reads lines such as
`[5] Krupitsky EM, Burakov AM, ... J Psychoactive Drugs. 2007;39(1):13-9. doi: 10.1080/...` into
`Reference(n, text, doi, year)`; `cited_numbers(sentence)` finds the markers `[5]`, `[2, 3]` or
`[2-4]` in prose, so a passage knows which entries back it.
What it does not: look anything up or validate a DOI; a bibliography line itself is not a marker.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

REFERENCE_ENTRY = re.compile(r"^\[(\d{1,3})\][ \t]+(\S.*)$", re.M)
MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*)\]")
DOI = re.compile(r"\bdoi:?\s*(10\.\d{4,9}/\S+?)(?=[.,;]?(?:\s|$))", re.I)
YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
MAX_RANGE = 50


@dataclass(frozen=True)
class Reference:
    """One bibliography entry."""

    n: int
    text: str
    doi: str | None = None
    year: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def parse_references(text: str) -> dict[int, Reference]:
    """Bibliography entries of `text` by number (the first entry wins if a number repeats)."""
    entries: dict[int, Reference] = {}
    for match in REFERENCE_ENTRY.finditer(text):
        number, body = int(match.group(1)), match.group(2).strip()
        if number in entries:
            continue
        doi = DOI.search(body)
        year = YEAR.search(body)
        entries[number] = Reference(
            n=number,
            text=f"[{number}] {body}",
            doi=doi.group(1) if doi else None,
            year=int(year.group(1)) if year else None,
        )
    return entries


def cited_numbers(sentence: str) -> list[int]:
    """Reference numbers cited by in-text markers, in order of first appearance, without repeats.

    A line that *is* a bibliography entry cites nothing.
    """
    if REFERENCE_ENTRY.match(sentence.strip()):
        return []
    numbers: list[int] = []
    for match in MARKER.finditer(sentence):
        for part in re.split(r"\s*,\s*", match.group(1)):
            bounds = re.split(r"\s*[\u2013-]\s*", part)
            low, high = int(bounds[0]), int(bounds[-1])
            if high < low or high - low > MAX_RANGE:
                high = low
            for number in range(low, high + 1):
                if number not in numbers:
                    numbers.append(number)
    return numbers
