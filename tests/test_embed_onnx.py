"""ingest.embed_onnx: the question-side MiniLM on onnxruntime gives sentence-transformers' vectors, without PyTorch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from ingest.embed import EMBEDDER_NAME, TextEmbedder
from ingest.embed_onnx import QueryEmbedder, get_query_embedder
from qa_fixtures import corpus_index  # noqa: F401

TEXTS = [
    "What dose of ketamine was used in the alcohol trial?",
    "ppl who vape",
    "ketamine",
    "A 2022 Phase 2 trial of 96 people with severe AUD found that three IV ketamine infusions (0.8 mg/kg over 40 "
    "minutes) plus therapy led to more days abstinent and fewer relapses at 6 months than control conditions. " * 4,
    "¿Cuánto cuesta una sesión de ketamina?",
    "x",
]


@pytest.fixture(scope="module")
def query_embedder() -> QueryEmbedder:
    return get_query_embedder()


def test_it_gives_the_vectors_the_corpus_was_indexed_with(query_embedder, embedder):
    # One text at a time and all together (padded and masked): the same vectors either way.
    together = query_embedder.encode(TEXTS, batch_size=4)
    alone = np.stack([query_embedder.encode_query(text) for text in TEXTS])
    expected = embedder.encode(TEXTS)
    np.testing.assert_allclose(together, expected, atol=2e-6)
    np.testing.assert_allclose(alone, expected, atol=2e-6)
    assert together.dtype == np.float32 and together.shape == (len(TEXTS), 384)


def test_it_stands_in_for_the_indexing_embedder(query_embedder):
    assert isinstance(query_embedder, TextEmbedder)
    assert query_embedder.name == EMBEDDER_NAME and query_embedder.dimension == 384
    assert query_embedder.encode([]).shape == (0, 384)


def test_answering_a_question_never_imports_pytorch(corpus_index):  # noqa: F811
    script = (
        "import sys; from qa import ask; "
        f"answer = ask('What dose of ketamine was used in the alcohol trial?', index={str(corpus_index)!r}); "
        "assert not answer.refused, answer.answer; "
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_remembered_text_gives_the_vector_it_would_be_given(query_embedder):
    opening = "What did the 2022 alcohol trial find? A 2022 Phase 2 trial of 96 people with severe AUD found"
    computed = query_embedder.encode([opening, "ketamine"])
    query_embedder.remember([opening])
    assert query_embedder.remembers(opening) and not query_embedder.remembers("ketamine")
    np.testing.assert_array_equal(query_embedder.encode(["ketamine", opening]), computed[::-1])


def test_an_answer_leaves_its_exchange_embedded_for_the_next_question(corpus_index):  # noqa: F811
    import time

    from qa import ask
    from qa.conversation.history import Conversation, clean_history
    from qa.search.index import get_index
    from qa.search.retrieve import exchange_opening
    from qa.settings import Settings

    answer = ask("What did the 2022 alcohol trial find?", index=corpus_index)
    index = get_index(Settings(index=corpus_index))
    opening = exchange_opening(Conversation.of(clean_history(answer.history_turns()), index, 1).exchanges[0])
    for _ in range(100):  # it is embedded in the background
        if get_query_embedder().remembers(opening):
            break
        time.sleep(0.05)
    assert get_query_embedder().remembers(opening)
    follow_up = ask("How many people took part?", answer.history_turns(), index=corpus_index)
    assert not follow_up.refused
