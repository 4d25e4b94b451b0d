"""`python -m ingest` killed with SIGKILL half-way through a corpus: the next run repairs the index,
and answers afterwards are those of an index built in one go."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.pipeline import run_ingest
from ingest.settings import IngestSettings
from qa import ask

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
FILLERS = 60
GROUP = 12  # chunks per checkpoint, so the kill lands between checkpoints
QUESTIONS = ("What dose of ketamine was used in the alcohol trial?", "What did the cocaine trial find?")


def filler(n: int) -> str:
    """A short made-up abstract, distinct per n (the corpus must be big enough to kill half-way)."""
    return f"Filler study {n}.\n\n" + " ".join(
        f"Observation {n}.{k} recorded {n * 7 + k} units of activity in cohort {k} of site {n}." for k in range(12)
    )


def manifest_files(index: Path) -> int:
    try:
        return len(json.loads((index / "manifest.json").read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError):
        return 0


def test_a_killed_ingest_is_repaired_by_the_next_run(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    for n in range(FILLERS):
        (corpus / f"filler-{n:03d}.txt").write_text(filler(n), encoding="utf-8")
    index = tmp_path / "idx"
    env = dict(os.environ, QUOTEQA_EMBED_GROUP_CHUNKS=str(GROUP), HF_HUB_OFFLINE="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "ingest", str(corpus), "--index", str(index), "--quiet"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 240
    while manifest_files(index) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "ingest ended before it could be killed: " + process.stderr.read().decode()[-500:]
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    stored_before = manifest_files(index)
    total = FILLERS + 2
    assert 0 < stored_before < total  # killed half-way, with some files done

    report = run_ingest([corpus], IngestSettings(index=index, embed_group_chunks=GROUP), progress=False)
    assert report.files == total and report.added == total - stored_before and report.removed == 0
    clean = tmp_path / "clean"
    run_ingest([corpus], IngestSettings(index=clean), progress=False)
    for question in QUESTIONS:
        repaired, fresh = ask(question, index=index), ask(question, index=clean)
        assert repaired.answer == fresh.answer and not repaired.refused
        assert [(c.source, c.start, c.end) for c in repaired.citations] == [(c.source, c.start, c.end) for c in fresh.citations]
    from qa.search.index import get_index
    from qa.settings import Settings

    assert len(get_index(Settings(index=index)).chunks) == len(get_index(Settings(index=clean)).chunks)
