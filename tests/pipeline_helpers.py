"""Helpers of the ingest pipeline's tests: run an ingest quietly, open its store, compare indexes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ingest.pipeline import IngestReport, run_ingest, signature
from ingest.store import IndexStore


def ingest(paths, settings, embedder, **kwargs) -> IngestReport:
    return run_ingest([Path(p) for p in paths], settings, progress=False, embedder=embedder, **kwargs)


def open_store(settings) -> IndexStore:
    return IndexStore(settings.index, signature(settings), create=False)


def ids_of(store: IndexStore, source: str) -> set[str]:
    return {c.id for c in store.all_chunks() if c.source == source}


def comparable(snap: dict) -> dict:
    """An index snapshot without what legitimately differs between two folders (the corpus root, the time of indexing)."""
    manifest = {source: {k: v for k, v in entry.items() if k not in ("root", "indexed_at")} for source, entry in snap["manifest"]["files"].items()}
    return {"chunks": snap["chunks"], "documents": snap["documents"], "files": manifest, "dirty": snap["manifest"]["dirty"]}


def chunk_vectors(settings) -> dict[str, np.ndarray]:
    store = open_store(settings)
    rows = store.chunks.get(include=["embeddings"])
    return {id_: np.asarray(vector) for id_, vector in zip(rows["ids"], rows["embeddings"])}
