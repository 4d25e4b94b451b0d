"""Group whole sentences into overlapping chunks that keep their offsets.

What it does: walks the sentences of a document and packs them into chunks of about `chunk_chars`
characters, repeating the last `overlap` sentences at the start of the next chunk. A heading at the
end of a chunk moves to the next one, so it stays with the text it introduces. For every chunk,
`text[chunk.start:chunk.end]` is the chunk's text, and each of its sentences keeps its own span.
What it does not: split sentences (see `sentences`) or embed anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.sentences import Sentence


@dataclass(frozen=True)
class Chunk:
    """A run of consecutive sentences; `start`/`end` span them in the document text."""

    sentences: tuple[Sentence, ...]

    @property
    def start(self) -> int:
        return self.sentences[0].start

    @property
    def end(self) -> int:
        return self.sentences[-1].end

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]


def chunk_sentences(sentences: list[Sentence], chunk_chars: int, overlap: int) -> list[Chunk]:
    """Pack `sentences` (in document order) into chunks; every sentence lands in at least one chunk."""
    chunks: list[Chunk] = []
    current: list[Sentence] = []
    carried = 0  # how many sentences at the head of `current` repeat the previous chunk
    for sentence in sentences:
        if current and len(current) > carried and sentence.end - current[0].start > chunk_chars:
            emitted, held = _hold_back_headings(current)
            if len(emitted) > carried:
                chunks.append(Chunk(tuple(emitted)))
                tail = emitted[len(emitted) - overlap :] if overlap else []
                headings = [i for i, s in enumerate(tail) if s.kind == "heading"]
                tail = tail[headings[-1] + 1 :] if headings else tail  # no heading carried; no gaps
                tail = tail if len(tail) < len(emitted) else []
                current, carried = tail + held, len(tail)
        current.append(sentence)
    if len(current) > carried or not chunks:
        if current:
            chunks.append(Chunk(tuple(current)))
    return chunks


def _hold_back_headings(sentences: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """Split trailing headings off a chunk-to-be, keeping at least one sentence in it."""
    cut = len(sentences)
    while cut > 1 and sentences[cut - 1].kind == "heading":
        cut -= 1
    return sentences[:cut], sentences[cut:]
