"""The question read as a claim: whether the best sentence backs what a first question takes as given.

What it does: `question_support(question, sentence)` is the support head's logit
(`qa.decision.support_head`: the reranker's top four layers fine-tuned on claims against their
evidence, where a swapped name, a turned direction or a changed quantity is unsupported) for the
question read as a claim against the best sentence. A question about something else than what the
sentence says ("Who won the 1998 World Cup?" against a sentence on ketamine infusions, or a squad2
question whose name or relation was altered) reads low; a question the sentence answers reads
about as high as a faithful claim. `gate_below()` is the logit under which the decision
(`qa.decision.decide`) refuses a first question the fitted model would answer: chosen by
`python -m bench.fit.question_support` on the dev sets' fit splits, so that on each of them it
refuses at most 1 in 100 of the answerable questions the model answers
(`qa/models/question_support.json`).
What it does not: read follow-ups. An elliptic follow-up ("Which reference is cited for that?")
states nothing a sentence could back, and reads low whether or not it is answerable (medians on the
fit splits, against the chain's best sentence: coqa's answerable follow-ups -2.54, 18% of them under
the gate; squad2's answerable first questions +0.55; MODELS.md, *Question-support gate*). Nor
decide alone (see `qa.decision.decide`) or check an answer's support (`qa.eval.support`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

GATE_PATH = Path(__file__).resolve().parents[1] / "models" / "question_support.json"


@lru_cache(maxsize=1)
def gate_below() -> float:
    """The support head's logit under which a first question is refused."""
    try:
        return float(json.loads(GATE_PATH.read_text(encoding="utf-8"))["below"])
    except FileNotFoundError:
        raise FileNotFoundError(f"{GATE_PATH} is missing: fit it with `python -m bench.fit.question_support`") from None


@lru_cache(maxsize=1)
def _reader():
    from qa.decision.support_head import ModelReader

    return ModelReader()


def question_support(question: str, sentence: str, reader=None) -> float:
    """The support head's logit for `question` read as a claim against `sentence` (higher: backed).
    `reader`: the chain's cross-encoder (`qa.search.rerank`), whose process-wide model keeps the
    hidden states the head reads, so a pair the reranker read costs only the head's layers; without
    it, or when it keeps none, the pair is read by the support check's reader
    (`qa.decision.support_head.ModelReader`)."""
    from qa.decision.support_head import HIDDEN_AFTER, get_support_head

    pair = (question, sentence)
    if reader is not None:
        try:
            states = reader.read_pairs([pair], after=HIDDEN_AFTER)[1][0]
        except (TypeError, ValueError):  # a reader that keeps no such layer (or a fake one)
            pass
        else:
            return float(get_support_head().score(states))
    return float(_reader().head(pair))
