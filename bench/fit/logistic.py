"""The logistic regression every fitting script of `bench/` uses, in numpy.

What it does: `fit_logistic` fits a weighted, L2-penalised logistic regression by Newton's method
(deterministic: no random start, no sampling), the bias unpenalised; `standardise` gives the
mean and scale a feature matrix is standardised with before fitting (a constant column keeps
scale 1).
What it does not: choose the penalty or a threshold, or load data (each fitting script does).
"""

from __future__ import annotations

import numpy as np


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float, weights: np.ndarray | None = None, steps: int = 50
) -> tuple[np.ndarray, float]:
    """(weights, bias) minimising the weighted log loss + l2/2 |weights|^2."""
    n, d = x.shape
    weights = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    design = np.hstack([x, np.ones((n, 1))])
    theta = np.zeros(d + 1)
    penalty = np.full(d + 1, float(l2))
    penalty[-1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ theta, -50, 50)))
        gradient = design.T @ (weights * (p - y)) + penalty * theta
        # A tiny ridge keeps the Hessian invertible when a class is separable and l2 is 0.
        hessian = (design * (weights * p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-10:
            break
    return theta[:-1], float(theta[-1])


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean, scale) of each column; a constant column's scale is 1."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    return mean, np.where(scale > 0, scale, 1.0)
