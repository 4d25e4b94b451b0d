"""qa.search.retrieve: reciprocal-rank fusion on hand-made rankings, and the three LangChain retrievers on a
real index of the corpus (real embedder)."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from qa.search.retrieve import DenseRetriever, HybridRetriever, KeywordRetriever, reciprocal_rank_fusion
from qa_fixtures import DOSE_QUESTION, DOSE_QUOTE, corpus_index, loaded_index  # noqa: F401  (fixtures)

# -- reciprocal_rank_fusion -------------------------------------------------------------------------


def test_rrf_sums_reciprocal_ranks_and_orders_by_score():
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1]], k=60)
    assert [item for item, _ in fused] == [1, 3, 2]
    scores = dict(fused)
    assert scores[1] == pytest.approx(1 / 61 + 1 / 62)
    assert scores[3] == pytest.approx(1 / 63 + 1 / 61)
    assert scores[2] == pytest.approx(1 / 62)


def test_rrf_small_k_exact():
    assert reciprocal_rank_fusion([[5]], k=1) == [(5, 0.5)]
    fused = reciprocal_rank_fusion([[7, 8], [8]], k=1)
    assert fused == [(8, pytest.approx(1 / 3 + 1 / 2)), (7, pytest.approx(1 / 2))]


def test_rrf_item_in_both_lists_beats_a_single_first_place():
    fused = reciprocal_rank_fusion([[10, 20], [30, 20]], k=60)
    assert fused[0][0] == 20
    assert fused[0][1] == pytest.approx(2 / 62)
    assert [item for item, _ in fused] == [20, 10, 30]


def test_rrf_ties_keep_order_of_first_appearance():
    assert [item for item, _ in reciprocal_rank_fusion([[1, 2], [2, 1]], k=60)] == [1, 2]
    assert [item for item, _ in reciprocal_rank_fusion([[2, 1], [1, 2]], k=60)] == [2, 1]
    fused = reciprocal_rank_fusion([[4], [9]], k=60)
    assert fused == [(4, pytest.approx(1 / 61)), (9, pytest.approx(1 / 61))]


def test_rrf_empty():
    assert reciprocal_rank_fusion([], k=60) == []
    assert reciprocal_rank_fusion([[], []], k=60) == []


# -- retrievers on the corpus index -----------------------------------------------------------------


@pytest.fixture(scope="module")
def retrievers(loaded_index, embedder):
    dense = DenseRetriever(index=loaded_index, embedder=embedder, k=6)
    keyword = KeywordRetriever(index=loaded_index, k=6)
    hybrid = HybridRetriever(index=loaded_index, dense=dense, keyword=keyword, k=4, rrf_k=60)
    return dense, keyword, hybrid


def _check_documents(documents, index, method):
    assert documents and all(isinstance(doc, Document) for doc in documents)
    positions = [doc.metadata["position"] for doc in documents]
    assert len(set(positions)) == len(positions)
    for doc in documents:
        chunk = index.chunks[doc.metadata["position"]]
        assert doc.page_content == chunk.text
        assert doc.id == chunk.id
        assert doc.metadata["source"] == chunk.source
        assert doc.metadata["method"] == method
        assert isinstance(doc.metadata["score"], float)
    scores = [doc.metadata["score"] for doc in documents]
    assert scores == sorted(scores, reverse=True)


def test_retrievers_are_langchain_retrievers(retrievers):
    for retriever in retrievers:
        assert isinstance(retriever, BaseRetriever)


def test_dense_retriever(retrievers, loaded_index):
    dense, _, _ = retrievers
    documents = dense.invoke(DOSE_QUESTION)
    assert len(documents) == 6
    _check_documents(documents, loaded_index, "dense")
    assert all(-1.0 <= doc.metadata["score"] <= 1.0 for doc in documents)


def test_keyword_retriever(retrievers, loaded_index):
    _, keyword, _ = retrievers
    documents = keyword.invoke(DOSE_QUESTION)
    assert 1 <= len(documents) <= 6
    _check_documents(documents, loaded_index, "bm25")
    expected = loaded_index.bm25.top(DOSE_QUESTION, 6)
    assert [(doc.metadata["position"], doc.metadata["score"]) for doc in documents] == [
        (position, pytest.approx(score)) for position, score in expected
    ]
    assert keyword.invoke("what was the") == []  # only stop words: nothing matches


def test_hybrid_retriever_fuses_dense_and_keyword(retrievers, loaded_index):
    dense, keyword, hybrid = retrievers
    documents = hybrid.invoke(DOSE_QUESTION)
    assert len(documents) == 4  # hybrid k
    _check_documents(documents, loaded_index, "hybrid")
    rankings = [[doc.metadata["position"] for doc in retriever.invoke(DOSE_QUESTION)] for retriever in (dense, keyword)]
    expected = reciprocal_rank_fusion(rankings, 60)[:4]
    assert [(doc.metadata["position"], doc.metadata["score"]) for doc in documents] == [
        (position, pytest.approx(score)) for position, score in expected
    ]


def test_hybrid_puts_the_grabski_dose_chunk_first(retrievers):
    _, _, hybrid = retrievers
    first = hybrid.invoke(DOSE_QUESTION)[0]
    assert DOSE_QUOTE in first.page_content
    assert "Grabski" in first.page_content
    assert first.metadata["source"] == "ketamine-sud-evidence-by-condition.txt"


def test_hybrid_puts_the_dakwar_chunk_first_for_the_condensed_cocaine_follow_up(retrievers):
    # the standalone form of "What about cocaine?" after the alcohol dose question
    _, _, hybrid = retrievers
    first = hybrid.invoke("What dose of ketamine was used in the cocaine trial?")[0]
    assert "Dakwar et al." in first.page_content


def test_the_likeliest_discussed_documents_best_chunks_for_the_question_join_the_pool():
    from qa.search.retrieve import with_discussed_chunks

    source = {0: "a", 1: "a", 2: "b", 3: "b", 4: "b", 5: "c"}.get
    own = {3: 2.0, 4: 5.0, 2: 0.5, 5: 9.0}
    sure, unsure = {"b": 0.8, "a": 0.2}, {"b": 0.5, "a": 0.5}
    assert with_discussed_chunks([0, 1, 5], 3, own, source, sure, 2) == [0, 4, 3]  # b's best two take the last places
    assert with_discussed_chunks([4, 0, 1], 3, own, source, sure, 2) == [4, 0, 3]  # one already there
    assert with_discussed_chunks([0, 1, 5], 3, own, source, unsure, 2) == [0, 1, 5]  # no document likelier than the rest
    assert with_discussed_chunks([0, 1, 5], 3, own, source, sure, 0) == [0, 1, 5]
    assert with_discussed_chunks([0, 1, 5], 3, {}, source, sure, 2) == [0, 1, 5]  # the question's own words match nothing
    assert with_discussed_chunks([0, 1], 4, own, source, sure, 2) == [0, 1, 4, 3]  # room left: nothing is dropped


def test_a_conversation_search_adds_the_questions_own_best_chunks(loaded_index):
    # After an exchange on the alcohol trial's dose, a question on another subject: the search
    # weighted by the conversation misses its passages; the question's own best two are added.
    from ingest.embed_onnx import get_query_embedder
    from qa.conversation.history import Conversation
    from qa.search.retrieve import conversation_candidates

    embedder = get_query_embedder()
    history = [{"role": "user", "content": DOSE_QUESTION}, {"role": "assistant", "content": DOSE_QUOTE}]
    question = "What are the common symptoms of substance use disorders?"
    search = (loaded_index, embedder, question, Conversation.of(history, loaded_index), [2.0], 20, 20, 60, 3)
    without = conversation_candidates(*search).positions
    with_own = conversation_candidates(*search, own_chunks=2).positions
    alone = HybridRetriever(
        index=loaded_index, dense=DenseRetriever(index=loaded_index, embedder=embedder, k=20),
        keyword=KeywordRetriever(index=loaded_index, k=20), k=2, rrf_k=60,
    )
    own = [doc.metadata["position"] for doc in alone.invoke(question)]
    assert not set(own) <= set(without)
    assert with_own[: len(without)] == without  # the conversation's pool is kept whole
    assert with_own[len(without) :] == [p for p in own if p not in without]
