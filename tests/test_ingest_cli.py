"""ingest.__main__: `python -m ingest PATH ... [--index DIR] [--rebuild] [--json]`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import ingest.pipeline
from conftest import EVIDENCE, ROOT
from ingest.__main__ import main

KEYS = ["files", "chunks", "added", "updated", "removed", "unchanged", "skipped", "seconds"]


@pytest.fixture
def fake_model(monkeypatch, fake_embedder):
    """In-process runs test the command line, not the model (the subprocess test uses the real one)."""
    monkeypatch.setattr(ingest.pipeline, "get_embedder", lambda: fake_embedder)
    return fake_embedder


def run_main(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


SITECUSTOMIZE = """
import atexit, json, sys
sys.path[:0] = [{tests!r}, {root!r}]  # conftest imports `ingest`; `-m` adds the project only later
from conftest import block_network
_blocker = block_network()  # kept referenced: a collected generator would restore the sockets
_attempts = _blocker.__enter__()  # blocked for the whole life of the process, from before any import
atexit.register(lambda: open({out!r}, "w").write(json.dumps(_attempts)))
"""


def test_the_command_prints_the_json_report_from_a_cold_start_with_the_network_blocked(corpus_copy, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    attempts_file = tmp_path / "attempts.json"
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE.format(tests=str(ROOT / "tests"), root=str(ROOT), out=str(attempts_file)))
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(site)}
    env.pop("QUOTEQA_INDEX", None)
    result = subprocess.run(
        [sys.executable, "-m", "ingest", str(corpus_copy), "--index", str(tmp_path / "idx"), "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(attempts_file.read_text()) == []  # imports, model, Chroma: nothing tried the network
    assert len(result.stdout.strip().splitlines()) == 1  # one JSON object; progress goes nowhere near stdout
    report = json.loads(result.stdout)
    assert list(report) == KEYS
    assert {key: report[key] for key in KEYS[:-1]} == {
        "files": 2, "chunks": 12, "added": 2, "updated": 0, "removed": 0, "unchanged": 0, "skipped": [],
    }
    assert isinstance(report["seconds"], float) and 0 < report["seconds"] < 120
    assert (tmp_path / "idx" / "manifest.json").exists()


def test_a_missing_path_is_one_line_and_exit_code_2(tmp_path, capsys):
    code, out, err = run_main(capsys, tmp_path / "no-such-folder", "--index", tmp_path / "idx", "--json")
    assert code == 2
    assert out == ""
    assert err == f"error: no such file or folder: {tmp_path / 'no-such-folder'}\n"


def test_a_second_run_reports_everything_unchanged(corpus_copy, tmp_path, capsys, fake_model):
    assert run_main(capsys, corpus_copy, "--index", tmp_path / "idx", "--json")[0] == 0
    code, out, _ = run_main(capsys, corpus_copy, "--index", tmp_path / "idx", "--json")
    report = json.loads(out)
    assert code == 0
    assert (report["files"], report["chunks"], report["added"], report["unchanged"]) == (2, 12, 0, 2)
    assert len(fake_model.encoded) == 12  # embedded once, by the first run


def test_the_summary_line(corpus_copy, tmp_path, capsys, fake_model):
    (corpus_copy / "empty.txt").write_bytes(b"")
    code, out, _ = run_main(capsys, corpus_copy, "--index", tmp_path / "idx", "--quiet")
    assert code == 0
    first, second = out.rstrip("\n").split("\n")
    assert first.startswith("2 files, 12 chunks in the index: 2 added, 0 updated, 0 removed, 0 unchanged, 1 skipped (")
    assert second == f"  skipped {(corpus_copy / 'empty.txt').resolve()}: empty file"


def test_defaults_come_from_the_environment(corpus_copy, tmp_path, capsys, monkeypatch, fake_model):
    monkeypatch.setenv("QUOTEQA_CORPUS", str(corpus_copy))
    monkeypatch.setenv("QUOTEQA_INDEX", str(tmp_path / "env-idx"))
    code, out, _ = run_main(capsys, "--json")
    assert code == 0 and json.loads(out)["added"] == 2
    assert (tmp_path / "env-idx" / "manifest.json").exists()


def test_other_settings_ask_for_rebuild_and_rebuild_works(corpus_copy, tmp_path, capsys, monkeypatch, fake_model):
    index = tmp_path / "idx"
    assert run_main(capsys, corpus_copy, "--index", index, "--json")[0] == 0
    monkeypatch.setenv("QUOTEQA_CHUNK_CHARS", "300")
    code, out, err = run_main(capsys, corpus_copy, "--index", index, "--json")
    assert code == 2 and out == ""
    assert err.startswith("error: the index at ") and "python -m ingest --rebuild" in err
    assert err.count("\n") == 1
    code, out, _ = run_main(capsys, corpus_copy, "--index", index, "--json", "--rebuild")
    assert code == 0
    assert (json.loads(out)["added"], json.loads(out)["chunks"]) == (2, 22)


def test_a_corrupted_manifest_asks_for_rebuild(corpus_copy, tmp_path, capsys, fake_model):
    index = tmp_path / "idx"
    assert run_main(capsys, corpus_copy, "--index", index, "--json")[0] == 0
    (index / "manifest.json").write_text("{broken")
    code, _, err = run_main(capsys, corpus_copy, "--index", index)
    assert code == 2 and "--rebuild" in err and err.count("\n") == 1
    assert run_main(capsys, corpus_copy, "--index", index, "--rebuild", "--json")[0] == 0


def test_a_single_file_argument(corpus_copy, tmp_path, capsys, fake_model):
    code, out, _ = run_main(capsys, corpus_copy / EVIDENCE, "--index", tmp_path / "idx", "--json")
    assert code == 0
    assert (json.loads(out)["files"], json.loads(out)["chunks"]) == (1, 6)
