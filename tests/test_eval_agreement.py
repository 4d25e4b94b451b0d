"""Agreement with human labels (`qa.eval.agreement`): balanced accuracy, precision/recall, AUROC,
best threshold."""

from __future__ import annotations

import math

from qa.eval.agreement import auroc, balanced_accuracy, best_threshold, precision_recall


def test_balanced_accuracy_weighs_both_classes_the_same():
    gold = [True, False, False, False]
    assert balanced_accuracy([True, False, False, False], gold) == 1.0
    assert balanced_accuracy([True, True, True, True], gold) == 0.5
    assert balanced_accuracy([False] * 4, gold) == 0.5
    assert math.isnan(balanced_accuracy([True], [True]))


def test_precision_and_recall_are_on_the_supported_class():
    assert precision_recall([True, True, False, False], [True, False, True, False]) == (0.5, 0.5)
    precision, recall = precision_recall([False, False], [True, False])
    assert math.isnan(precision) and recall == 0.0


def test_auroc_ranks_and_counts_ties_as_half():
    assert auroc([0.9, 0.8, 0.1], [True, True, False]) == 1.0
    assert auroc([0.1, 0.9], [True, False]) == 0.0
    assert auroc([0.5, 0.5], [True, False]) == 0.5
    assert auroc([0.3, 0.7, 0.5, 0.1], [False, True, True, False]) == 1.0


def test_best_threshold_gives_the_baseline_its_best_cut():
    threshold, accuracy = best_threshold([0.2, 0.4, 0.6, 0.9], [False, False, True, True])
    assert threshold == 0.6 and accuracy == 1.0
