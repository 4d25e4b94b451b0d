"""The answerability decision: do the best sentences answer the question? A model fit on external data.

What it does: `AnswerabilityModel` is a logistic regression over the signals of
`qa.decision.answer_signals` (standardised), loaded from `qa/models/answerability.json`, which
`bench/fit/answerability.py` writes from the external dev sets (never from the golden set; the
file records its provenance, the cases it was fit on and how its threshold was chosen).
`probability(signals)` is the estimated chance that the passages answer; `answers(signals,
threshold)` is the decision, at the file's threshold unless the caller gives one. A follow-up whose
sentences were scored with its conversation has a threshold of its own (`threshold_for`), chosen
the same way on follow-ups: its signals read differently (the question is short, the exchange
beside it is long), and one threshold for both refused 29% of answerable follow-ups against 10% of
answerable single questions.
What it does not: compute the signals (see `qa.decision.answer_signals`) or write the refusal (`qa.answer`).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "answerability.json"


class AnswerabilityModel:
    """Weights of a logistic regression over named, standardised signals, with its threshold."""

    def __init__(self, spec: dict):
        self.signals: list[str] = list(spec["signals"])
        self.mean = [float(v) for v in spec["mean"]]
        self.scale = [float(v) or 1.0 for v in spec["scale"]]
        self.weights = [float(v) for v in spec["weights"]]
        self.bias = float(spec["bias"])
        self.threshold = float(spec["threshold"])
        self.conversation_threshold = float(spec.get("conversation_threshold", spec["threshold"]))
        self.spec = spec
        if not (len(self.signals) == len(self.mean) == len(self.scale) == len(self.weights)):
            raise ValueError("answerability model: signals, mean, scale and weights differ in length")

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "AnswerabilityModel":
        try:
            spec = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(f"{path} is missing: fit it with `python -m bench.fit.answerability`") from None
        return cls(spec)

    def margin(self, signals: dict[str, float]) -> float:
        """The logit: positive leans to answerable."""
        total = self.bias
        for name, mean, scale, weight in zip(self.signals, self.mean, self.scale, self.weights):
            total += weight * (float(signals.get(name, 0.0)) - mean) / scale
        return total

    def probability(self, signals: dict[str, float]) -> float:
        margin = self.margin(signals)
        return 1.0 / (1.0 + math.exp(-margin)) if margin > -60 else 0.0

    def threshold_for(self, with_conversation: bool) -> float:
        """The threshold for a question scored alone, or with its conversation."""
        return self.conversation_threshold if with_conversation else self.threshold

    def answers(self, signals: dict[str, float], threshold: float | None = None) -> bool:
        return self.probability(signals) >= (self.threshold if threshold is None else threshold)


@lru_cache(maxsize=1)
def get_model() -> AnswerabilityModel:
    """The shipped model, loaded once per process."""
    return AnswerabilityModel.load()
