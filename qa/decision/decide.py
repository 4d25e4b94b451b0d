"""The answerability decision and, when it refuses, the closest passages to show apart.

What it does: `judge(scored, settings, index)` (the chain's step after rerank) computes the
`qa.decision.answer_signals` of the reranked sentences, the fitted model's probability that they answer
(`qa.decision.answerability`), and applies the focus-term veto (`qa.decision.focus`), into a
`Decision`, with, for a first question, the question-support gate (`qa.decision.question_support`);
`related(scored, settings, index)` picks the closest sentences listed under a refusal,
never as citations.
What it does not: retrieve, rerank or build the answer (see `qa.answering`).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np

from qa.decision.answer_head import get_answer_head
from qa.decision.answer_signals import answer_signals
from qa.decision.answerability import get_model
from qa.decision.focus import focus_gain_signal
from qa.decision.question_support import gate_below, question_support
from qa.search.rerank import get_cross_encoder
from qa.search.scoring import Scored
from qa.settings import Settings
from qa.text.bm25 import tokenize
from qa.text.sentences import build_citations, scoring_text


@dataclass(frozen=True)
class Decision:
    """Whether the documents answer: the stage's record, read by the answer step."""

    answerable: bool
    probability: float = 0.0  # the fitted model's probability that the best sentences answer
    signals: dict[str, float] | None = None  # what it weighed (`qa.decision.answer_signals`)
    uncovered: list[str] = field(default_factory=list)  # the question's words the focus-term veto found ignored
    notice: str | None = None  # the policy declined the question (`qa.decision.policy`): shown instead


def declined(notice: str) -> Decision:
    """The decision for a question the policy declines before searching."""
    return Decision(answerable=False, notice=notice)


def judge(scored: Scored, settings: Settings, index, first_turn: bool = True, asked: str | None = None) -> Decision:
    """The answerability decision (`qa.decision.answerability`) on the signals of the reranked sentences,
    then, for a first question (`first_turn`: no conversation before it), the question-support gate
    (`qa.decision.question_support`), then the focus-term veto (`qa.decision.focus`), which looks
    for ignored words among those of `asked` (the question as asked; default: the scored one)."""
    cross_encoder = scored.reader or get_cross_encoder(settings.rerank_threads)
    threshold = settings.answerability_threshold
    # With the decision off (fitting, ablations) no fitted weights are needed: the answer head is skipped.
    head = get_answer_head() if threshold != 0 else None
    read_best = _head_beside_the_rest(head, cross_encoder, scored) if head else None
    signals = answer_signals(
        scored.question,
        scored.sentences,
        scored.scores,
        scored.passages,
        index,
        rescore=lambda questions, text: cross_encoder.score_pairs([(q, text) for q in questions]),
        scoring_text=scoring_text,
        read_best=read_best,
    )
    if not tokenize(scored.question):  # no word to look for ("💊💊💊", "?!"): nothing is asked
        return Decision(answerable=False, probability=0.0, signals=signals)
    if threshold == 0:  # never refuse for this reason (fitting and ablations need no model)
        return Decision(answerable=True, probability=1.0, signals=signals)
    model = get_model()
    probability = model.probability(signals)
    if threshold is None:
        threshold = model.threshold_for(scored.with_conversation)
    if probability < threshold:
        return Decision(answerable=False, probability=probability, signals=signals)
    if first_turn and settings.question_support_gate and len(scored.scores):
        best = scoring_text(scored.sentences[int(np.argmax(scored.scores))])
        signals["question_support"] = question_support(scored.question, best, cross_encoder)
        if signals["question_support"] < gate_below():
            return Decision(answerable=False, probability=probability, signals=signals)
    # The focus-term veto (qa.decision.focus).
    gains = focus_gain_signal(_without_conversation(scored, cross_encoder), settings, index, asked)
    uncovered = [word for word, gain in gains.items() if gain >= settings.focus_term_margin]
    return Decision(answerable=not uncovered, probability=probability, signals=signals, uncovered=uncovered)


_HEAD_THREAD = ThreadPoolExecutor(1, thread_name_prefix="answer-head")


def _head_beside_the_rest(head, cross_encoder, scored: Scored):
    """`read_best` for `answer_signals`: the answer head's logit for the best sentence, started
    now so it runs while the cross-encoder rescores the reworded questions (the two share the
    cores better than they take turns: the head's layers and a few single pairs each leave a
    core idle)."""
    scores = scored.scores
    if not len(scores):
        return lambda question, text: head.score(cross_encoder.read_pairs([(question, text)])[1][0])
    # The best sentence as answer_signals finds it (the first of the highest scores).
    pair = (scored.question, scoring_text(scored.sentences[int(np.argmax(scores))]))
    started = _HEAD_THREAD.submit(lambda: head.score(cross_encoder.read_pairs([pair])[1][0]))

    def read_best(question: str, text: str) -> float:
        return started.result() if (question, text) == pair else head.score(cross_encoder.read_pairs([(question, text)])[1][0])

    return read_best


def _without_conversation(scored: Scored, cross_encoder) -> Scored:
    """The sentences as the focus-term veto reads them: scored against the question without the
    earlier exchange a follow-up was scored with (the veto asks whether the passages ignore a word
    of *this* question; with the exchange's words beside it, dropping any word moves the score).
    The best sentence keeps its rank; its score is the condensed question's."""
    if not scored.with_conversation or not len(scored.scores):
        return scored
    scores = scored.scores
    best = int(np.argmax(scores))
    score = float(cross_encoder.score_pairs([(scored.own_question, scoring_text(scored.sentences[best]))])[0])
    shifted = np.asarray(scores, dtype=float) - float(scores[best]) + score
    return replace(scored, question=scored.own_question, scores=shifted)


def related(scored: Scored, settings: Settings, index) -> list:
    """The closest sentences when the documents do not answer: shown apart, never as citations."""
    ranked = sorted(zip(scored.sentences, scored.scores), key=lambda pair: -float(pair[1]))
    chosen, seen = [], set()
    for candidate, score in ranked:
        if len(chosen) >= settings.related_passages or float(score) < settings.min_related_score:
            break
        if candidate.kind == "reference" or (candidate.chunk.source, candidate.start) in seen:
            continue
        seen.add((candidate.chunk.source, candidate.start))
        chosen.append((candidate, float(score)))
    return build_citations(chosen, index.document)[1] if chosen else []
