"""The chain's last step: the answer for a decided state - the refusal, the extractive quotes, or the LLM's sentences.

What it does: `answers(...)` yields growing `Answer`s for a question the chain has condensed,
retrieved, reranked and judged (`qa.answering`), from each stage's record (`Reading`,
`Retrieved`, `Scored`, `Decision`): a policy notice, the refusal with the closest
passages apart (`Answer.related`) and, when the focus-term veto decided, the question's words no
document uses (`Answer.unmentioned`) when the documents do not answer, else the extractive answer
(`extractive`: the best sentences of the best passages, quoted verbatim with citations; a
follow-up scored with its conversation chooses them with its own words too, `qa.search.scoring.with_own_words`) or, with
an LLM configured, its sentences as each passes the support check (`qa.compose.llm_answer`). `answer(...)`
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
from qa.conversation.reading import Reading
from qa.decision.decide import Decision, related
from qa.search.retrieve import Retrieved
from qa.search.scoring import Scored, with_own_words
from qa.settings import Settings
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


def answers(
    reading: Reading, retrieved: Retrieved, scored: Scored, decision: Decision, settings: Settings, index,
    timings: dict[str, float], started: float,
) -> Iterator[Answer]:
    """Growing answers after the answerability decision: the extractive answer or the LLM's; the
    last one yielded is complete, with `timings` (the chain's, to which `answer_ms` and `total_ms`
    since `started` are added)."""
    began = time.perf_counter()
    answer = Answer(
        question=reading.asked, standalone_question=reading.standalone, answer=REFUSAL, refused=True,
        searched_with=list(retrieved.searched_with),
    )
    final = answer
    if decision.notice:
        answer.notices.append(decision.notice)
    elif not decision.answerable:
        answer.related = related(scored, settings, index)
        answer.unmentioned = list(decision.uncovered)
    else:
        if settings.llm.strip().lower() in ("", "none"):
            final = extractive(reading, retrieved, scored, settings, index, answer)
        else:
            from qa.compose.llm_answer import generative_answers
            from qa.eval.support import default_scorer

            passages = [chunk for chunk, _ in scored.passages[: settings.answer_passages]]
            fallback = lambda: extractive(reading, retrieved, scored, settings, index, answer)  # noqa: E731
            for final in generative_answers(answer, reading.standalone, passages, settings, default_scorer(), fallback):
                if final is not answer:
                    final.timings = dict(timings, answer_ms=elapsed_ms(began))
                    yield final
    timings["answer_ms"] = elapsed_ms(began)
    timings["total_ms"] = elapsed_ms(started)
    final.timings = timings
    yield final


def answer(
    reading: Reading, retrieved: Retrieved, scored: Scored, decision: Decision, settings: Settings, index,
    timings: dict[str, float], started: float,
) -> Answer:
    """The complete answer: the last of `answers`."""
    final = None
    for final in answers(reading, retrieved, scored, decision, settings, index, timings, started):
        pass
    return final


def extractive(reading: Reading, retrieved: Retrieved, scored: Scored, settings: Settings, index, base: Answer) -> Answer:
    """The extractive answer: the best sentences of the best passages, quoted (a refusal when none)."""
    passages = scored.passages
    # Quotable: the best passages, and those holding the best sentences (the same ones unless
    # passages are ranked by their whole text).
    by_sentence = passage_scores(retrieved.candidates, scored.sentences, scored.scores)
    allowed = {chunk.id for chunk, _ in passages[: settings.answer_passages] + by_sentence[: settings.answer_passages]}
    with_conversation = scored.with_conversation
    scores = scored.scores
    if with_conversation and settings.own_words_rescore:
        scores = with_own_words(
            scored.sentences, scores, allowed, reading.normalised, settings.own_words_rescore, settings.own_words_weight,
            settings.rerank_threads,
        )
    if with_conversation and settings.discussed_weight and retrieved.discussed:
        scores = toward_discussed(scored.sentences, scores, retrieved.discussed, settings.discussed_weight)
    quotes = select_quotes(scored.sentences, scores, allowed, settings, first_question=reading.conversation.empty)
    quotes = reading_order(complete(quotes, reading.standalone, index))
    answer = replace(base, notices=list(base.notices))
    if quotes:
        answer.answer, answer.citations = build_citations(quotes, index.document)
        answer.refused = False
    return answer
