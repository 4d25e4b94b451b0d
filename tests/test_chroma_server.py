"""A real Chroma server behind quoteqa: the same answers as the embedded store, through every entry point.

A module-scoped fixture starts `chroma run --path TMP --host 127.0.0.1 --port P` (a free port,
telemetry off) and waits for its heartbeat; a copy of `corpus/` is ingested through it. Then: the
server holds the same chunks as the embedded index while the index folder keeps only the manifest;
every golden case (multi-turn cases turn by turn) gets the same answer text, refusal and citations
(source, start, end, quote) as on the embedded `corpus_index`; a re-ingest reports everything
unchanged; `python -m ingest` and `python -m qa` work with `QUOTEQA_CHROMA_URL` set, and so do the
chat's upload and removal (`ingest.corpus`). Non-loopback
network is blocked while the server is in use, in this process and in the subprocesses.
What it does not: test the server itself (restarts, auth, concurrent writers) or its speed (see
`bench/reliability/scale.py`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_ingest_cli import SITECUSTOMIZE

from bench.reliability.chroma_server import chroma_heartbeat
from conftest import CORPUS, ROOT, block_network
from ingest.pipeline import run_ingest, signature
from ingest.settings import IngestSettings
from ingest.store import IndexStore
from qa import ask
from qa.eval.cases import load_cases, run_case
from qa_fixtures import DOSE_QUESTION, DOSE_QUOTE, corpus_index  # noqa: F401 - a fixture
from qa_ui.process import free_port, stop

pytestmark = pytest.mark.slow  # the real models on the whole golden set, twice

GOLDEN = Path(__file__).parent / "data" / "golden.jsonl"
STARTUP_SECONDS = 30


# -- the server ------------------------------------------------------------------------------------


def _chroma_command() -> str | None:
    beside_python = Path(sys.executable).parent / "chroma"  # the venv's CLI, even when PATH lacks the venv
    return str(beside_python) if beside_python.exists() else shutil.which("chroma")


def _wait_until_up(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`chroma run` exited with code {process.returncode}:\n{log.read_text()[-2000:]}")
        if chroma_heartbeat(url):
            return
        time.sleep(0.2)
    pytest.fail(f"the Chroma server at {url} did not answer its heartbeat within {STARTUP_SECONDS} s:\n{log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory) -> str:
    """URL of a private `chroma run` server on a free loopback port, stopped after the module."""
    command = _chroma_command()
    if command is None:
        pytest.skip("the `chroma` command line is not installed (it comes with the chromadb package)")
    folder = tmp_path_factory.mktemp("chroma_server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / "server.log"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    with log.open("w") as sink:
        process = subprocess.Popen(
            [command, "run", "--path", str(folder / "db"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=sink, stderr=subprocess.STDOUT, env=env,
        )
    try:
        _wait_until_up(process, url, log)
        yield url
    finally:
        stop(process)


# -- the server-backed index -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def server_index(chroma_url, tmp_path_factory) -> dict:
    """A copy of the corpus ingested through the server: {"corpus", "index", "report"}."""
    base = tmp_path_factory.mktemp("server_index")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = base / "idx"
    with block_network() as attempts:
        report = run_ingest([corpus], IngestSettings(index=index, chroma_url=chroma_url), progress=False)
    assert attempts == []
    return {"corpus": corpus, "index": index, "report": report}


def _chunks(index: Path, chroma_url: str | None) -> dict:
    store = IndexStore(index, signature(IngestSettings()), chroma_url, create=False)
    return {chunk.id: chunk for chunk in store.all_chunks()}


def _comparable(answer) -> dict:
    return {
        "answer": answer.answer,
        "refused": answer.refused,
        "citations": [(c.source, c.start, c.end, c.quote) for c in answer.citations],
    }


def test_the_server_holds_the_same_chunks_and_the_folder_only_the_manifest(server_index, chroma_url, corpus_index):  # noqa: F811
    report = server_index["report"]
    assert (report.files, report.added, report.skipped) == (2, 2, [])
    assert _chunks(server_index["index"], chroma_url) == _chunks(corpus_index, None)
    assert sorted(path.name for path in server_index["index"].iterdir()) == ["manifest.json"]


def test_every_golden_answer_is_the_same_through_the_server(server_index, chroma_url, corpus_index):  # noqa: F811
    cases = load_cases(GOLDEN)
    different = {}
    with block_network() as attempts:
        for case in cases:
            embedded = _comparable(run_case(case, ask, index=corpus_index))
            served = _comparable(run_case(case, ask, index=server_index["index"], chroma_url=chroma_url))
            if served != embedded:
                different[case.id] = {"embedded": embedded, "server": served}
    assert attempts == []
    assert len(cases) >= 50
    assert different == {}


def test_a_re_ingest_through_the_server_reports_everything_unchanged(server_index, chroma_url):
    settings = IngestSettings(index=server_index["index"], chroma_url=chroma_url)
    with block_network() as attempts:
        report = run_ingest([server_index["corpus"]], settings, progress=False)
    assert attempts == []
    assert (report.files, report.unchanged, report.added, report.updated, report.removed) == (2, 2, 0, 0, 0)
    assert report.chunks == server_index["report"].chunks


def _run_cli(module: str, args: list[str], chroma_url: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, list]:
    """`python -m MODULE ARGS` with the URL from the environment and the network blocked from startup."""
    site = tmp_path / f"site-{module}"
    site.mkdir()
    attempts_file = tmp_path / f"attempts-{module}.json"
    (site / "sitecustomize.py").write_text(
        SITECUSTOMIZE.format(tests=str(ROOT / "tests"), root=str(ROOT), out=str(attempts_file))
    )
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "PYTHONPATH": str(site),
        "QUOTEQA_CHROMA_URL": chroma_url,
    }
    env.pop("QUOTEQA_INDEX", None)
    result = subprocess.run(
        [sys.executable, "-m", module, *args], check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    return result, json.loads(attempts_file.read_text()) if attempts_file.exists() else None


def test_the_command_lines_work_through_the_server(server_index, chroma_url, tmp_path):
    index = str(server_index["index"])
    ingested, attempts = _run_cli("ingest", [str(server_index["corpus"]), "--index", index, "--json"], chroma_url, tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    assert attempts == []
    report = json.loads(ingested.stdout)
    assert (report["files"], report["unchanged"], report["added"]) == (2, 2, 0)
    assert report["chunks"] == server_index["report"].chunks

    answered, attempts = _run_cli("qa", [DOSE_QUESTION, "--index", index, "--json"], chroma_url, tmp_path)
    assert answered.returncode == 0, answered.stderr
    assert attempts == []
    data = json.loads(answered.stdout)
    assert DOSE_QUOTE in data["answer"] and not data["refused"]
    expected = _comparable(ask(DOSE_QUESTION, index=server_index["index"], chroma_url=chroma_url))
    assert data["answer"] == expected["answer"]
    assert [(c["source"], c["start"], c["end"], c["quote"]) for c in data["citations"]] == expected["citations"]


def test_upload_and_remove_work_through_the_server(server_index, chroma_url, tmp_path):
    """The chat's Documents panel calls `ingest.corpus`: the same upload and removal against the server."""
    from ingest.corpus import add_files, list_documents, remove_document

    note = tmp_path / "zebrafish.md"
    note.write_text("# Zebrafish notes\n\nThe zebrafish study counted 41 stripes on average in adult fish.\n", encoding="utf-8")
    settings = IngestSettings(index=server_index["index"], corpus=server_index["corpus"], chroma_url=chroma_url)
    question = "How many stripes did the zebrafish study count?"
    with block_network() as attempts:
        added = add_files([note], settings)
        answer = ask(question, index=server_index["index"], chroma_url=chroma_url)
        listed = [doc["source"] for doc in list_documents(settings)]
        removed = remove_document("zebrafish.md", settings)
        after = ask(question, index=server_index["index"], chroma_url=chroma_url)
    assert attempts == []
    assert (added["added"], added["files"]) == (1, 3) and "zebrafish.md" in listed
    assert not answer.refused and answer.citations[0].source == "zebrafish.md"
    assert removed["chunks"] == server_index["report"].chunks and after.refused
    assert all(c.source != "zebrafish.md" for c in _chunks(server_index["index"], chroma_url).values()) and not (server_index["corpus"] / "zebrafish.md").exists()
