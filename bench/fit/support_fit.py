"""Fit the support judge: logistic regression in numpy, threshold chosen by cross-validation.

What it does:
- `fit_model(rows)`: the `qa.eval.judge.SupportModel` fitted on rows of the fitting part. Each
  source (`begin-dev`, `wice-dev`, `project`) weighs the same in total, and within a source both
  classes weigh the same (balanced accuracy is the target). The L2 strength and the probability
  threshold are chosen by 5-fold cross-validation on the fitting rows (folds by a hash of the
  id, so fixed): the pair with the best mean balanced accuracy over the dev sources of the
  out-of-fold verdicts (vetoed rows count as "unsupported", as in the support check).
- `operating_points(rows, probabilities, thresholds)`: balanced accuracy, precision and recall on
  "supported" per dev source at each threshold - what a stricter or looser threshold would give.
What it does not: see the kept-out rows (the caller passes fitting rows only) or load data.
"""

from __future__ import annotations

import hashlib
from collections import Counter

import numpy as np

from bench.fit.logistic import fit_logistic
from qa.eval.agreement import balanced_accuracy, precision_recall
from qa.eval.judge import FEATURES, SupportModel

L2_GRID = (0.01, 0.1, 1.0, 10.0)
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))  # 0.05 ... 0.95
FOLDS = 5
DEV_SOURCES = ("begin-dev", "wice-dev")


def matrix(rows) -> np.ndarray:
    return np.array([[row.values[name] for name in FEATURES] for row in rows], dtype=float)


def weights(rows) -> np.ndarray:
    """Each source weighs 1 in total, half for each of its classes."""
    counts = Counter((row.source, row.supported) for row in rows)
    return np.array([0.5 / counts[(row.source, row.supported)] for row in rows])


def _fit(rows, l2: float, threshold: float = 0.5) -> SupportModel:
    X = matrix(rows)
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    y = np.array([row.supported for row in rows], dtype=float)
    coef, bias = fit_logistic((X - mean) / scale, y, l2, weights=weights(rows))
    return SupportModel(tuple(mean.tolist()), tuple(scale.tolist()), tuple(coef.tolist()), bias, threshold)


def fold(case_id: str) -> int:
    return int(hashlib.sha256(("fold:" + case_id).encode()).hexdigest()[:8], 16) % FOLDS


def out_of_fold(rows, l2: float) -> list[float]:
    """Each row's probability from the model fitted on the other folds (NaN for vetoed rows)."""
    probabilities = [float("nan")] * len(rows)
    for k in range(FOLDS):
        train = [row for row in rows if row.values is not None and fold(row.id) != k]
        model = _fit(train, l2)
        for i, row in enumerate(rows):
            if fold(row.id) == k and row.values is not None:
                probabilities[i] = model.probability(row.values)
    return probabilities


def verdicts(rows, probabilities, threshold: float) -> list[bool]:
    return [row.values is not None and p >= threshold for row, p in zip(rows, probabilities)]


def cv_score(rows, probabilities, threshold: float) -> float:
    """Mean balanced accuracy over the dev sources of the out-of-fold verdicts."""
    scores = []
    for source in DEV_SOURCES:
        index = [i for i, row in enumerate(rows) if row.source == source]
        if index:
            chosen = verdicts([rows[i] for i in index], [probabilities[i] for i in index], threshold)
            scores.append(balanced_accuracy(chosen, [rows[i].supported for i in index]))
    return float(np.mean(scores))


def fit_model(rows) -> tuple[SupportModel, dict]:
    """The model fitted on all `rows` (the fitting part) with the cross-validated L2 strength and
    threshold, and a record of the choice."""
    best = (-1.0, None, None)
    by_l2 = {}
    for l2 in L2_GRID:
        by_l2[l2] = probabilities = out_of_fold(rows, l2)
        for threshold in THRESHOLDS:
            score = cv_score(rows, probabilities, threshold)
            if score > best[0] + 1e-12:
                best = (score, l2, threshold)
    score, l2, threshold = best
    model = _fit([row for row in rows if row.values is not None], l2, threshold)
    choice = {"l2": l2, "threshold": threshold, "cv_balanced_accuracy": round(score, 4), "folds": FOLDS}
    return model, {**choice, "out_of_fold": by_l2[l2]}


def operating_points(rows, probabilities, thresholds=THRESHOLDS) -> dict[str, list[tuple[float, float, float, float]]]:
    """Per dev source, `(threshold, balanced accuracy, precision, recall)` of the verdicts at each
    threshold (vetoed rows are "unsupported")."""
    points = {}
    for source in DEV_SOURCES:
        index = [i for i, row in enumerate(rows) if row.source == source]
        gold = [rows[i].supported for i in index]
        for threshold in thresholds:
            said = verdicts([rows[i] for i in index], [probabilities[i] for i in index], threshold)
            precision, recall = precision_recall(said, gold)
            points.setdefault(source, []).append((threshold, balanced_accuracy(said, gold), precision, recall))
    return points
