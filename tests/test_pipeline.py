"""ingest.pipeline: the index follows the files — incremental, idempotent, offline (bad input:
`test_pipeline_bad_input.py`; after a crash: `test_pipeline_crash.py`)."""

from __future__ import annotations

import socket

import numpy as np
import pytest

import ingest.pipeline as pipeline
from conftest import EVIDENCE, OVERVIEW, NetworkBlocked
from ingest.load import load_document
from ingest.manifest import Manifest
from ingest.pipeline import IngestReport, collect_files, run_ingest, signature
from ingest.settings import IngestSettings
from ingest.store import IndexMismatch
from pipeline_helpers import comparable, ids_of, ingest, open_store


# -- a full build, offline -------------------------------------------------------------------------


def test_the_network_blocker_blocks_remote_hosts_and_allows_loopback(network_blocker):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    with network_blocker() as attempts:
        with pytest.raises(NetworkBlocked):
            socket.create_connection(("93.184.216.34", 80), timeout=1)
        with pytest.raises(NetworkBlocked):
            socket.getaddrinfo("huggingface.co", 443)
        with pytest.raises(NetworkBlocked):
            socket.socket().connect_ex(("1.1.1.1", 53))
        client = socket.create_connection(server.getsockname(), timeout=5)  # loopback still works
        accepted, _ = server.accept()
        accepted.close()
        client.close()
        socket.getaddrinfo("localhost", 80)
    server.close()
    assert len(attempts) == 3
    assert socket.getaddrinfo.__module__ == "socket"  # restored afterwards


def test_ingest_with_the_network_blocked(corpus_copy, index_settings, embedder, no_network):
    report = run_ingest([corpus_copy], index_settings, progress=False)  # the default, real embedder
    assert no_network == []  # nothing even tried to connect
    assert report.to_dict() == {
        "files": 2, "chunks": 12, "added": 2, "updated": 0, "removed": 0, "unchanged": 0, "skipped": [],
        "seconds": report.seconds,
    }
    store = open_store(index_settings)
    assert store.chunk_sources() == {OVERVIEW, EVIDENCE}
    hits = store.query(embedder.encode_query("What dose of ketamine was used for alcohol use disorder?"), 1)
    assert "0.8 mg/kg over 40 minutes" in hits[0][0].text


def test_offsets_of_every_stored_chunk_and_sentence(corpus_copy, index_settings, fake_embedder):
    ingest([corpus_copy], index_settings, fake_embedder)
    store = open_store(index_settings)
    chunks = store.all_chunks()
    assert len(chunks) == 12
    for chunk in chunks:
        document = store.document(chunk.source)
        text = document["text"]
        assert text[chunk.start : chunk.end] == chunk.text
        assert chunk.title == document["title"]
        assert chunk.page is None
        assert chunk.sentences[0][0] == chunk.start and chunk.sentences[-1][1] == chunk.end
        for start, end, kind in chunk.sentences:
            assert chunk.start <= start < end <= chunk.end
            assert text[start:end] == chunk.text[start - chunk.start : end - chunk.start]
            assert kind in {"text", "heading", "bullet", "reference"}
    for name in (OVERVIEW, EVIDENCE):  # the stored text is the cleaned text
        assert store.document(name)["text"] == load_document(corpus_copy / name, corpus_copy).text
    assert store.document(OVERVIEW)["text"].endswith("doi: 10.1080/02791072.2007.10399860.")  # no widget


def test_pdf_chunks_know_their_page(tmp_path, index_settings, fake_embedder, make_pdf):
    folder = tmp_path / "docs"
    folder.mkdir()
    sentence = "Ketamine reduced cravings in a small trial of adults with alcohol use disorder."
    make_pdf(folder / "paper.pdf", [[sentence] * 6, [sentence.replace("alcohol", "cocaine")] * 6])
    report = ingest([folder], index_settings.model_copy(update={"chunk_chars": 200}), fake_embedder)
    assert report.added == 1
    store = open_store(index_settings.model_copy(update={"chunk_chars": 200}))
    page_two = store.document("paper.pdf")["page_starts"][1]
    assert store.document("paper.pdf")["text"][page_two:].startswith(sentence.replace("alcohol", "cocaine"))
    chunks = store.all_chunks()
    assert len(chunks) >= 4
    assert {chunk.page for chunk in chunks} == {1, 2}
    for chunk in chunks:  # a chunk's page is the page where it starts
        assert chunk.page == (1 if chunk.start < page_two else 2)


# -- incremental -----------------------------------------------------------------------------------


def test_a_second_run_changes_nothing(corpus_copy, index_settings, fake_embedder):
    first = ingest([corpus_copy], index_settings, fake_embedder)
    before = {c.id for c in open_store(index_settings).all_chunks()}
    calls = len(fake_embedder.calls)
    second = ingest([corpus_copy], index_settings, fake_embedder)
    assert (first.added, first.unchanged) == (2, 0)
    assert (second.files, second.chunks, second.added, second.updated, second.removed, second.unchanged) == (2, 12, 0, 0, 0, 2)
    assert second.skipped == []
    assert len(fake_embedder.calls) == calls  # nothing re-embedded
    assert {c.id for c in open_store(index_settings).all_chunks()} == before


def test_modifying_a_file_replaces_only_its_chunks(corpus_copy, index_settings, fake_embedder, tmp_path, snapshot):
    ingest([corpus_copy], index_settings, fake_embedder)
    store = open_store(index_settings)
    evidence_before, overview_before = ids_of(store, EVIDENCE), ids_of(store, OVERVIEW)
    path = corpus_copy / EVIDENCE
    path.write_text(path.read_text().replace("96 people", "97 people"), encoding="utf-8")
    encoded_before = len(fake_embedder.encoded)

    report = ingest([corpus_copy], index_settings, fake_embedder)
    assert (report.added, report.updated, report.removed, report.unchanged, report.chunks) == (0, 1, 0, 1, 12)
    store = open_store(index_settings)
    assert ids_of(store, OVERVIEW) == overview_before
    evidence_after = ids_of(store, EVIDENCE)
    assert evidence_after != evidence_before and len(evidence_after) == 6
    # only the changed file was embedded again
    assert all(text in path.read_text() for text in fake_embedder.encoded[encoded_before:])
    assert len(fake_embedder.encoded) - encoded_before == 6
    assert "97 people" in store.document(EVIDENCE)["text"]
    assert not any("96 people" in c.text for c in store.all_chunks())
    # and the result is what a clean build of the new files gives
    clean = IngestSettings(index=tmp_path / "clean", chunk_chars=600, chunk_overlap=1)
    ingest([corpus_copy], clean, fake_embedder)
    assert comparable(snapshot(index_settings.index, index_settings)) == comparable(snapshot(clean.index, clean))


def test_deleting_a_file_removes_its_chunks_and_document(corpus_copy, index_settings, fake_embedder):
    ingest([corpus_copy], index_settings, fake_embedder)
    overview_ids = ids_of(open_store(index_settings), OVERVIEW)
    (corpus_copy / EVIDENCE).unlink()
    report = ingest([corpus_copy], index_settings, fake_embedder)
    assert (report.files, report.chunks, report.removed, report.unchanged) == (1, 6, 1, 1)
    store = open_store(index_settings)
    assert store.chunk_sources() == {OVERVIEW}
    assert ids_of(store, OVERVIEW) == overview_ids
    assert store.document(EVIDENCE) is None
    assert list(Manifest.load(index_settings.index).files) == [OVERVIEW]


def test_ingesting_one_file_does_not_remove_the_others(corpus_copy, index_settings, fake_embedder, tmp_path):
    ingest([corpus_copy], index_settings, fake_embedder)
    extra = tmp_path / "elsewhere" / "note.md"
    extra.parent.mkdir()
    extra.write_text("# A note\n\nKetamine is studied for cocaine use disorder.", encoding="utf-8")
    report = ingest([extra], index_settings, fake_embedder)
    assert (report.added, report.removed, report.chunks) == (1, 0, 13)
    assert open_store(index_settings).chunk_sources() == {OVERVIEW, EVIDENCE, "note.md"}
    # a single corpus file, unchanged, is reported as such and the rest stays
    report = ingest([corpus_copy / OVERVIEW], index_settings, fake_embedder)
    assert (report.unchanged, report.removed, report.chunks) == (1, 0, 13)
    # scanning the corpus folder again does not remove the note, which came from another folder
    report = ingest([corpus_copy], index_settings, fake_embedder)
    assert (report.unchanged, report.removed, report.chunks) == (2, 0, 13)


def test_a_file_named_twice_is_ingested_once(corpus_copy, index_settings, fake_embedder):
    report = ingest([corpus_copy, corpus_copy / EVIDENCE, corpus_copy], index_settings, fake_embedder)
    assert (report.files, report.added, report.chunks, report.skipped) == (2, 2, 12, [])
    assert len(fake_embedder.encoded) == 12


def test_two_files_with_one_name_keep_the_first(tmp_path, index_settings, fake_embedder):
    first, second = tmp_path / "a" / "note.txt", tmp_path / "b" / "note.txt"
    for path, word in ((first, "first"), (second, "second")):
        path.parent.mkdir()
        path.write_text(f"The {word} note about ketamine.")
    report = ingest([first, second], index_settings, fake_embedder)
    assert report.added == 1
    assert report.skipped == [{"path": str(second.resolve()), "reason": "another file named 'note.txt' is ingested in this run"}]
    assert [c.text for c in open_store(index_settings).all_chunks()] == ["The first note about ketamine."]


def test_hidden_files_and_folders_are_ignored(corpus_copy):
    (corpus_copy / ".draft.txt").write_text("Hidden.")
    (corpus_copy / ".git").mkdir()
    (corpus_copy / ".git" / "notes.txt").write_text("Hidden too.")
    (corpus_copy / "sub").mkdir()
    (corpus_copy / "sub" / "seen.txt").write_text("Seen.")
    files, folders = collect_files([corpus_copy])
    assert [f.relative_to(corpus_copy).as_posix() for f, _ in files] == [OVERVIEW, EVIDENCE, "sub/seen.txt"]
    assert folders == [corpus_copy.resolve()]


def test_a_missing_path_raises(tmp_path, index_settings, fake_embedder):
    with pytest.raises(FileNotFoundError, match="no such file or folder: .*missing"):
        ingest([tmp_path / "missing"], index_settings, fake_embedder)


# -- settings and rebuild --------------------------------------------------------------------------


def test_other_chunk_settings_ask_for_a_rebuild(corpus_copy, index_settings, fake_embedder):
    ingest([corpus_copy], index_settings, fake_embedder)
    smaller = index_settings.model_copy(update={"chunk_chars": 300})
    with pytest.raises(IndexMismatch) as caught:
        ingest([corpus_copy], smaller, fake_embedder)
    assert "--rebuild" in str(caught.value) and "chunk_chars: index has 600, settings say 300" in str(caught.value)
    assert open_store(index_settings).count() == 12  # untouched
    report = ingest([corpus_copy], smaller, fake_embedder, rebuild=True)
    assert (report.added, report.chunks) == (2, 22)
    assert Manifest.load(smaller.index).signature["chunk_chars"] == 300
    with pytest.raises(IndexMismatch):
        open_store(index_settings)


def test_rebuild_starts_from_nothing(corpus_copy, index_settings, fake_embedder):
    ingest([corpus_copy], index_settings, fake_embedder)
    (corpus_copy / EVIDENCE).unlink()
    report = ingest([corpus_copy], index_settings, fake_embedder, rebuild=True)
    assert (report.added, report.removed, report.unchanged, report.chunks) == (1, 0, 0, 6)


def test_a_manifest_from_other_settings_is_refused(corpus_copy, index_settings, fake_embedder):
    ingest([corpus_copy], index_settings, fake_embedder)
    manifest = Manifest.load(index_settings.index)
    manifest.signature = {**manifest.signature, "chunk_overlap": 3}
    manifest.save(index_settings.index)
    with pytest.raises(IndexMismatch, match="--rebuild"):
        ingest([corpus_copy], index_settings, fake_embedder)


# -- the report, embedding in groups ---------------------------------------------------------------


def test_the_report_and_its_summary():
    report = IngestReport(files=2, chunks=12, added=1, updated=0, removed=0, unchanged=1,
                          skipped=[{"path": "/c/x.txt", "reason": "empty file"}], seconds=1.234)
    assert list(report.to_dict()) == ["files", "chunks", "added", "updated", "removed", "unchanged", "skipped", "seconds"]
    assert report.summary() == (
        "2 files, 12 chunks in the index: 1 added, 0 updated, 0 removed, 1 unchanged, 1 skipped (1.2 s)\n"
        "  skipped /c/x.txt: empty file"
    )


def test_many_files_are_embedded_in_groups(tmp_path, index_settings, fake_embedder, monkeypatch):
    monkeypatch.setattr(pipeline, "EMBED_GROUP_CHUNKS", 4)
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(9):
        (folder / f"doc{number}.txt").write_text(f"Document number {number} talks about ketamine trials.")
    report = ingest([folder], index_settings, fake_embedder)
    assert (report.added, report.chunks) == (9, 9)
    assert [len(call) for call in fake_embedder.calls] == [4, 4, 1]
    assert signature(index_settings)["chunk_chars"] == 600


def test_encoding_goes_longest_first_in_slices_and_keeps_the_order(fake_embedder, monkeypatch):
    monkeypatch.setattr(pipeline, "ENCODE_SLICE_BATCHES", 2)
    texts = ["a", "ccc", "bb", "dddd", "e"]

    class Bar:
        done = 0

        def update(self, n):
            self.done += n

    bar = Bar()
    vectors = pipeline._encode(fake_embedder, texts, batch_size=1, bar=bar)
    assert fake_embedder.calls == [["dddd", "ccc"], ["bb", "a"], ["e"]]
    np.testing.assert_array_equal(vectors, fake_embedder.encode(texts))
    assert bar.done == len(texts)
