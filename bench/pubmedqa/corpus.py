"""The PubMedQA-L abstracts as a corpus: written out as files, ingested, loaded (for `bench.pubmedqa.run`, `bench.reliability.scale`).

What it does: `abstract_text` renders one record as a file (each section label on its own line as a
heading, then its text), `write_abstracts` writes `<PMID>.txt` files (an unchanged file is not
rewritten), and `open_index` ingests such a folder and loads the index for the chain's settings.
What it does not: measure (see `bench.pubmedqa.run`) or copy the data set into the project: `DATA`
is read from `../shared/`, the files go to a temporary folder.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "pubmedqa" / "ori_pqal.json"


def abstract_text(record: dict, labels: bool = True) -> str:
    """The abstract as a file: each section's label on its own line (a heading), then its text.

    Without `labels`, only the paragraphs, separated by blank lines (as `bench.ingest` writes them).
    """
    parts = []
    for label, context in zip(record.get("LABELS") or [None] * len(record["CONTEXTS"]), record["CONTEXTS"]):
        context = context.strip()
        if not context:
            continue
        parts.append(f"{label.strip()}\n{context}" if labels and label and label.strip() else context)
    return "\n\n".join(parts) + "\n"


def write_abstracts(records: dict[str, dict], folder: Path, labels: bool = True) -> None:
    """`<PMID>.txt` for every record in `folder` (an unchanged file is not rewritten)."""
    folder.mkdir(parents=True, exist_ok=True)
    for pmid, record in records.items():
        path, text = folder / f"{pmid}.txt", abstract_text(record, labels)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def open_index(records: dict, root: Path, chunk_chars: int, chunk_overlap: int, labels: bool, overrides: dict):
    """Write the abstracts, ingest them (incremental when `root` is reused) and load the index."""
    from ingest.pipeline import run_ingest
    from ingest.settings import IngestSettings
    from qa.search.index import get_index
    from qa.settings import Settings

    folder = root / f"{'labels' if labels else 'plain'}-{chunk_chars}-{chunk_overlap}"
    corpus, index_dir = folder / "pubmedqa", folder / "index"
    write_abstracts(records, corpus, labels)
    began = time.perf_counter()
    report = run_ingest(
        [corpus], IngestSettings(index=index_dir, corpus=corpus, chunk_chars=chunk_chars, chunk_overlap=chunk_overlap),
        progress=True,
    )
    ingest_seconds = time.perf_counter() - began
    print(f"chunk_chars={chunk_chars}: {report.summary()}", file=sys.stderr, flush=True)
    settings = Settings(index=index_dir, chunk_chars=chunk_chars, chunk_overlap=chunk_overlap, **overrides)
    return settings, get_index(settings), {
        "ingest_seconds": round(ingest_seconds, 1),
        "ingested": report.added + report.updated,
        "documents": report.files,
    }
