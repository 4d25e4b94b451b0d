"""The persistent vector store: chunks with their vectors and offsets, and the cleaned documents.

What it does: opens Chroma (an embedded `PersistentClient` under the index folder, or an
`HttpClient` when `chroma_url` is set) with telemetry off; keeps two collections, `chunks` (vectors,
text, offsets, sentence spans, cited references) and `documents` (the stored text that quotes refer
to, title, bibliography). Chunk ids come from content (source, offsets, text hash), so writing the
same chunk twice is a no-op. The `chunks` collection records the embedder and chunking settings;
opening it with other settings raises `IndexMismatch` instead of mixing vectors.
What it does not: decide what to re-ingest (see `pipeline`) or rank anything (see `qa.search.retrieve`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from ingest.offline import ensure_offline

CHUNKS = "quoteqa_chunks"
DOCUMENTS = "quoteqa_documents"
SCHEMA_VERSION = 1
PAGE_SIZE = 2000  # rows per `get` when reading a whole collection


class IndexMismatch(RuntimeError):
    """The index was built with other settings; the message says how to rebuild."""


class IndexMissing(RuntimeError):
    """There is no index yet; the message says how to build one."""


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back from the store."""

    id: str
    source: str
    title: str
    text: str
    start: int
    end: int
    sentences: tuple[tuple[int, int, str], ...]  # (start, end, kind), offsets into the document
    references: tuple[int, ...]
    page: int | None = None


def chunk_id(source: str, start: int, end: int, text: str) -> str:
    digest = hashlib.sha256(f"{source}\x00{start}\x00{end}\x00{text}".encode()).hexdigest()
    return digest[:32]


def document_id(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()[:32]


def open_client(index_dir: Path, chroma_url: str | None):
    ensure_offline()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        url = urlparse(chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    index_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=chroma_settings)


class IndexStore:
    """Both collections of one index, opened with the settings they must match."""

    def __init__(self, index_dir: Path, signature: dict, chroma_url: str | None = None, create: bool = True):
        self.index_dir = Path(index_dir)
        self.signature = {"schema": SCHEMA_VERSION, **signature}
        if not create and not chroma_url and not (self.index_dir / "chroma").exists():
            raise IndexMissing(f"no index at {self.index_dir}; build it with `python -m ingest`")
        self.client = open_client(self.index_dir, chroma_url)
        self.chunks = self._collection(CHUNKS, create, {"hnsw:space": "cosine", **self._flat_signature()})
        self.documents = self._collection(DOCUMENTS, create, {"hnsw:space": "l2"})
        self._check_signature()

    def _flat_signature(self) -> dict:
        return {f"quoteqa_{key}": value for key, value in self.signature.items()}

    def _collection(self, name: str, create: bool, metadata: dict):
        if create:
            return self.client.get_or_create_collection(name, metadata=metadata, embedding_function=None)
        try:
            return self.client.get_collection(name, embedding_function=None)
        except Exception:  # Chroma raises different types across versions and clients
            raise IndexMissing(f"no index at {self.index_dir}; build it with `python -m ingest`") from None

    def _check_signature(self) -> None:
        stored = {k[len("quoteqa_") :]: v for k, v in (self.chunks.metadata or {}).items() if k.startswith("quoteqa_")}
        if stored != self.signature:
            differences = ", ".join(
                f"{key}: index has {stored.get(key)!r}, settings say {self.signature.get(key)!r}"
                for key in sorted(set(stored) | set(self.signature))
                if stored.get(key) != self.signature.get(key)
            )
            raise IndexMismatch(
                f"the index at {self.index_dir} was built with other settings ({differences}); "
                "run `python -m ingest --rebuild` to rebuild it"
            )

    # -- writing -------------------------------------------------------------------------------

    def add_chunks(self, rows: list[dict], vectors) -> None:
        """Store chunk rows (from `pipeline`) with their vectors; existing ids are overwritten."""
        for begin in range(0, len(rows), PAGE_SIZE):
            part = rows[begin : begin + PAGE_SIZE]
            self.chunks.upsert(
                ids=[row["id"] for row in part],
                documents=[row["text"] for row in part],
                embeddings=vectors[begin : begin + PAGE_SIZE],
                metadatas=[row["metadata"] for row in part],
            )

    def put_document(self, source: str, title: str, text: str, content_hash: str, references: dict, page_starts) -> None:
        self.put_documents([(source, title, text, content_hash, references, page_starts)])

    def put_documents(self, documents: list[tuple]) -> None:
        """Store many documents in one write: tuples of `put_document`'s arguments."""
        for begin in range(0, len(documents), PAGE_SIZE):
            part = documents[begin : begin + PAGE_SIZE]
            self.documents.upsert(
                ids=[document_id(source) for source, *_ in part],
                documents=[text for _, _, text, *_ in part],
                embeddings=[[0.0]] * len(part),
                metadatas=[
                    {
                        "source": source,
                        "title": title,
                        "content_hash": content_hash,
                        "references": json.dumps(references),
                        "page_starts": json.dumps(list(page_starts)),
                    }
                    for source, title, _, content_hash, references, page_starts in part
                ],
            )

    def delete_source(self, source: str) -> None:
        self.delete_sources([source])

    def delete_sources(self, sources: list[str]) -> None:
        """Remove the chunks and documents of many sources in a few writes (each write is a commit)."""
        for begin in range(0, len(sources), PAGE_SIZE):
            part = list(sources[begin : begin + PAGE_SIZE])
            self.chunks.delete(where={"source": part[0]} if len(part) == 1 else {"source": {"$in": part}})
            self.documents.delete(ids=[document_id(source) for source in part])

    def chunk_sources(self) -> set[str]:
        return {meta["source"] for meta in self._all(self.chunks, ["metadatas"])["metadatas"]}

    # -- reading -------------------------------------------------------------------------------

    def count(self) -> int:
        return self.chunks.count()

    def all_chunks(self) -> list[StoredChunk]:
        rows = self._all(self.chunks, ["documents", "metadatas"])
        return [_stored_chunk(id_, text, meta) for id_, text, meta in zip(rows["ids"], rows["documents"], rows["metadatas"])]

    def query(self, vector, k: int) -> list[tuple[StoredChunk, float]]:
        """The `k` nearest chunks to a unit vector, with cosine similarity."""
        if k <= 0:
            return []
        # No count() first: Chroma caps n_results at the collection size itself, and counting
        # costs as much as the search at 100k chunks (an extra round trip on a server).
        result = self.chunks.query(
            query_embeddings=[list(map(float, vector))], n_results=k, include=["documents", "metadatas", "distances"]
        )
        return [
            (_stored_chunk(id_, text, meta), 1.0 - float(distance))
            for id_, text, meta, distance in zip(
                result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0]
            )
        ]

    def document(self, source: str) -> dict | None:
        """The stored document: `text`, `title`, `references` ({n: entry}), `page_starts`."""
        row = self.documents.get(ids=[document_id(source)], include=["documents", "metadatas"])
        if not row["ids"]:
            return None
        meta = row["metadatas"][0]
        return {
            "source": meta["source"],
            "title": meta["title"],
            "text": row["documents"][0],
            "content_hash": meta["content_hash"],
            "references": {int(k): v for k, v in json.loads(meta["references"]).items()},
            "page_starts": json.loads(meta["page_starts"]),
        }

    def _all(self, collection, include: list[str]) -> dict:
        merged: dict[str, list] = {"ids": [], **{field: [] for field in include}}
        offset = 0
        while True:
            page = collection.get(include=include, limit=PAGE_SIZE, offset=offset)
            for key in merged:
                merged[key].extend(page[key] or [])
            if len(page["ids"]) < PAGE_SIZE:
                return merged
            offset += PAGE_SIZE


def _stored_chunk(id_: str, text: str, meta: dict) -> StoredChunk:
    return StoredChunk(
        id=id_,
        source=meta["source"],
        title=meta["title"],
        text=text,
        start=int(meta["start"]),
        end=int(meta["end"]),
        sentences=tuple(tuple(s) for s in json.loads(meta["sentences"])),
        references=tuple(json.loads(meta["references"])),
        page=int(meta["page"]) if meta.get("page", -1) >= 0 else None,
    )


def delete_index(index_dir: Path, chroma_url: str | None) -> None:
    """Remove both collections and the manifest (for `--rebuild`)."""
    client = open_client(Path(index_dir), chroma_url)
    for name in (CHUNKS, DOCUMENTS):
        try:
            client.delete_collection(name)
        except Exception:  # absent already
            pass
    manifest = Path(index_dir) / "manifest.json"
    if manifest.exists():
        manifest.unlink()
