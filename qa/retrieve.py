"""Find candidate chunks: dense (Chroma) and keyword (BM25) retrieval fused by reciprocal rank.

What it does: three LangChain retrievers over a `LoadedIndex` — `DenseRetriever`,
`KeywordRetriever` and `HybridRetriever` (reciprocal-rank fusion of the other two: a chunk's score
is the sum of 1/(rrf_k + rank) over the lists it appears in). Each returns LangChain `Document`s
whose metadata carries the chunk's `position` in the index and its score.
What it does not: rerank or decide anything about relevance (see `rerank` and `answerability`).
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ingest.embed import Embedder
from qa.index import LoadedIndex


def reciprocal_rank_fusion(rankings: list[list[int]], k: int) -> list[tuple[int, float]]:
    """Fuse ranked lists of ids; ties keep the order of first appearance."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def _as_documents(index: LoadedIndex, hits: list[tuple[int, float]], method: str) -> list[Document]:
    documents = []
    for position, score in hits:
        chunk = index.chunks[position]
        metadata = {"position": position, "score": float(score), "method": method, "source": chunk.source}
        documents.append(Document(page_content=chunk.text, metadata=metadata, id=chunk.id))
    return documents


class _IndexRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)
    index: LoadedIndex
    k: int = 20


class DenseRetriever(_IndexRetriever):
    """Nearest chunks by cosine similarity of all-MiniLM-L6-v2 vectors."""

    embedder: Embedder

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return _as_documents(self.index, self.index.dense(self.embedder.encode_query(query), self.k), "dense")


class KeywordRetriever(_IndexRetriever):
    """Best chunks by BM25."""

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return _as_documents(self.index, self.index.bm25.top(query, self.k), "bm25")


class HybridRetriever(_IndexRetriever):
    """Dense and BM25 lists fused by reciprocal rank."""

    dense: DenseRetriever
    keyword: KeywordRetriever
    rrf_k: int = 60

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        callbacks = run_manager.get_child()
        rankings = [
            [doc.metadata["position"] for doc in retriever.invoke(query, config={"callbacks": callbacks})]
            for retriever in (self.dense, self.keyword)
        ]
        return _as_documents(self.index, reciprocal_rank_fusion(rankings, self.rrf_k)[: self.k], "hybrid")
