"""`bench.fit.logistic`: the regression the fitting scripts share."""

from __future__ import annotations

import numpy as np

from bench.fit.logistic import fit_logistic, standardise


def test_logistic_regression_separates_a_separable_signal():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 2))
    y = (x[:, 0] > 0).astype(float)
    coef, bias = fit_logistic(x, y, l2=0.01, weights=np.full(200, 1 / 200))
    assert coef[0] > 5 * abs(coef[1]) and abs(bias) < 1.0
    assert ((x @ coef + bias > 0) == (y == 1)).mean() > 0.97


def test_a_stronger_penalty_shrinks_the_weights_but_not_the_bias():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 1))
    y = (x[:, 0] + rng.normal(scale=0.5, size=300) > -1.0).astype(float)  # mostly positive
    loose, _ = fit_logistic(x, y, l2=0.0)
    tight, bias = fit_logistic(x, y, l2=1000.0)
    assert abs(tight[0]) < abs(loose[0]) / 3
    assert bias > 1.0  # the base rate stays in the unpenalised bias


def test_weights_count_a_row_as_that_many_copies():
    x = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0.0, 0.0, 1.0, 1.0])
    copies = np.vstack([x, x[2:3]]), np.concatenate([y, y[2:3]])
    assert np.allclose(fit_logistic(x, y, l2=1.0, weights=np.array([1, 1, 2, 1.0]))[0], fit_logistic(*copies, l2=1.0)[0])


def test_standardise_leaves_a_constant_column_at_scale_one():
    mean, scale = standardise(np.array([[0.0, 5.0], [4.0, 5.0]]))
    assert mean.tolist() == [2.0, 5.0] and scale.tolist() == [2.0, 1.0]
