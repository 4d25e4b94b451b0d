"""BERT encoder layers as an ONNX graph, built from their weights, for onnxruntime to run.

What it does: `encoder_model(layers, epsilon, embeddings=None, head=None)` writes the graph of a
stack of post-LayerNorm BERT layers (`LayerWeights`, one per layer, from `layer_from`; exact GELU
by Erf) in float32, as bytes:
- with `embeddings` (word, position, token-type tables and their LayerNorm), it reads
  `input_ids`, `token_type_ids`, `position_ids` and an additive `mask` [batch, tokens] and gives
  the last hidden states (`hidden`): the question-side embedder (`ingest.embed_onnx`);
- without, it reads `hidden` states [batch, tokens, 384] and `mask`, and with `head` (pooler and
  classifier) gives one logit per row (`logit`): the answer and support heads (`qa.decision.answer_head`).
Answering runs these instead of PyTorch, whose import alone costs seconds: onnxruntime runs a
question's small matrices faster than PyTorch or NumPy do (the answer head's eight layers: 10 ms
on two threads, against 19 ms in PyTorch and 20-27 ms in NumPy), in the same float32 arithmetic;
tests hold the outputs to PyTorch's and sentence-transformers'. `session(model, threads)` opens one.
What it does not: train (PyTorch does), quantise, or load weights from files (the callers do).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HEADS = 12


@dataclass(frozen=True)
class LayerWeights:
    """One layer's weights; matrices are [in, out]."""

    query: np.ndarray
    query_bias: np.ndarray
    key: np.ndarray
    key_bias: np.ndarray
    value: np.ndarray
    value_bias: np.ndarray
    attention_out: np.ndarray
    attention_out_bias: np.ndarray
    attention_norm: np.ndarray
    attention_norm_bias: np.ndarray
    intermediate: np.ndarray
    intermediate_bias: np.ndarray
    output: np.ndarray
    output_bias: np.ndarray
    output_norm: np.ndarray
    output_norm_bias: np.ndarray


def layer_from(weights: dict[str, np.ndarray], names: dict[str, str]) -> LayerWeights:
    """A `LayerWeights` from `weights` keyed by `names` (field -> key of a [out, in] matrix or a
    vector), transposing the matrices to [in, out]."""
    values = {}
    for field, key in names.items():
        value = np.asarray(weights[key], dtype=np.float32)
        values[field] = np.ascontiguousarray(value.T) if value.ndim == 2 else value
    return LayerWeights(**values)


class _Graph:
    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes, self.initializers, self._count = [], [], 0

    def name(self, stem: str) -> str:
        self._count += 1
        return f"{stem}_{self._count}"

    def constant(self, value, stem: str = "w") -> str:
        name = self.name(stem)
        self.initializers.append(self.numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], **attributes) -> str:
        output = self.name(op.lower())
        self.nodes.append(self.helper.make_node(op, inputs, [output], **attributes))
        return output

    def linear(self, x: str, weight: np.ndarray, bias: np.ndarray) -> str:
        return self.node("Add", [self.node("MatMul", [x, self.constant(weight)]), self.constant(bias)])

    def layer_norm(self, x: str, weight: np.ndarray, bias: np.ndarray, epsilon: float) -> str:
        return self.node("LayerNormalization", [x, self.constant(weight), self.constant(bias)], axis=-1, epsilon=epsilon)


def _layer(graph: _Graph, x: str, mask: str, layer: LayerWeights, epsilon: float) -> str:
    hidden = layer.query.shape[0]
    size = hidden // HEADS
    split = graph.constant(np.array([0, 0, HEADS, size], dtype=np.int64), "shape")
    merge = graph.constant(np.array([0, 0, hidden], dtype=np.int64), "shape")

    def heads(values: str, perm: list[int]) -> str:
        return graph.node("Transpose", [graph.node("Reshape", [values, split])], perm=perm)

    q = heads(graph.linear(x, layer.query, layer.query_bias), [0, 2, 1, 3])
    k = heads(graph.linear(x, layer.key, layer.key_bias), [0, 2, 3, 1])
    v = heads(graph.linear(x, layer.value, layer.value_bias), [0, 2, 1, 3])
    scale = graph.constant(np.float32(1.0 / np.sqrt(size)), "scale")
    scores = graph.node("Add", [graph.node("Mul", [graph.node("MatMul", [q, k]), scale]), mask])
    context = graph.node("MatMul", [graph.node("Softmax", [scores], axis=-1), v])
    context = graph.node("Reshape", [graph.node("Transpose", [context], perm=[0, 2, 1, 3]), merge])
    attended = graph.node("Add", [graph.linear(context, layer.attention_out, layer.attention_out_bias), x])
    x = graph.layer_norm(attended, layer.attention_norm, layer.attention_norm_bias, epsilon)
    inner = graph.linear(x, layer.intermediate, layer.intermediate_bias)
    erf = graph.node("Erf", [graph.node("Mul", [inner, graph.constant(np.float32(1 / np.sqrt(2.0)), "c")])])
    half = graph.node("Mul", [inner, graph.constant(np.float32(0.5), "c")])
    gelu = graph.node("Mul", [half, graph.node("Add", [erf, graph.constant(np.float32(1.0), "c")])])
    out = graph.node("Add", [graph.linear(gelu, layer.output, layer.output_bias), x])
    return graph.layer_norm(out, layer.output_norm, layer.output_norm_bias, epsilon)


def encoder_model(layers: list[LayerWeights], epsilon: float = 1e-12, embeddings: dict | None = None,
                  head: dict | None = None) -> bytes:
    """The serialised graph (see the module docstring). `embeddings`: {"words", "positions",
    "types", "norm", "norm_bias"}; `head`: {"pooler", "pooler_bias", "classifier",
    "classifier_bias"}, matrices [in, out]."""
    from onnx import TensorProto, helper

    graph = _Graph()
    float_ = TensorProto.FLOAT
    inputs = [helper.make_tensor_value_info("mask", float_, ["batch", "tokens"])]
    if embeddings is not None:
        for name in ("input_ids", "token_type_ids", "position_ids"):
            inputs.append(helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "tokens"]))
        summed = graph.node("Add", [
            graph.node("Add", [graph.node("Gather", [graph.constant(embeddings["words"]), "input_ids"]),
                               graph.node("Gather", [graph.constant(embeddings["positions"]), "position_ids"])]),
            graph.node("Gather", [graph.constant(embeddings["types"]), "token_type_ids"]),
        ])
        x = graph.layer_norm(summed, embeddings["norm"], embeddings["norm_bias"], epsilon)
    else:
        inputs.append(helper.make_tensor_value_info("hidden", float_, ["batch", "tokens", layers[0].query.shape[0]]))
        x = "hidden"
    mask = graph.node("Unsqueeze", ["mask", graph.constant(np.array([1, 2], dtype=np.int64), "axes")])
    for layer in layers:
        x = _layer(graph, x, mask, layer, epsilon)
    if head is not None:
        first = graph.node("Gather", [x, graph.constant(np.array(0, dtype=np.int64), "index")], axis=1)
        pooled = graph.node("Tanh", [graph.linear(first, head["pooler"], head["pooler_bias"])])
        logit = graph.linear(pooled, head["classifier"], head["classifier_bias"])
        graph.nodes.append(helper.make_node("Squeeze", [logit, graph.constant(np.array([1], dtype=np.int64), "axes")], ["logit"]))
        outputs = [helper.make_tensor_value_info("logit", float_, ["batch"])]
    else:
        graph.nodes.append(helper.make_node("Identity", [x], ["last_hidden"]))
        outputs = [helper.make_tensor_value_info("last_hidden", float_, ["batch", "tokens", layers[0].query.shape[0]])]
    model = helper.make_model(
        helper.make_graph(graph.nodes, "bert_layers", inputs, outputs, graph.initializers),
        opset_imports=[helper.make_opsetid("", 17)],
    )
    model.ir_version = 8
    return model.SerializeToString()


def session(model, threads: int = 1):
    """An onnxruntime session of `model` (bytes or a path) on `threads` intra-op threads."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # Idle threads sleep at once: a question runs several sessions one after another, and a
    # session's threads spinning after their run would take the cores from the next one.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(model) if not isinstance(model, bytes) else model, sess_options=options,
                                        providers=["CPUExecutionProvider"])
