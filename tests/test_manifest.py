"""ingest.manifest: file hashes saved atomically; an unreadable manifest asks for --rebuild."""

from __future__ import annotations

import json

import pytest

from ingest.manifest import MANIFEST_NAME, FileEntry, Manifest, ManifestError
from ingest.pipeline import run_ingest


def test_no_manifest_is_an_empty_one(tmp_path):
    manifest = Manifest.load(tmp_path / "nowhere")
    assert manifest == Manifest(signature={}, files={}, dirty=False)


def test_save_and_load_round_trip(tmp_path):
    manifest = Manifest(
        signature={"schema": 1, "embedder": "all-MiniLM-L6-v2", "chunk_chars": 600},
        files={
            "b.txt": FileEntry("f" * 64, "/corpus", 3, "B title"),
            "a/x.md": FileEntry("0" * 64, "/corpus", 1),
        },
        dirty=True,
    )
    manifest.save(tmp_path / "idx")
    assert Manifest.load(tmp_path / "idx") == manifest
    raw = json.loads((tmp_path / "idx" / MANIFEST_NAME).read_text())
    assert raw["version"] == 1
    assert list(raw["files"]) == ["a/x.md", "b.txt"]  # sorted, so diffs stay small
    assert raw["files"]["a/x.md"] == {"content_hash": "0" * 64, "root": "/corpus", "chunks": 1, "title": "", "indexed_at": ""}
    assert sorted(p.name for p in (tmp_path / "idx").iterdir()) == [MANIFEST_NAME]  # no temp file left


def test_saving_replaces_the_previous_manifest(tmp_path):
    Manifest(files={"a.txt": FileEntry("1" * 64, "/c", 2)}).save(tmp_path)
    Manifest(files={"b.txt": FileEntry("2" * 64, "/c", 5)}).save(tmp_path)
    assert list(Manifest.load(tmp_path).files) == ["b.txt"]


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "",
        "[]",
        json.dumps({"version": 99, "signature": {}, "files": {}}),
        json.dumps({"version": 1, "signature": {}}),
        json.dumps({"version": 1, "signature": {}, "files": {"a.txt": {"content_hash": "x"}}}),
    ],
)
def test_a_corrupted_manifest_asks_for_a_rebuild(tmp_path, content):
    (tmp_path / MANIFEST_NAME).write_text(content)
    with pytest.raises(ManifestError) as caught:
        Manifest.load(tmp_path)
    message = str(caught.value)
    assert "--rebuild" in message and MANIFEST_NAME in message


def test_a_manifest_in_another_encoding_asks_for_a_rebuild(tmp_path):
    (tmp_path / MANIFEST_NAME).write_bytes(b'{"version": 1, "caf\xe9": 1}')
    with pytest.raises(ManifestError, match="--rebuild"):
        Manifest.load(tmp_path)


def test_ingest_refuses_a_corrupted_manifest_and_rebuild_repairs_it(corpus_copy, index_settings, fake_embedder):
    run_ingest([corpus_copy], index_settings, progress=False, embedder=fake_embedder)
    (index_settings.index / MANIFEST_NAME).write_text('{"version": 1, "files": ')
    with pytest.raises(ManifestError, match="python -m ingest --rebuild"):
        run_ingest([corpus_copy], index_settings, progress=False, embedder=fake_embedder)
    report = run_ingest([corpus_copy], index_settings, rebuild=True, progress=False, embedder=fake_embedder)
    assert (report.added, report.unchanged, report.chunks) == (2, 0, 12)


def test_after_a_run_the_manifest_lists_every_file_and_is_clean(corpus_copy, index_settings, fake_embedder):
    from ingest.pipeline import signature
    from ingest.store import SCHEMA_VERSION

    run_ingest([corpus_copy], index_settings, progress=False, embedder=fake_embedder)
    manifest = Manifest.load(index_settings.index)
    assert manifest.dirty is False
    assert manifest.signature == {"schema": SCHEMA_VERSION, **signature(index_settings)}
    assert {source: (entry.chunks, entry.title, entry.root) for source, entry in manifest.files.items()} == {
        "ketamine-substance-abuse-overview.txt": (6, "Substance Abuse", str(corpus_copy)),
        "ketamine-sud-evidence-by-condition.txt": (
            6,
            "Evidence for using ketamine to treat substance use disorders is still evolving but promising.",
            str(corpus_copy),
        ),
    }


def test_the_manifest_stays_dirty_when_a_run_dies(corpus_copy, index_settings, fake_embedder, monkeypatch):
    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fake_embedder, "encode", crash)
    with pytest.raises(KeyboardInterrupt):
        run_ingest([corpus_copy], index_settings, progress=False, embedder=fake_embedder)
    manifest = Manifest.load(index_settings.index)
    assert manifest.dirty is True and manifest.files == {}


def test_a_manifest_written_before_indexing_times_loads(tmp_path):
    (tmp_path / MANIFEST_NAME).write_text(json.dumps({
        "version": 1, "signature": {}, "dirty": False,
        "files": {"a.txt": {"content_hash": "0" * 64, "root": "/corpus", "chunks": 2, "title": "A"}},
    }))
    assert Manifest.load(tmp_path).files["a.txt"].indexed_at == ""
