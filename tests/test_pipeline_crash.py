"""ingest.pipeline after a crash: a run that dies while embedding, after writing chunks, or in the
middle of an update leaves an index the next run repairs to exactly what a clean build gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import ingest.pipeline as pipeline
from conftest import EVIDENCE, OVERVIEW
from ingest.manifest import Manifest
from ingest.settings import IngestSettings
from ingest.store import IndexStore
from pipeline_helpers import chunk_vectors, comparable, ingest, open_store


class Crash(Exception):
    pass


def clean_build(folder: Path, tmp_path: Path, embedder) -> tuple[IngestSettings, Path]:
    copy = tmp_path / "clean-corpus"
    shutil.copytree(folder, copy)
    settings = IngestSettings(index=tmp_path / "clean-idx", chunk_chars=600, chunk_overlap=1)
    ingest([copy], settings, embedder)
    return settings, copy


def test_a_run_that_dies_while_embedding_is_repaired(corpus_copy, index_settings, fake_embedder, tmp_path, snapshot, monkeypatch):
    monkeypatch.setattr(pipeline, "EMBED_GROUP_CHUNKS", 1)  # one file per group
    real_encode, calls = fake_embedder.encode, []

    def encode(texts, **kwargs):
        calls.append(len(texts))
        if len(calls) == 2:
            raise Crash("killed during the second group")
        return real_encode(texts, **kwargs)

    monkeypatch.setattr(fake_embedder, "encode", encode)
    with pytest.raises(Crash):
        ingest([corpus_copy], index_settings, fake_embedder)
    half = Manifest.load(index_settings.index)
    assert half.dirty and list(half.files) == [OVERVIEW]  # the first group (file) was checkpointed
    assert open_store(index_settings).chunk_sources() == {OVERVIEW}

    report = ingest([corpus_copy], index_settings, fake_embedder)
    assert (report.added, report.unchanged, report.chunks) == (1, 1, 12)
    clean, _ = clean_build(corpus_copy, tmp_path, fake_embedder)
    assert comparable(snapshot(index_settings.index, index_settings)) == comparable(snapshot(clean.index, clean))
    vectors, clean_vectors = chunk_vectors(index_settings), chunk_vectors(clean)
    assert vectors.keys() == clean_vectors.keys()
    for id_ in vectors:
        np.testing.assert_allclose(vectors[id_], clean_vectors[id_], atol=1e-6)


def test_a_run_that_dies_after_writing_chunks_is_repaired(corpus_copy, index_settings, fake_embedder, tmp_path, snapshot, monkeypatch):
    real_put = IndexStore.put_documents

    def put_documents(self, documents):  # the chunks are written, the documents and manifest entries not
        raise Crash("killed between writes")

    monkeypatch.setattr(IndexStore, "put_documents", put_documents)
    with pytest.raises(Crash):
        ingest([corpus_copy], index_settings, fake_embedder)
    assert open_store(index_settings).chunk_sources() == {OVERVIEW, EVIDENCE}  # half-written
    assert open_store(index_settings).document(OVERVIEW) is None
    assert Manifest.load(index_settings.index).files == {}
    monkeypatch.setattr(IndexStore, "put_documents", real_put)

    ingest([corpus_copy], index_settings, fake_embedder)
    clean, _ = clean_build(corpus_copy, tmp_path, fake_embedder)
    assert comparable(snapshot(index_settings.index, index_settings)) == comparable(snapshot(clean.index, clean))


def test_a_crash_during_an_update_is_repaired_even_if_the_file_is_reverted(
    corpus_copy, index_settings, fake_embedder, tmp_path, snapshot, monkeypatch
):
    ingest([corpus_copy], index_settings, fake_embedder)
    path = corpus_copy / EVIDENCE
    original = path.read_bytes()
    path.write_bytes(original.replace(b"96 people", b"97 people"))
    real_put = IndexStore.put_documents

    def put_documents(self, documents):
        raise Crash("killed after the new chunks replaced the old ones")

    monkeypatch.setattr(IndexStore, "put_documents", put_documents)
    with pytest.raises(Crash):
        ingest([corpus_copy], index_settings, fake_embedder)
    assert any("97 people" in c.text for c in open_store(index_settings).all_chunks())
    monkeypatch.setattr(IndexStore, "put_documents", real_put)
    path.write_bytes(original)  # the user undoes the edit: the file has its indexed hash again

    ingest([corpus_copy], index_settings, fake_embedder)
    store = open_store(index_settings)
    assert not any("97 people" in c.text for c in store.all_chunks())
    assert any("96 people" in c.text for c in store.all_chunks())
    clean, _ = clean_build(corpus_copy, tmp_path, fake_embedder)
    assert comparable(snapshot(index_settings.index, index_settings)) == comparable(snapshot(clean.index, clean))


# -- reporting -------------------------------------------------------------------------------------
