"""How a refusal threshold is chosen from out-of-fold probabilities, for `bench.fit.answerability`.

What it does: `choose_threshold` is the highest threshold refusing at most a target share of the
answerable cases of one pool; `joint_thresholds` chooses the threshold for questions scored alone
and the one for follow-ups scored with their conversation at once, under that bound on *each* set.
What it does not: fit the model or load cases (see `bench.fit.answerability`).
"""

from __future__ import annotations

import numpy as np

# The bar is "at most 10% of answerable questions refused"; the threshold is chosen at that rate
# out of fold on the fit split.
TARGET_FALSE_REFUSAL = 0.10
GRID_STEP = 0.005  # of the thresholds `joint_thresholds` tries


def choose_threshold(probabilities: np.ndarray, labels: np.ndarray, target: float = TARGET_FALSE_REFUSAL) -> float:
    """The highest threshold refusing at most `target` of the answerable cases."""
    answerable = np.sort(probabilities[labels == 1])
    allowed = int(np.floor(target * len(answerable)))
    return float(answerable[allowed]) if allowed < len(answerable) else 0.0


def joint_thresholds(probabilities: np.ndarray, labels: np.ndarray, groups: np.ndarray, conversation: np.ndarray,
                     target: float = TARGET_FALSE_REFUSAL, objective: list[str] | None = None) -> tuple[float, float]:
    """(threshold, conversation_threshold): the pair, on a grid, that refuses the largest mean share
    of unanswerable cases over the groups that have them (those named in `objective`, when given),
    while refusing at most `target` of the answerable cases of *each* group (a set's questions
    scored alone and with their conversation counted together, as a user of that set meets them).
    Ties go to the pair closest together (follow-ups get no looser rule than questions unless a set
    needs it)."""
    names = list(dict.fromkeys(groups.tolist()))
    answerable = [mask for mask in ((groups == name) & (labels == 1) for name in names) if mask.any()]
    counted = [name for name in names if objective is None or name in objective]
    unanswerable = [mask for mask in ((groups == name) & (labels == 0) for name in counted) if mask.any()]
    grid = np.round(np.arange(0.0, 1.0001, GRID_STEP), 6)
    best, best_key = (0.0, 0.0), None
    for t_alone in grid:
        refused_alone = (probabilities < t_alone) & ~conversation
        for t_conv in grid:
            refused = refused_alone | ((probabilities < t_conv) & conversation)
            if any(refused[mask].mean() > target + 1e-12 for mask in answerable):
                break  # a higher conversation threshold only refuses more
            rates = [refused[mask].mean() for mask in unanswerable]
            key = (round(float(np.mean(rates)) if rates else 0.0, 9), -abs(t_alone - t_conv))
            if best_key is None or key > best_key:
                best, best_key = (float(t_alone), float(t_conv)), key
    return best
