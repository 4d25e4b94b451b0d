"""Turn a checked generation into `Answer`s for the chain, falling back to the extractive answer.

What it does: `generative_answers(...)` runs the back end named by `Settings.llm` over the best
passages (`qa.compose.generative.generate_checked`) and yields a growing `Answer` each time a sentence
passes the support check: the sentence as the model wrote it, its `[n]` renumbered to the answer's
citations (one number per quoted span, `QuoteNumbers`), each citation quoting the cited passage's
best-supporting sentence verbatim. Dropped sentences are listed in `Answer.dropped` with the
reason. The extractive answer is used instead, with a notice, when the back end is unavailable or
fails, or when no sentence survives; the model's refusal sentence gives a refusal.
What it does not: decide whether to answer at all (the answerability decision has, before this runs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from qa.answer import REFUSAL, Answer, Citation, QuoteNumbers
from qa.compose.generative import CheckedSentence, Generation, generate_checked
from qa.llm.backends import LLMUnavailable, chat_model, describe_failure
from qa.llm.spec import parse_llm

NOTHING_SURVIVED = "None of the LLM's sentences passed the support check; the answer quotes the documents instead."


def fallback_notice(reason: str) -> str:
    return f"LLM unavailable: {reason}. The answer quotes the documents instead."


def generative_answers(
    base: Answer, question: str, passages: list, settings, scorer, extractive: Callable[[], Answer], document=None
) -> Iterator[Answer]:
    """Growing answers from the LLM back end of `settings`; the last one is complete.

    `base` carries the question fields; `passages` are the best passages, in the order the prompt
    numbers them; `scorer(pairs)` is the support check's cross-encoder; `extractive()` builds the
    fallback answer; `document(source)` gives a stored document (for bibliography entries)."""
    try:
        spec = parse_llm(settings.llm)
        model = chat_model(spec, settings.llm_max_tokens, settings.llm_timeout)
    except (ValueError, LLMUnavailable) as error:
        yield _with_notice(extractive(), fallback_notice(str(error)))
        return
    shown: list[CheckedSentence] = []
    generation = Generation()
    try:
        for event in generate_checked(model, question, passages, scorer, settings.prompts_dir):
            if isinstance(event, Generation):
                generation = event
            elif event.kept:
                shown.append(event)
                yield _compose(base, shown, [], partial=True)
    except Exception as error:  # a server that does not answer, a model that crashes
        yield _with_notice(extractive(), fallback_notice(describe_failure(spec, error)))
        return
    if shown:
        yield _compose(base, shown, generation.dropped)
    elif generation.refused:
        yield replace(base, answer=REFUSAL, refused=True, citations=[], dropped=generation.dropped)
    else:
        answer = _with_notice(extractive(), NOTHING_SURVIVED)
        answer.dropped = generation.dropped
        yield answer


def _compose(base: Answer, shown: list[CheckedSentence], dropped: list[dict], partial: bool = False) -> Answer:
    number = QuoteNumbers()  # as the extractive answer numbers its quotes
    citations, parts = [], []
    for sentence in shown:
        passage, start, end, quote = sentence.quote
        n = number(passage.source, start, end)
        parts.append(f"{sentence.claim} [{n}]")
        citations.append(
            Citation(
                n=n, source=passage.source, title=passage.title, quote=quote, start=start, end=end,
                score=sentence.score, passage_start=passage.start, passage_end=passage.end, page=passage.page,
            )
        )
    return replace(base, answer=" ".join(parts), refused=False, citations=citations, dropped=list(dropped))


def _with_notice(answer: Answer, notice: str) -> Answer:
    answer.notices.append(notice)
    return answer
