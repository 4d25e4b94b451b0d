"""Typed settings for building the index, read from `QUOTEQA_*` environment variables.

What it does: one pydantic-settings object with a default and a description per field.
What it does not: answering settings live in `qa.settings`, which extends this class.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class IngestSettings(BaseSettings):
    """Where the index lives and how documents become chunks."""

    model_config = SettingsConfigDict(env_prefix="QUOTEQA_", extra="ignore")

    index: Path = Field(Path(".index"), description="Folder of the persistent index (Chroma store and manifest).")
    corpus: Path = Field(Path("corpus"), description="Default folder of documents to ingest.")
    chroma_url: str | None = Field(
        None, description="http://host:port of a Chroma server; unset uses the embedded store in `index`."
    )
    chunk_chars: int = Field(
        600, ge=100, le=8000, description="Target chunk length in characters; chunks hold whole sentences."
    )
    chunk_overlap: int = Field(1, ge=0, le=5, description="Sentences repeated at the start of the next chunk.")
    max_file_mb: float = Field(
        20.0, gt=0, description="Files larger than this many megabytes (MiB) are skipped with a reason."
    )
    embed_batch_size: int = Field(64, ge=1, le=1024, description="Passages embedded per batch.")
    embed_group_chunks: int | None = Field(
        None,
        ge=1,
        description="Chunks embedded and stored between manifest checkpoints (default 2048): smaller loses "
        "less work when a run is killed, larger pads less.",
    )
