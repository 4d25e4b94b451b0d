"""Find candidate chunks: dense (Chroma) and keyword (BM25) retrieval fused by reciprocal rank.

What it does: three LangChain retrievers over a `LoadedIndex` — `DenseRetriever`,
`KeywordRetriever` and `HybridRetriever` (reciprocal-rank fusion of the other two: a chunk's score
is the sum of 1/(rrf_k + rank) over the lists it appears in). Each returns LangChain `Document`s
whose metadata carries the chunk's `position` in the index and its score.
`Retrieved` is what the chain's retrieve step gives.
`conversation_candidates` searches with the question and the recent exchanges of a conversation
together (each weighted; the question counts most), prefers the documents it has cited, and adds
the passages of the document it is clearly about that match the question's own words
(`with_discussed_chunks`, the document from `qa.conversation.discussed`) and the question's own best
chunks, searched without the conversation (a question on a new subject misread as a follow-up).
What it does not: rerank or decide anything about relevance (see `rerank` and `answerability`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ingest.embed import TextEmbedder
from ingest.store import StoredChunk
from qa.conversation.discussed import EXCHANGES, DiscussedModel, document_features
from qa.conversation.follow_up import CONVERSATION_DOCUMENTS, follow_up_features
from qa.conversation.history import Conversation
from qa.search.index import LoadedIndex

EMBEDDED_EXCHANGE_CHARS = 150  # BM25 still reads the whole exchange


@dataclass(frozen=True)
class Retrieved:
    """What retrieval gives the rest of the chain: the candidate chunks in fused order, and what
    the conversation added to the search."""

    candidates: list[StoredChunk]
    follow_up: float = 0.0  # how much the question leans on the conversation (`qa.conversation.follow_up`)
    searched_with: list[str] = field(default_factory=list)  # the exchanges searched with, shown to the user
    discussed: dict[str, float] = field(default_factory=dict)  # each document's probability of being the one discussed


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

    embedder: TextEmbedder

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


class ConversationSearch(NamedTuple):
    """What `conversation_candidates` found: chunk positions, the question's lean on the
    conversation, the `qa.conversation.follow_up` features it was judged by, and (with a `DiscussedModel`) the
    candidate documents' features and their probability of being the one the question is about."""

    positions: list[int]
    lean: float
    features: dict[str, float]
    document_features: dict[str, dict[str, float]]
    discussed: dict[str, float]


def conversation_candidates(
    index: LoadedIndex,
    embedder: TextEmbedder,
    question: str,
    conversation: Conversation,
    weights: list[float],
    dense_k: int,
    keyword_k: int,
    rrf_k: int,
    depth: int,
    lean: Callable[[dict[str, float]], float] | None = None,
    discussed: DiscussedModel | None = None,
    discussed_chunks: int = 0,
    own_chunks: int = 0,
) -> ConversationSearch:
    """Chunk positions for `question` asked in `conversation`, how much it leans on the
    conversation (`lean` of the `qa.conversation.follow_up` features; 1 without `lean`) and those features;
    with `discussed`, which documents the question is about (`qa.conversation.discussed`), and when one is
    likelier than all the others together, its `discussed_chunks` best chunks for the question's
    own words join the pool ("Where did he attend college?": the conversation found the story,
    the question's words find the passage in it).

    Dense and BM25 search with the question (weight 1) and the recent exchanges (`weights[i]`
    for the i-th newest, times the lean), fused by reciprocal rank; chunks of the documents the
    conversation cited count as ranked first in one more list (times the lean), so they enter the
    pool unless the question's own matches outrank them. The `own_chunks` best chunks of the
    question searched alone are added to the pool whatever the conversation says: a question on a new
    subject ("What does isobaric mean?" after a talk on EU law) still finds its passage, and the
    reranker, which reads the question, chooses."""
    exchanges = [(text, weight) for text, weight in zip(conversation.exchanges, weights) if weight > 0]
    answers = [answer for answer, weight in zip(conversation.answers, weights) if weight > 0]
    # An exchange's opening (its question, the start of its answer) says what it was about; embedding
    # a whole quoted answer costs ~0.2 ms a token on one core.
    vectors = embedder.encode([question] + [exchange_opening(text) for text, _ in exchanges])
    question_vector, exchange_vectors = vectors[0], vectors[1:]
    alone_dense = index.dense(question_vector, dense_k)
    alone_scores = index.bm25.scores(question)
    context_vector = sum(weight * vector for (_, weight), vector in zip(exchanges, exchange_vectors))
    exchange_scores = [index.bm25.scores(text) for text, _ in exchanges]
    context_scores: dict[int, float] = {}
    for (_, weight), scores in zip(exchanges, exchange_scores):
        for position, score in scores.items():
            context_scores[position] = context_scores.get(position, 0.0) + weight * score
    context_dense = index.dense(_unit(context_vector), dense_k)
    about = _sources_of(index, reciprocal_rank_fusion(
        [[p for p, _ in context_dense], _best(context_scores, keyword_k)], rrf_k
    ), CONVERSATION_DOCUMENTS) | set(conversation.sources)
    features = follow_up_features(
        question, question_vector, exchange_vectors[0],
        alone_dense, sorted(alone_scores.items(), key=lambda item: -item[1])[:1], about, index,
    )
    leaning = lean(features) if lean else 1.0

    dense = [p for p, _ in index.dense(_unit(question_vector + leaning * context_vector), dense_k)]
    keyword_scores = dict(alone_scores)
    for position, score in context_scores.items():
        keyword_scores[position] = keyword_scores.get(position, 0.0) + leaning * score
    fused = dict(reciprocal_rank_fusion([dense, _best(keyword_scores, keyword_k)], rrf_k))
    if conversation.sources:
        cited = set(conversation.sources)
        for position in fused:
            if index.chunks[position].source in cited:
                fused[position] += leaning / (rrf_k + 1)
    ranked = [p for p, _ in sorted(fused.items(), key=lambda item: -item[1])]
    documents, probabilities = {}, {}
    if discussed is not None:
        # With one exchange, the conversation's vector is that exchange's (unit vectors): its search is made.
        exchange_dense = [context_dense] if len(exchanges) == 1 else [
            index.dense(vector, dense_k) for vector in exchange_vectors[:EXCHANGES]
        ]
        documents = document_features(index, alone_scores, alone_dense, exchange_scores, exchange_dense, answers, leaning)
        probabilities = discussed.probabilities(documents)
    pool = with_discussed_chunks(
        ranked[:depth], depth, alone_scores, lambda position: index.chunks[position].source, probabilities, discussed_chunks
    )
    if own_chunks:
        own = reciprocal_rank_fusion([[p for p, _ in alone_dense], _best(alone_scores, keyword_k)], rrf_k)
        pool += [p for p, _ in own[:own_chunks] if p not in pool]
    return ConversationSearch(pool, leaning, features, documents, probabilities)


def with_discussed_chunks(pool: list[int], depth: int, own_scores: dict[int, float], source_of: Callable[[int], str],
                          probabilities: dict[str, float], count: int) -> list[int]:
    """`pool` (at most `depth` chunks) with the `count` chunks of the likeliest discussed document
    that score best for the question's own words (`own_scores`, BM25), taking the places of its
    last ones when it is full; unchanged unless that document is likelier than all others together."""
    if not count or not probabilities:
        return pool
    likeliest = max(probabilities, key=probabilities.get)
    if probabilities[likeliest] <= 0.5:
        return pool
    in_it = sorted(((p, score) for p, score in own_scores.items() if score > 0 and source_of(p) == likeliest),
                   key=lambda item: (-item[1], item[0]))
    extra = [p for p, _ in in_it[:count] if p not in pool]
    return pool[: max(0, min(len(pool), depth - len(extra)))] + extra


def exchange_opening(text: str) -> str:
    """What is embedded of an exchange: its question and the start of its answer."""
    return text if len(text) <= EMBEDDED_EXCHANGE_CHARS else text[:EMBEDDED_EXCHANGE_CHARS].rsplit(" ", 1)[0]


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / (np.linalg.norm(vector) or 1.0)


def _best(scores: dict[int, float], k: int) -> list[int]:
    return [p for p, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]]


def _sources_of(index: LoadedIndex, ranked: list[tuple[int, float]], documents: int) -> set[str]:
    sources: list[str] = []
    for position, _ in ranked:
        if index.chunks[position].source not in sources:
            sources.append(index.chunks[position].source)
        if len(sources) == documents:
            break
    return set(sources)
