"""ingest.model_cache: a derived model file is made once, named by its source, and never read half-written."""

from __future__ import annotations

import os
import time

from ingest.model_cache import cache_folder, derived_model


def test_a_derived_file_is_made_once_and_remade_when_the_source_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTEQA_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "model.onnx"
    source.write_bytes(b"weights")
    made = []

    def make(path):
        made.append(path)
        return path.read_bytes() + b"+output"

    first = derived_model(source, "layer.3/output", make)
    again = derived_model(source, "layer.3/output", make)
    assert first == again and first.parent == cache_folder() == tmp_path / "cache" and first.suffix == ".onnx"
    assert first.read_bytes() == b"weights+output" and len(made) == 1
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".partial-")]
    source.write_bytes(b"new weights")
    os.utime(source, ns=(1, 1))
    assert derived_model(source, "layer.3/output", make).read_bytes() == b"new weights+output" and len(made) == 2


def test_an_unwritable_cache_gives_the_bytes(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("QUOTEQA_CACHE", str(blocker / "cache"))
    source = tmp_path / "model.onnx"
    source.write_bytes(b"weights")
    assert derived_model(source, "v", lambda path: b"made") == b"made"


def test_the_folder_follows_xdg_when_not_chosen(tmp_path, monkeypatch):
    monkeypatch.delenv("QUOTEQA_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_folder() == tmp_path / "quoteqa"


def test_a_new_file_removes_the_older_copies_of_the_same_source_and_variant(tmp_path, monkeypatch):
    """A reinstall (or a fresh checkout) gives the source a new time: its old derived file goes,
    other variants and a copy made within the hour stay."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("QUOTEQA_CACHE", str(folder))
    folder.mkdir()
    old, recent, other_variant, unrelated = (folder / name for name in (
        "model-head-7-111.onnx", "model-head-7-222.onnx", "model-head_v2-7-111.onnx", "notes.txt"))
    for path in (old, recent, other_variant, unrelated):
        path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    for path in (old, other_variant, unrelated):
        os.utime(path, (two_hours_ago, two_hours_ago))
    source = tmp_path / "model.onnx"
    source.write_bytes(b"weights")
    made = derived_model(source, "head", lambda path: b"made")
    assert made.read_bytes() == b"made"
    assert sorted(p.name for p in folder.iterdir()) == sorted([made.name, recent.name, other_variant.name, unrelated.name])
