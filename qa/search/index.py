"""The index as the answering side sees it: stored chunks, their BM25 index, and the documents.

What it does: opens the Chroma store read-only-in-spirit (it never writes), loads every chunk once
to build BM25 and caches stored documents, in a `LoadedIndex` that never changes once loaded: a
snapshot. `get_index` hands out the current snapshot of an index folder and, when `python -m
ingest` has changed the index since (it watches the manifest's modification time), loads a new one
and swaps it in; a question being answered keeps the snapshot it started with, so it never mixes
an old BM25 with new chunks. A document read later from the store that no longer matches the
snapshot's chunks raises `IndexChanged` (the chain then asks again on the new snapshot).
What it does not: rank (see `retrieve`) or build the index (see the `ingest` package).
"""

from __future__ import annotations

import threading
from pathlib import Path

from ingest.manifest import MANIFEST_NAME, Manifest, ManifestError
from ingest.pipeline import signature
from ingest.store import IndexMissing, IndexStore, StoredChunk
from qa.settings import Settings
from qa.text.abbreviations import find_acronyms
from qa.text.bm25 import BM25

NO_INDEX_HINT = "build it with `python -m ingest` (or `make index`)"


class IndexChanged(RuntimeError):
    """A document was re-ingested after this snapshot of the index was loaded."""


class LoadedIndex:
    """Chunks, BM25 and documents of one index as one ingest left it; `is_current()` says whether
    a later ingest has changed it since."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()  # guards the document cache, the only thing that grows
        self._stamp: float | None = None
        self._load()

    def _manifest_stamp(self) -> float | None:
        path = Path(self.settings.index) / MANIFEST_NAME
        try:
            return path.stat().st_mtime_ns
        except OSError:
            return None

    def _load(self) -> None:
        stamp = self._manifest_stamp()
        store = IndexStore(Path(self.settings.index), signature(self.settings), self.settings.chroma_url, create=False)
        chunks = store.all_chunks()
        if not chunks:
            raise IndexMissing(f"the index at {self.settings.index} is empty; {NO_INDEX_HINT}")
        chunks.sort(key=lambda chunk: (chunk.source, chunk.start))  # a stable order for ties
        self.store = store
        self.chunks: list[StoredChunk] = chunks
        self.position = {chunk.id: index for index, chunk in enumerate(chunks)}
        self.bm25 = BM25([f"{chunk.title}\n{chunk.text}" for chunk in chunks])
        self._documents: dict[str, dict | None] = {}
        self._first_chunk = {}
        for chunk in chunks:
            self._first_chunk.setdefault(chunk.source, chunk)
        self.sources = frozenset(self._first_chunk)  # the names of the documents it holds
        self._sentences: dict[str, dict[int, tuple[int, int, str, str]]] = {}
        for chunk in chunks:
            for start, end, kind in chunk.sentences:
                text = chunk.text[start - chunk.start : end - chunk.start]
                self._sentences.setdefault(chunk.source, {})[start] = (start, end, kind, text)
        self._ordered = {source: sorted(spans.values()) for source, spans in self._sentences.items()}
        self.acronyms = find_acronyms("\n".join(chunk.text for chunk in chunks))
        self._headings = {
            source: [(start, text) for start, _, kind, text in spans if kind == "heading"]
            for source, spans in self._ordered.items()
        }
        self._stamp = stamp

    def is_current(self) -> bool:
        """False when an ingest has finished since this snapshot was loaded (cheap: one stat).

        While a run is writing (the manifest is `dirty`), the last complete index stays current:
        answers never see a half-written one. The run's final, clean manifest ends it.
        """
        return self._manifest_stamp() == self._stamp or self._being_written()

    def _being_written(self) -> bool:
        try:
            return Manifest.load(Path(self.settings.index)).dirty
        except ManifestError:
            return False  # the reload reports what is wrong

    def document(self, source: str) -> dict | None:
        """The stored document (`text`, `title`, `references`, ...) or None. Raises `IndexChanged`
        when the store's copy no longer holds this snapshot's chunks of it (re-ingested since)."""
        with self._lock:
            if source not in self._documents:
                document = self.store.document(source)
                chunk = self._first_chunk.get(source)
                if chunk is not None and (document is None or document["text"][chunk.start : chunk.end] != chunk.text):
                    raise IndexChanged(f"{source} was re-ingested while this question was being answered")
                self._documents[source] = document
            return self._documents[source]

    def section_heading(self, source: str, offset: int) -> str | None:
        """The last heading of `source` that starts before `offset`, if any."""
        heading = None
        for start, text in self._headings.get(source, ()):
            if start >= offset:
                break
            heading = text
        return heading

    def sentences_after(self, source: str, offset: int, limit: int) -> list[tuple[int, int, str, str]]:
        """Up to `limit` (start, end, kind, text) sentences of `source` starting after `offset`."""
        following = [span for span in self._ordered.get(source, ()) if span[0] > offset]
        return following[:limit]

    def sentence_before(self, source: str, offset: int, lean=None) -> str | None:
        """The prose sentence right before the one at `offset`, if that one is prose too; when
        `lean(text)` says that sentence leans on its own predecessor, that one comes too (two at most)."""
        spans = self._ordered.get(source, ())
        position = next((i for i, span in enumerate(spans) if span[0] >= offset), len(spans))
        taken: list[str] = []
        for span in reversed(spans[max(0, position - 2) : position]):
            if span[2] != "text":
                break
            taken.insert(0, span[3])
            if lean is None or not lean(span[3]):
                break
        return " ".join(taken) or None

    def lead_in(self, source: str, offset: int) -> str | None:
        """For a list item at `offset`: the sentence introducing the list (ending with a colon)."""
        previous = None
        for span in self._ordered.get(source, ()):
            if span[0] >= offset:
                break
            if span[2] != "bullet":
                previous = span
        return previous[3] if previous and previous[3].rstrip().endswith(":") else None

    def reference_sentence(self, source: str, number: int) -> tuple[int, int, str, str] | None:
        """The bibliography line `[number] ...` of `source` as a sentence span, if present."""
        for span in self._ordered.get(source, ()):
            if span[2] == "reference" and span[3].startswith(f"[{number}]"):
                return span
        return None

    def chunk_containing(self, source: str, start: int, end: int) -> StoredChunk | None:
        """The first stored chunk of `source` whose span holds [start, end)."""
        for chunk in self.chunks:
            if chunk.source == source and chunk.start <= start and end <= chunk.end:
                return chunk
        return None

    def dense(self, vector, k: int) -> list[tuple[int, float]]:
        """(chunk position, cosine similarity) of the `k` nearest chunks."""
        hits = self.store.query(vector, k)
        return [(self.position[chunk.id], score) for chunk, score in hits if chunk.id in self.position]


_INDEXES: dict[tuple, LoadedIndex] = {}
_RELOADING: dict[tuple, threading.Lock] = {}
_INDEXES_LOCK = threading.Lock()


def get_index(settings: Settings) -> LoadedIndex:
    """The current snapshot of the index for these settings, shared by every caller in the process.

    After an ingest, the first caller loads the new snapshot and swaps it in; callers arriving
    meanwhile keep the previous one rather than wait."""
    key = (str(Path(settings.index).resolve()), settings.chroma_url, settings.chunk_chars, settings.chunk_overlap)
    with _INDEXES_LOCK:
        index = _INDEXES.get(key)
        if index is None:
            index = _INDEXES[key] = LoadedIndex(settings)
            return index
        reloading = _RELOADING.setdefault(key, threading.Lock())
    if index.is_current() or not reloading.acquire(blocking=False):
        return index
    try:
        with _INDEXES_LOCK:
            latest = _INDEXES[key]
        if latest is index:  # nobody swapped one in while this caller waited for the lock
            latest = LoadedIndex(settings)
            with _INDEXES_LOCK:
                _INDEXES[key] = latest
        return latest
    finally:
        reloading.release()
