"""The chain's last step: the answer for a decided state - the refusal, the extractive quotes, or the LLM's sentences.

What it does: `answers(state)` yields growing `Answer`s for a state the chain has condensed,
retrieved, reranked and judged (`qa.answering`): a policy notice, the refusal with the closest
passages apart (`Answer.related`) when the documents do not answer, else the extractive answer
(`extractive`: the best sentences of the best passages, quoted verbatim with citations; a
follow-up scored with its conversation chooses them with its own words too, `qa.search.scoring.with_own_words`) or, with
an LLM configured, its sentences as each passes the support check (`qa.compose.llm_answer`). `answer(state)`
is the last, complete one, with the chain's timings.
What it does not: search, score or decide (the earlier steps), or render (see `app.py`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import replace

from qa.answer import REFUSAL, Answer, elapsed_ms
from qa.compose.extractive import complete, reading_order, select_quotes
from qa.decision.decide import related
from qa.search.scoring import with_own_words
from qa.text.sentences import build_citations, passage_scores

# A document outside the conversation's candidates counts as this likely (the odds are 1/1000 of
# the likeliest at most: a question's own words can still outweigh them).
UNDISCUSSED_PROBABILITY = 1e-3


def toward_discussed(sentences: list, scores, discussed: dict[str, float], weight: float) -> list[float]:
    """`scores` plus `weight` times the log of each sentence's document's probability over the
    likeliest document's (`qa.conversation.discussed`): the likeliest's sentences keep their score, others drop.
    On the first 300 coqa fit follow-ups it raised doc_hit 0.627 -> 0.660 (bench/NOTEBOOK.md,
    "Conversations: what was tried and measured")."""
    top = max(discussed.values())
    return [
        float(score) + weight * math.log(max(discussed.get(c.chunk.source, 0.0), UNDISCUSSED_PROBABILITY * top) / top)
        for c, score in zip(sentences, scores)
    ]


def answers(state: dict) -> Iterator[Answer]:
    """Growing answers for `state` (after rerank): the answerability decision, then the extractive answer or the LLM's;
    the last one yielded is complete, with its timings."""
    began = time.perf_counter()
    settings = state["settings"]
    answer = Answer(
        question=state["question"], standalone_question=state["standalone"], answer=REFUSAL, refused=True,
        searched_with=list(state["searched_with"]),
    )
    final = answer
    if state["notice"]:
        answer.notices.append(state["notice"])
    elif not state["answerable"]:
        answer.related = related(state)
    else:
        if settings.llm.strip().lower() in ("", "none"):
            final = extractive(state, answer)
        else:
            from qa.compose.llm_answer import generative_answers
            from qa.eval.support import default_scorer

            passages = [chunk for chunk, _ in state["passages"][: settings.answer_passages]]
            for final in generative_answers(
                answer, state["standalone"], passages, settings, default_scorer(), lambda: extractive(state, answer)
            ):
                if final is not answer:
                    final.timings = dict(state["timings"], answer_ms=elapsed_ms(began))
                    yield final
    state["timings"]["answer_ms"] = elapsed_ms(began)
    state["timings"]["total_ms"] = elapsed_ms(state["started"])
    final.timings = state["timings"]
    yield final


def answer(state: dict) -> Answer:
    """The complete answer for `state`: the last of `answers`."""
    final = None
    for final in answers(state):
        pass
    return final


def extractive(state: dict, base: Answer) -> Answer:
    """The extractive answer: the best sentences of the best passages, quoted (a refusal when none)."""
    settings, index, passages = state["settings"], state["index"], state["passages"]
    # Quotable: the best passages, and those holding the best sentences (the same ones unless
    # passages are ranked by their whole text).
    by_sentence = passage_scores(state["candidates"], state["sentences"], state["sentence_scores"])
    allowed = {chunk.id for chunk, _ in passages[: settings.answer_passages] + by_sentence[: settings.answer_passages]}
    # `min_quote_score` is a logit for the question alone. A follow-up scored with its conversation
    # (question + the latest exchange) scores lower: there the fitted decision alone says whether
    # the best sentence answers (the floor refused a third of coqa's answerable follow-ups, and cut
    # the second quote that held the answer), and only `quote_margin` bounds the rest.
    with_conversation = state["scored_question"] != state["standalone"]
    scores = state["sentence_scores"]
    if with_conversation and settings.own_words_rescore:
        scores = with_own_words(
            state["sentences"], scores, allowed, state["normalised"], settings.own_words_rescore, settings.rerank_threads
        )
    if with_conversation and settings.discussed_weight and state.get("discussed"):
        scores = toward_discussed(state["sentences"], scores, state["discussed"], settings.discussed_weight)
    quotes = select_quotes(state["sentences"], scores, allowed, settings, with_conversation=with_conversation)
    quotes = reading_order(complete(quotes, state["standalone"], index))
    answer = replace(base, notices=list(base.notices))
    if quotes:
        answer.answer, answer.citations = build_citations(quotes, index.document)
        answer.refused = False
    return answer
