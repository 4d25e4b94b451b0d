"""ingest.store: chunks and documents in Chroma, content-derived ids, and the settings guard."""

from __future__ import annotations

import json

import numpy as np
import pytest

import ingest.store as store_module
from ingest.store import IndexMismatch, IndexMissing, IndexStore, StoredChunk, chunk_id, delete_index, document_id

SIGNATURE = {"embedder": "all-MiniLM-L6-v2", "chunk_chars": 600, "chunk_overlap": 1, "text_rules": 1}
TEXT = "Heading\nKetamine reduced cravings [2]. Relapse fell.\nAnother line here."
FIRST = (8, 52)  # "Ketamine reduced cravings [2]. Relapse fell."
SECOND = (53, 71)  # "Another line here."


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
    return vector / np.linalg.norm(vector)


def row(source: str, start: int, end: int, text: str = TEXT, references=(), page: int = -1) -> dict:
    piece = text[start:end]
    return {
        "id": chunk_id(source, start, end, piece),
        "text": piece,
        "metadata": {
            "source": source,
            "title": "Heading",
            "start": start,
            "end": end,
            "sentences": json.dumps([[start, end, "text"]]),
            "references": json.dumps(list(references)),
            "page": page,
        },
    }


def test_the_test_offsets():
    assert TEXT[slice(*FIRST)] == "Ketamine reduced cravings [2]. Relapse fell."
    assert TEXT[slice(*SECOND)] == "Another line here."


def test_ids_come_from_content():
    assert chunk_id("a.txt", 0, 5, "Hello") == chunk_id("a.txt", 0, 5, "Hello")
    assert len(chunk_id("a.txt", 0, 5, "Hello")) == 32
    variants = {
        chunk_id("a.txt", 0, 5, "Hello"),
        chunk_id("b.txt", 0, 5, "Hello"),
        chunk_id("a.txt", 1, 5, "Hello"),
        chunk_id("a.txt", 0, 6, "Hello"),
        chunk_id("a.txt", 0, 5, "Hellp"),
    }
    assert len(variants) == 5
    assert document_id("a.txt") != document_id("b.txt")


def test_write_read_query_and_delete(tmp_path):
    store = IndexStore(tmp_path / "idx", SIGNATURE)
    assert store.count() == 0 and store.all_chunks() == [] and store.query(unit(0), 3) == []
    rows = [row("a.txt", *FIRST, references=[2]), row("a.txt", *SECOND, page=2), row("b.txt", 0, 7)]
    vectors = np.stack([unit(1), unit(2), unit(3)])
    store.add_chunks(rows, vectors)
    store.add_chunks(rows[:1], vectors[:1])  # same id again: overwritten, not duplicated
    store.put_document("a.txt", "Heading", TEXT, "h" * 64, {2: {"n": 2, "text": "[2] X", "doi": None, "year": 2001}}, [0, 40])
    assert store.count() == 3
    chunks = {c.id: c for c in store.all_chunks()}
    assert chunks[rows[0]["id"]] == StoredChunk(
        id=rows[0]["id"],
        source="a.txt",
        title="Heading",
        text="Ketamine reduced cravings [2]. Relapse fell.",
        start=8,
        end=52,
        sentences=((8, 52, "text"),),
        references=(2,),
        page=None,
    )
    assert chunks[rows[1]["id"]].page == 2
    assert store.chunk_sources() == {"a.txt", "b.txt"}
    assert store.document("a.txt") == {
        "source": "a.txt",
        "title": "Heading",
        "text": TEXT,
        "content_hash": "h" * 64,
        "references": {2: {"n": 2, "text": "[2] X", "doi": None, "year": 2001}},
        "page_starts": [0, 40],
    }
    assert store.document("missing.txt") is None

    hits = store.query(unit(2), 2)
    assert [chunk.id for chunk, _ in hits][0] == rows[1]["id"]
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert len(store.query(unit(2), 50)) == 3

    store.delete_source("a.txt")
    assert store.chunk_sources() == {"b.txt"} and store.document("a.txt") is None


def test_reading_pages_through_a_large_collection(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "PAGE_SIZE", 3)
    store = IndexStore(tmp_path / "idx", SIGNATURE)
    text = " ".join(f"w{i}" for i in range(20))
    rows = [row("p.txt", i, i + 2, text=text) for i in range(10)]
    store.add_chunks(rows, np.stack([unit(i) for i in range(10)]))
    assert sorted(c.id for c in store.all_chunks()) == sorted(r["id"] for r in rows)


def test_an_index_opened_with_other_settings_asks_for_a_rebuild(tmp_path):
    IndexStore(tmp_path / "idx", SIGNATURE)
    with pytest.raises(IndexMismatch) as caught:
        IndexStore(tmp_path / "idx", {**SIGNATURE, "chunk_chars": 300})
    message = str(caught.value)
    assert "chunk_chars: index has 600, settings say 300" in message
    assert "python -m ingest --rebuild" in message
    # the same settings open it fine, with or without create
    IndexStore(tmp_path / "idx", SIGNATURE, create=False)


def test_reading_a_missing_index(tmp_path):
    with pytest.raises(IndexMissing, match="build it with `python -m ingest`"):
        IndexStore(tmp_path / "nothing", SIGNATURE, create=False)
    assert not (tmp_path / "nothing").exists()


def test_delete_index_removes_collections_and_manifest(tmp_path):
    store = IndexStore(tmp_path / "idx", SIGNATURE)
    store.add_chunks([row("a.txt", *FIRST)], unit(1)[None, :])
    (tmp_path / "idx" / "manifest.json").write_text("{}")
    delete_index(tmp_path / "idx", None)
    assert not (tmp_path / "idx" / "manifest.json").exists()
    reopened = IndexStore(tmp_path / "idx", {**SIGNATURE, "chunk_chars": 300})  # no mismatch: it is new
    assert reopened.count() == 0
    delete_index(tmp_path / "idx", None)  # twice is fine
