"""Ingest while the chain is answering: no crash, and every answer is consistent with one state of
the index (each quote is the exact span of its document as that document was stored, before or
after the change). The writer re-ingests a growing corpus in the same process as the reader, the
way `python -m ingest` and a running app share an index folder."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from ingest.pipeline import run_ingest
from ingest.settings import IngestSettings
from qa import ask

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
QUESTIONS = ("What dose of ketamine was used in the alcohol trial?", "What did the cocaine trial find?")
EXTRA = "Ketamine follow-up notes {n}.\n\nA later note {n} reports that craving scores stayed lower at {n} weeks in a small cohort.\n"
ROUNDS = 4


def test_answers_stay_consistent_while_the_corpus_is_reingested(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    shutil.copytree(CORPUS, corpus)
    run_ingest([corpus], IngestSettings(index=index), progress=False)
    versions: dict[str, set[str]] = {}  # every text each document had, as files on disk
    for path in corpus.iterdir():
        versions.setdefault(path.name, set()).add(path.read_text(encoding="utf-8"))
    errors: list[BaseException] = []
    answers = []
    done = threading.Event()

    def reader():
        count = 0
        while not done.is_set() or count < 4:
            try:
                answers.append(ask(QUESTIONS[count % 2], index=index))
            except BaseException as error:  # noqa: BLE001 - any failure is the finding
                errors.append(error)
            count += 1

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for n in range(ROUNDS):
            note = corpus / f"notes-{n}.txt"
            note.write_text(EXTRA.format(n=n), encoding="utf-8")
            evidence = corpus / "ketamine-sud-evidence-by-condition.txt"
            evidence.write_text(evidence.read_text(encoding="utf-8") + f"\nAddendum {n}: see the notes.\n", encoding="utf-8")
            run_ingest([corpus], IngestSettings(index=index), progress=False)
            time.sleep(0.2)
    finally:
        done.set()
        thread.join(timeout=300)
    assert errors == []
    assert len(answers) >= 4
    from qa.search.index import get_index
    from qa.settings import Settings

    loaded = get_index(Settings(index=index))
    for answer in answers:
        assert not answer.refused
        for citation in answer.citations:
            # Appending never moves earlier text, so a quote must still be its document's exact span.
            assert loaded.document(citation.source)["text"][citation.start : citation.end] == citation.quote
