"""Indexes of one or two documents, for the dev suite's single-document mode (`bench.suite --single-doc`).

What it does: `single_document_index(set, document, ...)` builds (once, cached under
`.bench-index/single/`) an index of one document of a dev set's corpus (or of a few), so that a
case can be asked with nothing else in the index; `small_index_documents(case)` names the
documents a case is asked over in that mode: a coqa or medquad case's own document, a topic
shift's two articles (the one the conversation was about and the question's own), a corpus of two
documents as the default one is; `forget_indexes()` drops the indexes a process has
loaded, since such a run opens hundreds.
What it does not: ask or score (see `bench.suite`).
"""

from __future__ import annotations

from pathlib import Path

from bench.data.devsets import CACHE, DevCase, corpus_folder, topic_document

SINGLE_DOC_SETS = ("coqa", "medquad", "shift")


def small_index_documents(case: DevCase) -> tuple[str, ...]:
    """The documents `case` is asked over in the single-document mode; () when it has none."""
    if case.set == "shift":
        return tuple(sorted({case.extra["before_doc"], case.gold_doc[0]}))
    document = topic_document(case)
    return (document,) if document else ()


def single_document_index(name: str, *documents: str) -> Path:
    """A cached index of the given documents of set `name`'s corpus (usually one)."""
    from ingest.manifest import MANIFEST_NAME
    from ingest.pipeline import run_ingest
    from ingest.settings import IngestSettings

    folder = CACHE / "single" / name / "+".join(Path(document).stem for document in documents)
    if not (folder / MANIFEST_NAME).exists():
        run_ingest([corpus_folder(name) / document for document in documents], IngestSettings(index=folder), progress=False)
    return folder


def forget_indexes() -> None:
    """Drop the loaded indexes: a single-document run opens hundreds."""
    import qa.search.index

    with qa.search.index._INDEXES_LOCK:
        qa.search.index._INDEXES.clear()
