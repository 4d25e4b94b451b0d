"""The answering chain: load → condense → retrieve → rerank → answerability decision → answer, as a LangChain Runnable.

During a conversation, retrieve searches with the recent exchanges too (`qa.search.retrieve.
conversation_candidates`, weighed by `qa.conversation.follow_up`), and a leaning follow-up's sentences are
scored against the question with the latest exchange's opening (`qa.conversation.history`) and its quotes
kept to the document the conversation is about (`qa.conversation.discussed`, in `qa.compose.answers`).
A leaning follow-up refused with its conversation that stands alone (`qa.conversation.follow_up.stands_alone`)
is asked once more as a first question, and answered so when the documents answer it alone.

What it does: `QAChain` (the object `qa.chain`) runs the steps as an LCEL sequence over a `Turn`
(the call, then each stage's typed record: `Reading`, `Retrieved`, `Scored`, `Decision`) and
returns an `Answer`; `stream` yields growing `Answer`s, one more sentence each time, the
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
from qa.answer import REFUSAL, Answer
from qa.compose import answers as compose
from qa.conversation.condense import condense_how
from qa.conversation.discussed import get_discussed_model
from qa.conversation.follow_up import get_follow_up_model, stands_alone
from qa.conversation.history import Conversation, clean_history, question_with_context
from qa.conversation.llm_condense import llm_standalone
from qa.conversation.reading import Reading
from qa.decision.answer_head import get_answer_head
from qa.decision.answerability import get_model
from qa.decision.decide import declined, judge
from qa.decision.policy import screen
from qa.request import Call, Turn, clean_question, read_call, settings_for, timed, use_threads  # noqa: F401 - clean_question is part of this module's face
from qa.search.index import IndexChanged, get_index
from qa.search.rerank import QuestionReader, get_cross_encoder
from qa.search.retrieve import (
    DenseRetriever,
    HybridRetriever,
    KeywordRetriever,
    Retrieved,
    conversation_candidates,
    exchange_opening,
)
from qa.search.scoring import Scored, rerank_passages
from qa.text.wording import normalise, vocabulary_of

FOLLOWS_ON = 0.5  # a question this likely to lean on the conversation shows what it was searched with


def _prepare(call: Call) -> Turn:
    settings = settings_for(call.overrides)
    use_threads(settings.threads)
    return Turn(
        question=clean_question(call.question, settings.max_question_chars),
        history=clean_history(call.history),
        settings=settings,
        started=time.perf_counter(),
    )


@timed("load")
def _load(turn: Turn) -> Turn:
    """Open the index and load the models a question needs, once per process (a process's first
    question pays for it here, not in the steps that follow)."""
    settings = turn.settings
    turn.index = get_index(settings)
    get_query_embedder()
    get_cross_encoder(settings.rerank_threads)
    if settings.answerability_threshold != 0:
        get_answer_head()
        get_model()
    return turn


@timed("condense")
def _condense(turn: Turn) -> Turn:
    index, settings = turn.index, turn.settings
    conversation = Conversation.of(turn.history, index, settings.conversation_exchanges)
    # What is searched and decided on: the same for "...alchohol trial" and "...alcohol trial?" (qa.text.wording).
    normalised = normalise(turn.question, vocabulary_of(index)) if settings.normalise_wording else turn.question
    rewritten = llm_standalone(turn.question, turn.history, settings)
    standalone, condensed = (rewritten, "llm") if rewritten else condense_how(
        normalised, turn.history, get_query_embedder().encode, index.bm25.document_frequency, index
    )
    turn.reading = Reading(turn.question, normalised, standalone, condensed, conversation)
    return turn


@timed("retrieve")
def _retrieve(turn: Turn) -> Turn:
    settings, index, reading = turn.settings, turn.index, turn.reading
    turn.notice = screen(reading.normalised)
    if turn.notice:
        turn.retrieved = Retrieved(candidates=[])
        return turn
    embedder = get_query_embedder()
    dense = DenseRetriever(index=index, embedder=embedder, k=settings.dense_k)
    keyword = KeywordRetriever(index=index, k=settings.keyword_k)
    conversation = reading.conversation
    if conversation.empty or settings.conversation_weight == 0:
        hybrid = HybridRetriever(index=index, dense=dense, keyword=keyword, k=settings.rerank_depth, rrf_k=settings.rrf_k)
        turn.retrieved = Retrieved([index.chunks[doc.metadata["position"]] for doc in hybrid.invoke(reading.standalone)])
        return turn
    weights = [settings.conversation_weight * settings.conversation_decay**age for age in range(len(conversation.exchanges))]
    lean = get_follow_up_model().probability if settings.follow_up_model else None
    found = conversation_candidates(
        index, embedder, reading.standalone, conversation, weights,
        settings.dense_k, settings.keyword_k, settings.rrf_k, settings.rerank_depth, lean,
        get_discussed_model() if settings.discussed_weight or settings.discussed_chunks else None,
        settings.discussed_chunks, settings.own_chunks,
    )
    turn.retrieved = Retrieved(
        candidates=[index.chunks[position] for position in found.positions],
        follow_up=found.lean,
        searched_with=conversation.exchanges if found.lean >= FOLLOWS_ON else [],
        discussed=found.discussed,
    )
    return turn


@timed("rerank")
def _rerank(turn: Turn) -> Turn:
    settings, reading = turn.settings, turn.reading
    scored_question = reading.standalone
    # A rewrite that put the new subject in the previous question ("What about cocaine?") or the
    # LLM's rewrite already says what to look for; the old exchange would pull back to the old subject.
    rewritten = reading.condensed in ("swapped", "llm")
    reader = QuestionReader(get_cross_encoder(settings.rerank_threads))
    if not rewritten and turn.retrieved.follow_up >= settings.rerank_context_lean:
        context = reading.conversation.exchanges[: settings.rerank_context_exchanges]
        if context:
            scored_question = question_with_context(
                reading.normalised, context, reading.conversation.unbacked, turn.index.bm25.has_form_of,
                settings.rerank_context_chars,
            )
    sentences, scores, passages = rerank_passages(
        scored_question,
        turn.retrieved.candidates,
        turn.index,
        settings.rerank_threads,
        settings.rerank_full_depth,
        settings.rerank_whole_chunks,
        words_from=reading.standalone,
        cross_encoder=reader,
    )
    turn.scored = Scored(scored_question, reading.standalone, sentences, scores, passages, reader)
    return turn


@timed("judge")
def _judge(turn: Turn) -> Turn:
    turn.decision = declined(turn.notice) if turn.notice else judge(
        turn.scored, turn.settings, turn.index, first_turn=not turn.history, asked=turn.reading.normalised
    )
    refused_follow_up = bool(turn.history) and not turn.notice and not turn.decision.answerable
    if refused_follow_up and turn.settings.alone_retry and turn.retrieved.follow_up >= FOLLOWS_ON:
        if stands_alone(turn.reading.normalised):
            _answer_alone(turn)
    return turn


def _answer_alone(turn: Turn) -> None:
    """A follow-up that leaned on the conversation and was refused, although it stands alone (no word
    pointing back, words of its own: `stands_alone`), asked once more as a first question: searched,
    scored and judged with no conversation (the first question's decision, gate included). Over a
    corpus on one topic every question resembles the exchange before it, and a question on a new point
    ("What were the odds of relapse in the ketamine group?" after a question on alcohol) was scored
    with that exchange beside it and refused. When the documents answer it alone, that answer stands
    (searched with nothing of the conversation); otherwise the turn keeps its first refusal."""
    alone = Turn(question=turn.reading.standalone, history=[], settings=turn.settings, started=turn.started)
    alone.index = turn.index
    alone = _rerank(_retrieve(_condense(alone)))
    if alone.notice:
        return
    alone.decision = judge(alone.scored, alone.settings, alone.index, first_turn=True, asked=alone.reading.normalised)
    turn.timings["alone_ms"] = sum(alone.timings.values())
    if alone.decision.answerable:
        turn.reading = Reading(
            turn.reading.asked, alone.reading.normalised, alone.reading.standalone, turn.reading.condensed,
            alone.reading.conversation,
        )
        turn.retrieved, turn.scored, turn.decision = alone.retrieved, alone.scored, alone.decision


def _answers(turn: Turn) -> Iterator[Answer]:
    return compose.answers(
        turn.reading, turn.retrieved, turn.scored, turn.decision, turn.settings, turn.index, turn.timings, turn.started
    )


def _answer(turn: Turn) -> Answer:
    """The answer (`qa.compose.answers`); then, in the background, the vector of this exchange's opening,
    which the conversation's next question searches with (`qa.search.retrieve`): the user reads the
    answer meanwhile, and the follow-up does not wait for it."""
    answer = compose.answer(
        turn.reading, turn.retrieved, turn.scored, turn.decision, turn.settings, turn.index, turn.timings, turn.started
    )
    if turn.settings.conversation_weight and not turn.notice and turn.index is not None:
        turns = clean_history(list(turn.history or []) + answer.history_turns())  # as the next question reads them
        newest = Conversation.of(turns, turn.index, 1).exchanges
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
            | RunnableLambda(_judge, name="judge")
        )
        self._pipeline = (self._prefix | RunnableLambda(_answer, name="answer")).with_config(run_name="quoteqa")

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        try:
            return self._pipeline.invoke(read_call(input), config)
        except IndexChanged:  # an ingest finished while answering: once more, on the new snapshot
            return self._pipeline.invoke(read_call(input), config)

    def stream(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Iterator[Answer]:
        """Growing answers: each adds one sentence (an LLM's as soon as it passes the support
        check); the last is the whole `Answer`."""
        def decided() -> tuple[Turn, Answer | None]:
            turn = self._prefix.invoke(read_call(input), config)
            with_llm = turn.settings.llm.strip().lower() not in ("", "none")
            return turn, None if with_llm else _answer(turn)

        try:
            turn, answer = decided()
        except IndexChanged:  # an ingest finished while answering: once more, on the new snapshot
            turn, answer = decided()
        if answer is None:  # the LLM's sentences stream as they pass the support check
            yield from _answers(turn)
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


def trace(question: str, history: list[dict] | None = None, **overrides: Any) -> tuple[Turn, Answer | None]:
    """For benchmarks and fitting: the chain's `Turn` after the answerability decision, and the
    extractive answer it would give were it to answer (None after a policy notice)."""
    turn = chain._prefix.invoke(Call(question, history, overrides))
    if turn.notice:
        return turn, None
    base = Answer(
        question=turn.question, standalone_question=turn.reading.standalone, answer=REFUSAL, refused=True,
        searched_with=list(turn.retrieved.searched_with),
    )
    return turn, compose.extractive(turn.reading, turn.retrieved, turn.scored, turn.settings, turn.index, base)
