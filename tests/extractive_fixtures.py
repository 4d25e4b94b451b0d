"""A small hand-built document, its chunks and candidates, and a fake index for the tests of `qa.compose.extractive`."""

from __future__ import annotations

from ingest.store import StoredChunk
from qa.settings import Settings
from qa.text.sentences import Candidate

# A small document: (text, kind) lines joined by newlines; offsets are computed, never typed.
LINES = [
    ("Alcohol Use Disorder", "heading"),  # 0
    ("The trial used 0.8 mg/kg over 40 minutes [2].", "text"),  # 1
    ("Patients had more days abstinent.", "text"),  # 2
    ("Common symptoms include:", "text"),  # 3
    ("Strong cravings", "bullet"),  # 4
    ("Tolerance", "bullet"),  # 5
    ("Withdrawal when stopping", "bullet"),  # 6
    ("More research is needed.", "text"),  # 7
    ("[2] Grabski M, et al. Am J Psychiatry. 2022;179(2):152-162.", "reference"),  # 8
]
SOURCE = "evidence.txt"
TEXT = "\n".join(text for text, _ in LINES)
SPANS: list[tuple[int, int, str]] = []
_offset = 0
for _text, _kind in LINES:
    SPANS.append((_offset, _offset + len(_text), _kind))
    _offset += len(_text) + 1
BIBLIOGRAPHY = {2: {"n": 2, "text": LINES[8][0], "doi": None, "year": 2022}}


def make_chunk(first: int, last: int, source: str = SOURCE, text: str = TEXT, spans=None) -> StoredChunk:
    """The chunk holding sentences first..last (inclusive) of a document."""
    spans = spans or SPANS
    start, end = spans[first][0], spans[last][1]
    return StoredChunk(
        id=f"{source}:{first}-{last}",
        source=source,
        title="Evidence",
        text=text[start:end],
        start=start,
        end=end,
        sentences=tuple(spans[first : last + 1]),
        references=(),
    )


def headings(source: str, offset: int):
    return "Alcohol Use Disorder" if source == SOURCE and offset > SPANS[0][0] else None


def candidate(chunk: StoredChunk, number: int, spans=None, text: str = TEXT) -> Candidate:
    start, end, kind = (spans or SPANS)[number]
    return Candidate(chunk, start, end, kind, text[start:end], headings(chunk.source, start))


class FakeIndex:
    """The look-ups `complete()` and `build_citations` need, over one document."""

    def __init__(self, chunks: list[StoredChunk]):
        self.chunks = chunks
        self.ordered = {SOURCE: [(s, e, k, TEXT[s:e]) for s, e, k in SPANS]}

    def sentences_after(self, source, offset, limit):
        return [span for span in self.ordered.get(source, ()) if span[0] > offset][:limit]

    def reference_sentence(self, source, number):
        for span in self.ordered.get(source, ()):
            if span[2] == "reference" and span[3].startswith(f"[{number}]"):
                return span
        return None

    def document(self, source):
        return {"text": TEXT, "references": BIBLIOGRAPHY} if source == SOURCE else None

    def chunk_containing(self, source, start, end):
        for chunk in self.chunks:
            if chunk.source == source and chunk.start <= start and end <= chunk.end:
                return chunk
        return None


def settings(**overrides) -> Settings:
    values = {"max_quotes": 3, "quote_margin": 4.0, "min_quote_score": -3.0, **overrides}
    return Settings(**values)
