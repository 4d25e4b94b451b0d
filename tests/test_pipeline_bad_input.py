"""ingest.pipeline on bad input: unreadable, empty or oversized files are skipped with their reason,
and nothing already indexed is lost (a file that turns bad keeps its previous version)."""

from __future__ import annotations

from pathlib import Path

from conftest import EVIDENCE, OVERVIEW
from ingest.manifest import Manifest
from ingest.pipeline import run_ingest
from pipeline_helpers import ids_of, ingest, open_store


def test_bad_files_are_skipped_with_their_reason_and_nothing_is_lost(corpus_copy, index_settings, fake_embedder, make_pdf, monkeypatch):
    ingest([corpus_copy], index_settings, fake_embedder)
    before = {c.id for c in open_store(index_settings).all_chunks()}
    (corpus_copy / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "latin1.txt").write_bytes(b"caf\xe9 au lait")
    (corpus_copy / "locked.txt").write_text("Locked away.")
    make_pdf(corpus_copy / "scan.pdf", [[]])
    (corpus_copy / "report.docx").write_bytes(b"PK\x03\x04")
    (corpus_copy / "good.md").write_text("# Good\n\nKetamine helps some patients.", encoding="utf-8")
    locked = corpus_copy / "locked.txt"
    real_read_bytes = Path.read_bytes

    def read_bytes(self):  # tests run as root, where chmod 000 does not stop reading
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = ingest([corpus_copy], index_settings, fake_embedder)
    reasons = {Path(item["path"]).name: item["reason"] for item in report.skipped}
    assert reasons == {
        "binary.txt": "binary file (contains NUL bytes)",
        "empty.txt": "empty file",
        "latin1.txt": "not UTF-8 text (byte 0xe9 at offset 3); re-save it as UTF-8",
        "locked.txt": "cannot read the file: Permission denied",
        "scan.pdf": "PDF has no extractable text (a scan? run OCR first)",
        "report.docx": "unsupported file type '.docx' (supported: .txt .md .html .pdf)",
    }
    assert all(Path(item["path"]).is_absolute() for item in report.skipped)
    assert (report.added, report.unchanged, report.removed, report.files) == (1, 2, 0, 3)
    store = open_store(index_settings)
    assert before < {c.id for c in store.all_chunks()}
    assert store.chunk_sources() == {OVERVIEW, EVIDENCE, "good.md"}
    assert "skipped" in report.summary() and "locked.txt: cannot read the file" in report.summary()


def test_a_file_that_turns_bad_keeps_its_previous_version(corpus_copy, index_settings, fake_embedder, monkeypatch):
    ingest([corpus_copy], index_settings, fake_embedder)
    before = ids_of(open_store(index_settings), EVIDENCE)
    (corpus_copy / EVIDENCE).write_bytes(b"")
    report = ingest([corpus_copy], index_settings, fake_embedder)
    assert report.skipped == [
        {"path": str((corpus_copy / EVIDENCE).resolve()), "reason": "empty file; the previously indexed version is kept"}
    ]
    assert (report.removed, report.chunks, report.unchanged) == (0, 12, 1)
    assert ids_of(open_store(index_settings), EVIDENCE) == before

    # unreadable: the hash check itself fails, and the old version stays as well
    real_read_bytes = Path.read_bytes
    target = (corpus_copy / OVERVIEW).resolve()

    def read_bytes(self):
        if self.resolve() == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = ingest([corpus_copy], index_settings, fake_embedder)
    assert report.skipped == [
        {"path": str(target), "reason": "cannot read the file: Permission denied; the previously indexed version is kept"},
        {"path": str((corpus_copy / EVIDENCE).resolve()), "reason": "empty file; the previously indexed version is kept"},
    ]
    assert open_store(index_settings).chunk_sources() == {OVERVIEW, EVIDENCE}
    assert set(Manifest.load(index_settings.index).files) == {OVERVIEW, EVIDENCE}


def test_a_file_over_the_size_limit_is_skipped_and_its_indexed_version_kept(corpus_copy, index_settings, fake_embedder):
    run_ingest([corpus_copy], index_settings, progress=False, embedder=fake_embedder)
    big = corpus_copy / "big.txt"
    big.write_text("A sentence of text. " * 100, encoding="utf-8")  # 2,000 bytes
    small = index_settings.model_copy(update={"max_file_mb": 0.001})  # 1,048 bytes
    report = run_ingest([corpus_copy], small, progress=False, embedder=fake_embedder)
    reasons = {Path(item["path"]).name: item["reason"] for item in report.skipped}
    assert "too large (0.0 MB; the limit is 0.001 MB" in reasons["big.txt"]
    assert report.removed == 0 and report.files == 2
