"""The answer head: the reranker's top eight layers, fine-tuned to tell an answering sentence from an on-topic one.

What it does: the shipped cross-encoder (ms-marco-MiniLM-L-12-v2, int8 ONNX, `qa.search.rerank`) reads
a (question, sentence) pair through 12 layers and scores *relevance*. `AnswerHead` replaces its
last eight layers (`TOP_LAYERS`), pooler and classifier with copies fine-tuned on external data (SQuAD 2.0
question–sentence pairs: the sentence holding the answer vs. the best on-topic sentence that does
not, and unanswerable questions' best sentences; `bench/fit/answer_head.py`), reading the
hidden states the shipped model leaves after its fourth layer (`CrossEncoder.read_pairs`,
`qa.search.rerank.HIDDEN_AFTER`). Its logit is one signal of the answerability model
(`qa.decision.answerability`). The weights (`qa/models/answer_head.npz`: matrices int8 with a scale per
row, `save_stored`; about 13 MB) were initialised from the shipped model's own
int8 weights, dequantised (`dequantised_top_layers`), so before fine-tuning it gives the shipped
score. One PyTorch module serves training and answering.
What it does not: read text (the cross-encoder does) or decide (see `qa.decision.answerability`).
"""

from __future__ import annotations

import logging
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

HEAD_PATH = Path(__file__).resolve().parents[1] / "models" / "answer_head.npz"
HIDDEN = 384
HEADS = 12
TOP_LAYERS = tuple(range(4, 12))  # the shipped head's layers (0-based; the model has 12): it reads what layer 4 reads
LAYER_PARTS = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
               "intermediate.dense", "output.dense")
NORMS = ("attention.output.LayerNorm", "output.LayerNorm")
EPSILON = 1e-12


def _torch_module():
    import torch
    from torch import nn

    class Layer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.query, self.key, self.value = nn.Linear(HIDDEN, HIDDEN), nn.Linear(HIDDEN, HIDDEN), nn.Linear(HIDDEN, HIDDEN)
            self.attention_out = nn.Linear(HIDDEN, HIDDEN)
            self.attention_norm = nn.LayerNorm(HIDDEN, eps=EPSILON)
            self.intermediate = nn.Linear(HIDDEN, 4 * HIDDEN)
            self.output = nn.Linear(4 * HIDDEN, HIDDEN)
            self.output_norm = nn.LayerNorm(HIDDEN, eps=EPSILON)

        def forward(self, x, additive_mask):
            batch, length, _ = x.shape
            split = lambda t: t.view(batch, length, HEADS, HIDDEN // HEADS).transpose(1, 2)  # noqa: E731
            q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
            scores = q @ k.transpose(-1, -2) / math.sqrt(HIDDEN // HEADS) + additive_mask[:, None, None, :]
            context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, HIDDEN)
            x = self.attention_norm(self.attention_out(context) + x)
            return self.output_norm(self.output(nn.functional.gelu(self.intermediate(x))) + x)

    class Head(nn.Module):
        """The top `layers` layers (10 and 11 by default), pooler and classifier of the cross-encoder."""

        def __init__(self, layers: int) -> None:
            super().__init__()
            self.layers = nn.ModuleList([Layer() for _ in range(layers)])
            self.pooler = nn.Linear(HIDDEN, HIDDEN)
            self.classifier = nn.Linear(HIDDEN, 1)

        def forward(self, hidden, mask):
            additive = (1.0 - mask.to(hidden.dtype)) * -10000.0
            for layer in self.layers:
                hidden = layer(hidden, additive)
            return self.classifier(torch.tanh(self.pooler(hidden[:, 0]))).squeeze(-1)

    return Head


def new_head(layers: int = len(TOP_LAYERS)):
    """An untrained head of the top `layers` layers (PyTorch module)."""
    return _torch_module()(layers)


def top_layers(count: int) -> tuple[int, ...]:
    """The 0-based indices of the model's top `count` layers."""
    return tuple(range(12 - count, 12))


def weights_of(head) -> dict[str, np.ndarray]:
    # A copy: .numpy() shares memory with the live parameters, which training goes on changing.
    return {name: value.detach().cpu().numpy().copy() for name, value in head.state_dict().items()}


def load_weights(head, weights: dict[str, np.ndarray]):
    import torch

    head.load_state_dict({name: torch.tensor(np.asarray(value, dtype=np.float32)) for name, value in weights.items()})
    return head


def save_stored(path: Path, weights: dict[str, np.ndarray]) -> None:
    """Write `weights` small: each matrix as int8 with one float32 scale per output row
    (symmetric), vectors (biases, norms) as float16."""
    stored = {}
    for name, value in weights.items():
        value = np.asarray(value, dtype=np.float32)
        if value.ndim == 2:
            scale = np.abs(value).max(axis=1, keepdims=True) / 127.0
            scale[scale == 0] = 1.0
            stored[f"{name}.int8"] = np.round(value / scale).astype(np.int8)
            stored[f"{name}.scale"] = scale.astype(np.float32)
        else:
            stored[name] = value.astype(np.float16)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **stored)


def load_stored(path: Path) -> dict[str, np.ndarray]:
    """The float32 weights `save_stored` wrote."""
    weights = {}
    with np.load(path) as stored:
        for key in stored.files:
            if key.endswith(".int8"):
                name = key[: -len(".int8")]
                weights[name] = stored[key].astype(np.float32) * stored[f"{name}.scale"]
            elif not key.endswith(".scale"):
                weights[key] = stored[key].astype(np.float32)
    return weights


def dequantised_top_layers(onnx_path: Path, count: int = len(TOP_LAYERS)) -> dict[str, np.ndarray]:
    """The shipped model's top `count` layers (`TOP_LAYERS` by default), pooler and classifier as float
    weights (int8 → float by (q - zero_point) * scale), named as the PyTorch head names them (Linear
    weights are [out, in])."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(onnx_path))
    tensors = {item.name: numpy_helper.to_array(item) for item in model.graph.initializer}
    by_node = {node.name: node for node in model.graph.node}

    def matrix(node_name: str) -> np.ndarray:
        node = by_node[node_name]
        base = node.input[1][: -len("_quantized")]
        quantized = tensors[node.input[1]].astype(np.float32)
        return ((quantized - tensors[node.input[3]].astype(np.float32)) * tensors[f"{base}_scale"]).T

    names = {"attention.self.query": "query", "attention.self.key": "key", "attention.self.value": "value",
             "attention.output.dense": "attention_out", "intermediate.dense": "intermediate", "output.dense": "output"}
    weights = {}
    for position, layer in enumerate(top_layers(count)):
        for part in LAYER_PARTS:
            node = f"/bert/encoder/layer.{layer}/{part.replace('.', '/')}/MatMul_quant"
            weights[f"layers.{position}.{names[part]}.weight"] = matrix(node)
            weights[f"layers.{position}.{names[part]}.bias"] = tensors[f"bert.encoder.layer.{layer}.{part}.bias"]
        for norm, short in zip(NORMS, ("attention_norm", "output_norm")):
            weights[f"layers.{position}.{short}.weight"] = tensors[f"bert.encoder.layer.{layer}.{norm}.weight"]
            weights[f"layers.{position}.{short}.bias"] = tensors[f"bert.encoder.layer.{layer}.{norm}.bias"]
    weights["pooler.weight"] = matrix("/bert/pooler/dense/Gemm_MatMul_quant")
    weights["pooler.bias"] = tensors["bert.pooler.dense.bias"]
    weights["classifier.weight"] = matrix("/classifier/Gemm_MatMul_quant")
    weights["classifier.bias"] = tensors["classifier.bias"]
    return weights


class AnswerHead:
    """A fine-tuned head, for answering (or, over other weights, for the support check:
    `qa.decision.support_head`): `score(hidden)` of one pair's hidden states; thread-safe. It runs
    on onnxruntime: an ONNX graph of the stored weights (`ingest.bert_onnx`, the arithmetic of the
    PyTorch module training uses), made on first use and kept by `ingest.model_cache`, so
    answering never imports PyTorch."""

    def __init__(self, path: Path = HEAD_PATH, threads: int = 2, int8: bool = False):
        from ingest.bert_onnx import session
        from ingest.model_cache import derived_model

        if not Path(path).is_file():
            raise FileNotFoundError(f"{path} is missing: train it with `python -m bench.fit.answer_head`")
        variant, make = ("head-int8", _int8_graph_of) if int8 else ("head", _graph_of)
        self._session = session(derived_model(Path(path), variant, make), threads)

    def score(self, hidden: np.ndarray) -> float:
        """The head's logit for one pair, from the [tokens, 384] hidden states after layer 4 (its
        attention mask is all ones: `read_pairs` returns only the pair's own tokens)."""
        states = np.asarray(hidden, dtype=np.float32)[None]
        return float(self._session.run(None, {"hidden": states, "mask": np.zeros(states.shape[:2], np.float32)})[0][0])


def _graph_of(path: Path) -> bytes:
    """The ONNX graph of the head stored at `path` (its number of layers read from the weights)."""
    from ingest.bert_onnx import encoder_model, layer_from

    weights = load_stored(path)
    layers = 1 + max(int(name.split(".")[1]) for name in weights if name.startswith("layers."))
    head = {
        "pooler": np.ascontiguousarray(weights["pooler.weight"].T), "pooler_bias": weights["pooler.bias"],
        "classifier": np.ascontiguousarray(weights["classifier.weight"].T), "classifier_bias": weights["classifier.bias"],
    }
    return encoder_model([layer_from(weights, _layer_keys(n)) for n in range(layers)], EPSILON, head=head)


def _int8_graph_of(path: Path) -> bytes:
    """The graph of `_graph_of` with its products by a weight matrix quantised dynamically: int8 weights
    with a scale per output column (as they are stored), activations quantised per run. About twice as
    fast on CPU; its logits move by a few tenths (one scale per matrix moved them by up to 1.7), so a
    threshold is chosen on this graph, not the float one. The attention's products of two activations
    stay float."""
    import tempfile

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as folder:
        float_path, int8_path = Path(folder) / "float.onnx", Path(folder) / "int8.onnx"
        float_path.write_bytes(_graph_of(path))
        graph = onnx.load(str(float_path)).graph
        weights = {item.name for item in graph.initializer}
        by_weight = [node.name for node in graph.node if node.op_type == "MatMul" and set(node.input) & weights]
        quiet = logging.getLogger().level
        logging.getLogger().setLevel(logging.ERROR)  # the quantiser's advice to pre-process, which changes nothing here
        try:
            quantize_dynamic(float_path, int8_path, op_types_to_quantize=["MatMul"], nodes_to_quantize=by_weight,
                             per_channel=True, weight_type=QuantType.QInt8)
        finally:
            logging.getLogger().setLevel(quiet)
        return int8_path.read_bytes()


def _layer_keys(position: int) -> dict[str, str]:
    """`ingest.bert_onnx.LayerWeights` fields -> the PyTorch head's names for layer `position`."""
    keys = {}
    for field in ("query", "key", "value", "attention_out", "attention_norm", "intermediate", "output", "output_norm"):
        keys[field] = f"layers.{position}.{field}.weight"
        keys[f"{field}_bias"] = f"layers.{position}.{field}.bias"
    return keys


@lru_cache(maxsize=1)
def get_answer_head() -> AnswerHead:
    return AnswerHead()
