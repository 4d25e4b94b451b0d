"""The answering chain: load → condense → retrieve → rerank → answerability decision → answer, as a LangChain Runnable.

During a conversation, retrieve searches with the recent exchanges too (`qa.search.retrieve.
conversation_candidates`, weighed by `qa.conversation.follow_up`), and a leaning follow-up's sentences are
scored against the question with the latest exchange's opening (`qa.conversation.history`) and its quotes
kept to the document the conversation is about (`qa.conversation.discussed`, in `qa.compose.answers`).

What it does: `QAChain` (the object `qa.chain`) runs the steps as an LCEL sequence over a state
dict and returns an `Answer`; `stream` yields growing `Answer`s, one more sentence each time, the
last one complete; `batch` comes from `Runnable`. `ask(question, history=None, **overrides)` is
the plain-function face. Models and the index load once per process, on first use (the `load` step).
The call's question and settings are read by `qa.request`.
Rerank is in `qa.search.scoring`, the answerability decision in `qa.decision.decide`, the answer step in `qa.compose.answers`.
What it does not: render anything (see `app.py` and `qa.__main__`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda

from ingest.embed_onnx import get_query_embedder
from qa.answer import REFUSAL, Answer, elapsed_ms
from qa.compose import answers as compose
from qa.conversation.condense import condense_how
from qa.conversation.discussed import get_discussed_model
from qa.conversation.follow_up import get_follow_up_model
from qa.conversation.history import Conversation, clean_history, question_with_context
from qa.decision.answer_head import get_answer_head
from qa.decision.answerability import get_model
from qa.decision.decide import judge
from qa.decision.policy import screen
from qa.request import as_state, clean_question, settings_for, use_threads  # noqa: F401 - clean_question is part of this module's face
from qa.search.index import IndexChanged, get_index
from qa.search.rerank import QuestionReader, get_cross_encoder
from qa.search.retrieve import (
    DenseRetriever,
    HybridRetriever,
    KeywordRetriever,
    conversation_candidates,
    exchange_opening,
)
from qa.search.scoring import rerank_passages
from qa.text.wording import normalise, vocabulary_of

FOLLOWS_ON = 0.5  # a question this likely to lean on the conversation shows what it was searched with


def _prepare(state: dict) -> dict:
    settings = settings_for(state.get("settings") or {})
    use_threads(settings.threads)
    state["settings"] = settings
    state["question"] = clean_question(state.get("question"), settings.max_question_chars)
    state["history"] = clean_history(state.get("history"))
    state["timings"] = {}
    state["started"] = time.perf_counter()
    return state


def _load(state: dict) -> dict:
    """Open the index and load the models a question needs, once per process (a process's first
    question pays for it here, not in the steps that follow)."""
    began = time.perf_counter()
    settings = state["settings"]
    state["index"] = get_index(settings)
    get_query_embedder()
    get_cross_encoder(settings.rerank_threads)
    if settings.answerability_threshold != 0:
        get_answer_head()
        get_model()
    state["timings"]["load_ms"] = elapsed_ms(began)
    return state


def _condense(state: dict) -> dict:
    began = time.perf_counter()
    index = state["index"]
    state["conversation"] = Conversation.of(state["history"], index, state["settings"].conversation_exchanges)
    # What is searched and decided on: the same for "...alchohol trial" and "...alcohol trial?" (qa.text.wording).
    normalising = state["settings"].normalise_wording
    state["normalised"] = normalise(state["question"], vocabulary_of(index)) if normalising else state["question"]
    embedder = get_query_embedder()
    rewritten = _condense_with_llm(state)
    state["standalone"], state["condensed"] = (rewritten, "llm") if rewritten else condense_how(
        state["normalised"], state["history"], embedder.encode, index.bm25.document_frequency
    )
    state["timings"]["condense_ms"] = elapsed_ms(began)
    return state


def _condense_with_llm(state: dict) -> str | None:
    """The LLM's standalone question when `condense_with_llm` is on and it gives a usable one."""
    settings = state["settings"]
    if not (settings.condense_with_llm and state["history"] and settings.llm.strip().lower() not in ("", "none")):
        return None
    from qa.conversation.llm_condense import condense_with_llm
    from qa.llm.backends import LLMUnavailable, chat_model
    from qa.llm.spec import parse_llm

    try:
        model = chat_model(parse_llm(settings.llm), settings.llm_max_tokens, settings.llm_timeout)
        return condense_with_llm(state["question"], state["history"], model, settings.prompts_dir)
    except (ValueError, LLMUnavailable):
        return None
    except Exception:  # a server that does not answer: the heuristic still works
        return None


def _retrieve(state: dict) -> dict:
    began = time.perf_counter()
    settings, index = state["settings"], state["index"]
    state["notice"] = screen(state["normalised"])
    state["follow_up"], state["searched_with"], state["discussed"] = 0.0, [], {}
    if state["notice"]:
        state["candidates"] = []
    else:
        embedder = get_query_embedder()
        dense = DenseRetriever(index=index, embedder=embedder, k=settings.dense_k)
        keyword = KeywordRetriever(index=index, k=settings.keyword_k)
        conversation = state["conversation"]
        if conversation.empty or settings.conversation_weight == 0:
            hybrid = HybridRetriever(index=index, dense=dense, keyword=keyword, k=settings.rerank_depth, rrf_k=settings.rrf_k)
            state["candidates"] = [index.chunks[doc.metadata["position"]] for doc in hybrid.invoke(state["standalone"])]
        else:
            weights = [settings.conversation_weight * settings.conversation_decay**age for age in range(len(conversation.exchanges))]
            lean = get_follow_up_model().probability if settings.follow_up_model else None
            found = conversation_candidates(
                index, embedder, state["standalone"], conversation, weights,
                settings.dense_k, settings.keyword_k, settings.rrf_k, settings.rerank_depth, lean,
                get_discussed_model() if settings.discussed_weight or settings.discussed_chunks else None,
                settings.discussed_chunks,
            )
            state["candidates"] = [index.chunks[position] for position in found.positions]
            state["follow_up"], state["discussed"] = found.lean, found.discussed
            if state["follow_up"] >= FOLLOWS_ON:
                state["searched_with"] = conversation.exchanges
    state["timings"]["retrieve_ms"] = elapsed_ms(began)
    return state


def _rerank(state: dict) -> dict:
    began = time.perf_counter()
    state["scored_question"] = state["standalone"]
    # A rewrite that put the new subject in the previous question ("What about cocaine?") or the
    # LLM's rewrite already says what to look for; the old exchange would pull back to the old subject.
    rewritten = state["condensed"] in ("swapped", "llm")
    settings = state["settings"]
    state["reader"] = QuestionReader(get_cross_encoder(settings.rerank_threads))
    if not rewritten and state["follow_up"] >= settings.rerank_context_lean:
        context = state["conversation"].exchanges[: settings.rerank_context_exchanges]
        if context:
            state["scored_question"] = question_with_context(
                state["normalised"], context, state["index"].bm25.has_form_of, settings.rerank_context_chars
            )
    state["sentences"], state["sentence_scores"], state["passages"] = rerank_passages(
        state["scored_question"],
        state["candidates"],
        state["index"],
        state["settings"].rerank_threads,
        state["settings"].rerank_full_depth,
        state["settings"].rerank_whole_chunks,
        words_from=state["standalone"],
        cross_encoder=state["reader"],
    )
    state["timings"]["rerank_ms"] = elapsed_ms(began)
    return state


def _answer(state: dict) -> Answer:
    """The answer (`qa.compose.answers`); then, in the background, the vector of this exchange's opening,
    which the conversation's next question searches with (`qa.search.retrieve`): the user reads the
    answer meanwhile, and the follow-up does not wait for it."""
    answer = compose.answer(state)
    if state["settings"].conversation_weight and not state.get("notice") and state.get("index") is not None:
        turns = clean_history(list(state.get("history") or []) + answer.history_turns())  # as the next question reads them
        newest = Conversation.of(turns, state["index"], 1).exchanges
        if newest:
            threading.Thread(target=get_query_embedder().remember, args=([exchange_opening(newest[0])],),
                             name="embed-exchange").start()  # not a daemon: a process that ends at once waits the ~10 ms
    return answer


class QAChain(Runnable[Any, Answer]):
    """Input: a question string, or {"question", "history", "settings": {overrides}}. Output: `Answer`."""

    def __init__(self) -> None:
        self._prefix = (
            RunnableLambda(_prepare, name="prepare")
            | RunnableLambda(_load, name="load")
            | RunnableLambda(_condense, name="condense")
            | RunnableLambda(_retrieve, name="retrieve")
            | RunnableLambda(_rerank, name="rerank")
            | RunnableLambda(judge, name="judge")
        )
        self._pipeline = (self._prefix | RunnableLambda(_answer, name="answer")).with_config(run_name="quoteqa")

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        try:
            return self._pipeline.invoke(as_state(input), config)
        except IndexChanged:  # an ingest finished while answering: once more, on the new snapshot
            return self._pipeline.invoke(as_state(input), config)

    def stream(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Iterator[Answer]:
        """Growing answers: each adds one sentence (an LLM's as soon as it passes the support
        check); the last is the whole `Answer`."""
        def decided() -> tuple[dict, Answer | None]:
            state = self._prefix.invoke(as_state(input), config)
            with_llm = state["settings"].llm.strip().lower() not in ("", "none")
            return state, None if with_llm else _answer(state)

        try:
            state, answer = decided()
        except IndexChanged:  # an ingest finished while answering: once more, on the new snapshot
            state, answer = decided()
        if answer is None:  # the LLM's sentences stream as they pass the support check
            yield from compose.answers(state)
            return
        if answer.refused:
            yield answer
            return
        shown = []
        for index, citation in enumerate(answer.citations):
            shown.append(f"{citation.quote} [{citation.n}]")
            partial = index < len(answer.citations) - 1
            yield answer if not partial else Answer(
                question=answer.question,
                standalone_question=answer.standalone_question,
                answer=" ".join(shown),
                refused=False,
                citations=answer.citations[: index + 1],
                timings=answer.timings,
                notices=answer.notices,
                searched_with=answer.searched_with,
            )


chain = QAChain()


def ask(question: str, history: list[dict] | None = None, **overrides: Any) -> Answer:
    """Answer `question` from the documents; `history` is a list of {"role", "content"} turns.

    Keyword arguments override `Settings` fields for this call (e.g. `index=".index"`,
    `max_quotes=2`). Raises ValueError for an empty or over-long question, and
    `ingest.store.IndexMissing` / `IndexMismatch` when the index must be (re)built.
    """
    return chain.invoke({"question": question, "history": history, "settings": overrides})


def trace(question: str, history: list[dict] | None = None, **overrides: Any) -> tuple[dict, Answer | None]:
    """For benchmarks and fitting: the chain's state after the answerability decision, and the
    extractive answer it would give were it to answer (None after a policy notice)."""
    state = chain._prefix.invoke({"question": question, "history": history, "settings": overrides})
    if state["notice"]:
        return state, None
    base = Answer(
        question=state["question"], standalone_question=state["standalone"], answer=REFUSAL, refused=True,
        searched_with=list(state["searched_with"]),
    )
    return state, compose.extractive(state, base)
