"""Agreement of a support judge with human labels: small pure functions.

What it does: `balanced_accuracy`, `precision_recall` (on the "supported" class), `auroc` (the
probability that a random supported case scores above a random unsupported one, ties counting
half) and `best_threshold` (the threshold of a score that maximises balanced accuracy: how the
word-overlap baseline is given its best chance).
What it does not: run any judge or load any data.
"""

from __future__ import annotations

from collections.abc import Sequence


def balanced_accuracy(predicted: Sequence[bool], gold: Sequence[bool]) -> float:
    """Mean of the recall on supported and the recall on unsupported cases (NaN when a class is
    absent)."""
    pos = [p for p, g in zip(predicted, gold) if g]
    neg = [p for p, g in zip(predicted, gold) if not g]
    if not pos or not neg:
        return float("nan")
    return (sum(pos) / len(pos) + sum(not p for p in neg) / len(neg)) / 2


def precision_recall(predicted: Sequence[bool], gold: Sequence[bool]) -> tuple[float, float]:
    """(precision, recall) of the "supported" verdicts; precision is NaN with no such verdict."""
    true_pos = sum(p and g for p, g in zip(predicted, gold))
    said = sum(bool(p) for p in predicted)
    real = sum(bool(g) for g in gold)
    return (true_pos / said if said else float("nan"), true_pos / real if real else float("nan"))


def auroc(scores: Sequence[float], gold: Sequence[bool]) -> float:
    """Area under the ROC curve of `scores` for the supported class (rank form, ties as half)."""
    pairs = sorted(zip(scores, gold), key=lambda pair: pair[0])
    n_pos = sum(1 for _, g in pairs if g)
    n_neg = len(pairs) - n_pos
    if not n_pos or not n_neg:
        return float("nan")
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        average_rank = (i + 1 + j) / 2  # ranks i+1 .. j share their mean
        rank_sum += average_rank * sum(1 for _, g in pairs[i:j] if g)
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def best_threshold(scores: Sequence[float], gold: Sequence[bool]) -> tuple[float, float]:
    """(threshold, balanced accuracy): the cut `score >= threshold` with the best balanced
    accuracy over every distinct score (the lowest such threshold on a tie)."""
    best = (float("inf"), float("-inf"))
    for threshold in sorted(set(scores)):
        accuracy = balanced_accuracy([s >= threshold for s in scores], gold)
        if accuracy > best[1]:
            best = (threshold, accuracy)
    return best
