"""qa.decision.answer_head: the dequantised top layers reproduce the shipped score; the fine-tuned head loads
offline and tells an answering sentence from an on-topic one (real models)."""

from __future__ import annotations

import pytest

from qa.decision.answer_head import HEAD_PATH, AnswerHead, dequantised_top_layers, load_weights, new_head
from qa.search.rerank import get_cross_encoder, reranker_dir

QUESTION = "When was the Ottoman Caliphate abolished?"
ANSWERS = (
    "HT sees Islam's pivotal turning point as occurring not with the death of Ali, but with the abolition of the "
    "Ottoman Caliphate in 1924."
)
ON_TOPIC = "In its focus on the Caliphate, the party takes a different view of Muslim history than some other Islamists."


@pytest.fixture(scope="module")
def cross_encoder():
    return get_cross_encoder(1)


def test_dequantised_head_reproduces_the_shipped_score(cross_encoder):
    import torch

    head = load_weights(new_head(), dequantised_top_layers(reranker_dir() / "model.onnx")).eval()
    pairs = [(QUESTION, ANSWERS), (QUESTION, ON_TOPIC), (QUESTION, "The weather in Paris was mild.")]
    logits, hidden = cross_encoder.read_pairs(pairs)
    with torch.inference_mode():
        again = [float(head(torch.tensor(h)[None], torch.ones(1, h.shape[0]))[0]) for h in hidden]
    # Eight int8 layers re-run in float: onnxruntime's int8 kernels round differently from CPU to
    # CPU (0.21 apart on one machine, at logits of 6.6 and -11), far less than the gaps between pairs.
    assert again == pytest.approx([float(v) for v in logits], abs=0.3)
    assert again[0] > again[1] > again[2]


def test_a_deeper_dequantised_head_reproduces_the_shipped_score_from_lower_hidden_states():
    import torch

    from qa.search.rerank import CrossEncoder, hidden_output

    lower = CrossEncoder(threads=1, hidden_after=8)
    head = load_weights(new_head(4), dequantised_top_layers(reranker_dir() / "model.onnx", 4)).eval()
    logits, hidden = lower.read_pairs([(QUESTION, ANSWERS), (QUESTION, ON_TOPIC)])
    with torch.inference_mode():
        again = [float(head(torch.tensor(h)[None], torch.ones(1, h.shape[0]))[0]) for h in hidden]
    assert again == pytest.approx([float(v) for v in logits], abs=0.3)  # four int8 layers re-run in float
    assert again[0] > again[1]
    with pytest.raises(ValueError, match="after layer 1 to 11"):
        hidden_output(12)


def test_hidden_states_cover_only_the_pairs_tokens(cross_encoder):
    _, hidden = cross_encoder.read_pairs([(QUESTION, ANSWERS), (QUESTION, "Short.")])
    assert hidden[0].shape[1] == hidden[1].shape[1] == 384
    assert hidden[0].shape[0] > hidden[1].shape[0]


def test_shipped_head_prefers_the_answering_sentence(cross_encoder):
    head = AnswerHead()
    _, hidden = cross_encoder.read_pairs([(QUESTION, ANSWERS), (QUESTION, ON_TOPIC)])
    answers, on_topic = (head.score(h) for h in hidden)
    assert answers > on_topic


def test_missing_weights_name_the_training_script(tmp_path):
    with pytest.raises(FileNotFoundError, match="bench.fit.answer_head"):
        AnswerHead(tmp_path / "none.npz")


def test_shipped_weights_are_small():
    assert HEAD_PATH.stat().st_size < 25 * 1024 * 1024


def test_weights_of_is_a_snapshot_that_later_training_does_not_change():
    import torch

    from qa.decision.answer_head import weights_of

    head = new_head()
    before = weights_of(head)
    with torch.no_grad():
        head.classifier.bias.add_(1.0)
    assert weights_of(head)["classifier.bias"][0] == pytest.approx(before["classifier.bias"][0] + 1.0)


def test_the_head_reads_what_the_layers_below_it_leave():
    from qa.decision.answer_head import TOP_LAYERS
    from qa.search.rerank import HIDDEN_AFTER, LAYERS

    assert TOP_LAYERS == tuple(range(HIDDEN_AFTER, LAYERS))


def test_stored_weights_round_trip_within_int8_precision(tmp_path):
    import numpy as np

    from qa.decision.answer_head import load_stored, save_stored

    rng = np.random.default_rng(0)
    weights = {"layer.weight": rng.normal(size=(6, 4)).astype(np.float32), "layer.bias": np.array([0.5, -1.0], np.float32),
               "zero.weight": np.zeros((2, 2), np.float32)}
    save_stored(tmp_path / "head.npz", weights)
    back = load_stored(tmp_path / "head.npz")
    assert set(back) == set(weights)
    step = np.abs(weights["layer.weight"]).max(axis=1, keepdims=True) / 127
    assert np.all(np.abs(back["layer.weight"] - weights["layer.weight"]) <= step / 2 + 1e-7)
    assert back["layer.bias"].tolist() == [0.5, -1.0] and not back["zero.weight"].any()


def test_the_numpy_head_answers_as_the_pytorch_module_it_was_trained_as(cross_encoder):
    import torch

    from qa.decision.answer_head import load_stored

    shipped = AnswerHead()
    module = load_weights(new_head(), load_stored(HEAD_PATH)).eval()
    pairs = [(QUESTION, ANSWERS), (QUESTION, ON_TOPIC), (QUESTION, "The weather in Paris was mild.")]
    _, hidden = cross_encoder.read_pairs(pairs)
    with torch.inference_mode():
        expected = [float(module(torch.tensor(h)[None], torch.ones(1, h.shape[0]))[0]) for h in hidden]
    assert [shipped.score(h) for h in hidden] == pytest.approx(expected, abs=1e-3)


def test_the_int8_graph_reads_as_the_float_one_within_a_few_tenths(cross_encoder):
    from qa.decision.answer_head import _int8_graph_of

    assert b"MatMulInteger" in _int8_graph_of(HEAD_PATH)  # quantised, not the float graph again
    pairs = [(QUESTION, ANSWERS), (QUESTION, ON_TOPIC), (QUESTION, "The weather in Paris was mild.")]
    _, hidden = cross_encoder.read_pairs(pairs)
    floats = [AnswerHead().score(h) for h in hidden]
    int8s = [AnswerHead(int8=True).score(h) for h in hidden]
    assert int8s == pytest.approx(floats, abs=0.5)
    assert int8s[0] > int8s[1] and int8s[0] > int8s[2]
