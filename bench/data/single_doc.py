"""Indexes of one document each, for the dev suite's single-document mode (`bench.suite --single-doc`).

What it does: `single_document_index(set, document)` builds (once, cached under
`.bench-index/single/`) an index of one document of a dev set's corpus, so that a case can be
asked with nothing else in the index; `forget_indexes()` drops the indexes a process has loaded,
since such a run opens hundreds.
What it does not: ask or score (see `bench.suite`).
"""

from __future__ import annotations

from pathlib import Path

from bench.data.devsets import CACHE, corpus_folder

SINGLE_DOC_SETS = ("coqa", "medquad")


def single_document_index(name: str, document: str) -> Path:
    """A cached index of one document of set `name`'s corpus."""
    from ingest.manifest import MANIFEST_NAME
    from ingest.pipeline import run_ingest
    from ingest.settings import IngestSettings

    folder = CACHE / "single" / name / Path(document).stem
    if not (folder / MANIFEST_NAME).exists():
        run_ingest([corpus_folder(name) / document], IngestSettings(index=folder), progress=False)
    return folder


def forget_indexes() -> None:
    """Drop the loaded indexes: a single-document run opens hundreds."""
    import qa.search.index

    with qa.search.index._INDEXES_LOCK:
        qa.search.index._INDEXES.clear()
