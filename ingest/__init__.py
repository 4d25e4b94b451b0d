"""Build the searchable index of a folder of documents: load, clean, split, chunk, embed, store.

`run_ingest(paths, settings)` is the entry point; `python -m ingest` is its command line.
Nothing here knows about answering questions.
"""

from ingest.pipeline import IngestReport, run_ingest
from ingest.settings import IngestSettings

__all__ = ["IngestReport", "IngestSettings", "run_ingest"]
