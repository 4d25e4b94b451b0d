"""Corpus-folder operations (`ingest.corpus`): upload, list and remove documents, with a fake embedder.

Checks that an upload lands in the corpus folder and the index, that a bad file is reported and
never kept, that a name clash renames (or replaces when asked, restoring the old file when the new
one is bad), that removing deletes chunks and file, that writers are serialised, and that a reader
keeps the last complete index while a write is under way.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from ingest import corpus as corpus_ops
from ingest.corpus import CorpusError, add_files, free_name, list_documents, remove_document, safe_name
from ingest.manifest import Manifest
from ingest.pipeline import run_ingest, signature
from ingest.settings import IngestSettings
from ingest.store import IndexStore

NOTE = "# Field notes\n\nThe zebrafish study counted 41 stripes on average in adult fish.\n"


@pytest.fixture
def settings(corpus_copy, tmp_path, fake_embedder):
    settings = IngestSettings(index=tmp_path / "idx", corpus=corpus_copy)
    run_ingest([corpus_copy], settings, progress=False, embedder=fake_embedder)
    return settings


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()

    def write(name: str, content: str | bytes) -> Path:
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return write


def _store(settings):
    return IndexStore(Path(settings.index), signature(settings), create=False)


def test_an_upload_is_copied_into_the_corpus_and_indexed(settings, uploads, fake_embedder):
    steps = []
    result = add_files([uploads("notes.md", NOTE)], settings, embedder=fake_embedder, on_progress=lambda *s: steps.append(s))
    assert (result["added"], result["updated"], result["skipped"], result["renamed"]) == (1, 0, [], [])
    assert result["files"] == 3 and result["chunks"] == _store(settings).count()
    assert (Path(settings.corpus) / "notes.md").read_text(encoding="utf-8") == NOTE
    assert "zebrafish" in _store(settings).document("notes.md")["text"]
    assert ("Embedding", 1, 1) in steps and steps[-1] == ("Storing", 1, 1)
    listed = {doc["source"]: doc for doc in list_documents(settings)}
    assert listed["notes.md"]["title"] == "Field notes" and listed["notes.md"]["chunks"] == 1
    assert listed["notes.md"]["indexed_at"].endswith("Z")


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", "  \n", "empty"),
        ("binary.txt", b"\x00\x01\x02abc" * 10, "binary"),
        ("latin1.txt", "caf\xe9 au lait".encode("latin-1"), "not UTF-8"),
        ("picture.png", b"\x89PNG....", "unsupported file type"),
        ("scan.pdf", b"%PDF-1.4 not really", "PDF"),
    ],
)
def test_a_bad_file_is_reported_and_not_kept(settings, uploads, fake_embedder, snapshot, name, content, reason):
    before = snapshot(Path(settings.index), settings)
    result = add_files([uploads(name, content), uploads("notes.md", NOTE)], settings, embedder=fake_embedder)
    assert [item["path"] for item in result["skipped"]] == [name]
    assert reason in result["skipped"][0]["reason"]
    assert not (Path(settings.corpus) / name).exists()
    assert result["added"] == 1  # the good file of the same upload is kept
    after = snapshot(Path(settings.index), settings)
    assert set(before["documents"]) < set(after["documents"])  # nothing already indexed is lost


def test_a_file_over_the_size_limit_is_refused(settings, uploads, fake_embedder):
    small = settings.model_copy(update={"max_file_mb": 0.0001})  # about 100 bytes
    result = add_files([uploads("big.txt", "Long text. " * 50)], small, embedder=fake_embedder)
    assert result["added"] == 0 and "too large" in result["skipped"][0]["reason"]
    assert "QUOTEQA_MAX_FILE_MB" in result["skipped"][0]["reason"]
    assert not (Path(settings.corpus) / "big.txt").exists()


def test_a_name_clash_renames_and_never_overwrites(settings, uploads, fake_embedder):
    first = add_files([uploads("notes.md", NOTE)], settings, embedder=fake_embedder)
    other = NOTE.replace("41", "43")
    second = add_files([uploads("notes.md", other)], settings, embedder=fake_embedder)
    assert first["added"] == second["added"] == 1
    assert second["renamed"] == [{"from": "notes.md", "to": "notes-2.md"}]
    assert (Path(settings.corpus) / "notes.md").read_text(encoding="utf-8") == NOTE
    assert (Path(settings.corpus) / "notes-2.md").read_text(encoding="utf-8") == other


def test_the_same_file_again_is_unchanged_not_a_copy(settings, uploads, fake_embedder):
    add_files([uploads("notes.md", NOTE)], settings, embedder=fake_embedder)
    again = add_files([uploads("notes.md", NOTE)], settings, embedder=fake_embedder)
    assert (again["added"], again["unchanged"], again["renamed"]) == (0, 1, [])
    assert sorted(p.name for p in Path(settings.corpus).iterdir() if p.name.startswith("notes")) == ["notes.md"]


def test_replace_updates_and_a_bad_replacement_keeps_the_old_file(settings, uploads, fake_embedder):
    add_files([uploads("notes.md", NOTE)], settings, embedder=fake_embedder)
    newer = NOTE.replace("41", "45")
    replaced = add_files([uploads("notes.md", newer)], settings, replace=True, embedder=fake_embedder)
    assert (replaced["updated"], replaced["renamed"]) == (1, [])
    assert "45 stripes" in _store(settings).document("notes.md")["text"]
    bad = add_files([uploads("notes.md", b"")], settings, replace=True, embedder=fake_embedder)
    assert bad["skipped"][0]["reason"] == "empty file"
    assert (Path(settings.corpus) / "notes.md").read_text(encoding="utf-8") == newer
    assert not [p for p in Path(settings.corpus).iterdir() if p.name.startswith(".")]  # no backups left behind


def test_a_failing_ingest_takes_the_files_back_out(settings, uploads, fake_embedder, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(corpus_ops, "run_ingest", explode)
    with pytest.raises(RuntimeError):
        add_files([uploads("notes.md", NOTE)], settings, embedder=fake_embedder)
    assert not (Path(settings.corpus) / "notes.md").exists()


def test_remove_deletes_chunks_and_file(settings, uploads, fake_embedder):
    add_files([uploads("notes.md", NOTE)], settings, embedder=fake_embedder)
    before = _store(settings).count()
    result = remove_document("notes.md", settings)
    assert result["removed"] == 1 and result["files"] == 2 and result["chunks"] == before - 1
    assert not (Path(settings.corpus) / "notes.md").exists()
    assert _store(settings).document("notes.md") is None
    assert "notes.md" not in _store(settings).chunk_sources()
    assert not Manifest.load(Path(settings.index)).dirty
    with pytest.raises(CorpusError, match="not in the index"):
        remove_document("notes.md", settings)


def test_remove_refuses_a_document_from_another_folder(settings, tmp_path, fake_embedder):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "outside.txt").write_text("An outside document about otters.\n", encoding="utf-8")
    run_ingest([elsewhere / "outside.txt"], settings, progress=False, embedder=fake_embedder)
    with pytest.raises(CorpusError, match="not from the corpus folder"):
        remove_document("outside.txt", settings)
    assert (elsewhere / "outside.txt").exists()


@pytest.mark.parametrize(
    "name, expected",
    [("notes.md", "notes.md"), ("../../etc/passwd.txt", "passwd.txt"), ("C:\\x\\a.md", "a.md"), (".hidden.md", "hidden.md"), ("a<b>.md", "a_b_.md")],
)
def test_safe_names(name, expected):
    assert safe_name(name) == expected


@pytest.mark.parametrize("name", ["", "..", "/", "...", "a/"])
def test_unusable_names_are_refused(name):
    with pytest.raises(CorpusError):
        safe_name(name)


def test_free_name():
    assert free_name("a.md", {"b.md"}) == "a.md"
    assert free_name("a.md", {"A.md", "a-2.md"}) == "a-3.md"


def test_writers_take_turns(settings):
    order = []

    def writer(name):
        with corpus_ops.writing(Path(settings.index)):
            order.append(f"{name} in")
            time.sleep(0.1)
            order.append(f"{name} out")

    threads = [threading.Thread(target=writer, args=(n,)) for n in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])


def test_a_reader_keeps_the_last_complete_index_while_a_write_is_under_way(settings, uploads, fake_embedder):
    from qa.search.index import get_index
    from qa.settings import Settings

    loaded = get_index(Settings(index=settings.index))
    sources = {chunk.source for chunk in loaded.chunks}
    manifest = Manifest.load(Path(settings.index))
    manifest.dirty = True  # what a run that is writing leaves on disk
    manifest.save(Path(settings.index))
    assert loaded.is_current() and get_index(Settings(index=settings.index)) is loaded
    add_files([uploads("notes.md", NOTE)], settings, embedder=fake_embedder)  # ends with a clean manifest
    assert not loaded.is_current()
    fresh = get_index(Settings(index=settings.index))
    assert fresh is not loaded and {chunk.source for chunk in fresh.chunks} == sources | {"notes.md"}
    # A question that began on the old snapshot finishes on it, unchanged.
    assert {chunk.source for chunk in loaded.chunks} == sources


def test_a_document_re_ingested_after_a_snapshot_is_not_served_from_it(settings, uploads, fake_embedder):
    from qa.search.index import IndexChanged, get_index
    from qa.settings import Settings

    add_files([uploads("notes.md", NOTE)], settings, embedder=fake_embedder)
    before = get_index(Settings(index=settings.index))
    changed = NOTE.replace("# Field notes", "# Field notes, second edition\n\nA new opening paragraph.")
    add_files([uploads("notes.md", changed)], settings, replace=True, embedder=fake_embedder)
    # Its chunks' offsets point into the old text: quoting them from the new one would misquote.
    with pytest.raises(IndexChanged, match="notes.md"):
        before.document("notes.md")
    assert "A new opening paragraph." in get_index(Settings(index=settings.index)).document("notes.md")["text"]