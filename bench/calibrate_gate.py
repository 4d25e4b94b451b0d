"""Calibrate the relevance gate on the golden set: `python -m bench.calibrate_gate`.

For every case it records the two signals the gate uses — the best sentence score (a cross-encoder
logit) and the largest focus-term gain (see `qa.gate`) — then sweeps both thresholds and reports,
for each pair, the refusal rate on unanswerable cases and the false-refusal rate on answerable ones.
The chosen pair has the best balanced accuracy (share of unanswerable cases refused plus share of
answerable cases answered), ties broken towards fewer false refusals. When the two bars of issue 3
(refuse ≥ 90% of unanswerable, falsely refuse ≤ 10% of answerable) cannot both hold, this favours
refusing: an answer to a question the documents do not address quotes passages about something
else (the alcohol trial's dose for a question on depression), which misleads a reader more than
an honest refusal. Cases declined by the policy screen are left out: the gate never
sees them. The result goes to BENCHMARKS.md; the defaults in `qa.settings` are set from it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.report import machine_line, write_section
from qa.answering import _condense, _prepare, _rerank, _retrieve
from qa.eval.cases import load_cases
from qa.scoring import focus_gain_signal

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "data" / "golden.jsonl"


def signals(case) -> tuple[float, float] | None:
    """(best sentence score, largest focus-term gain) as the chain computes them, or None when the
    policy screen declines the question before the gate."""
    history = [{"role": "user", "content": turn} for turn in case.turns[:-1]]
    state = _rerank(_retrieve(_condense(_prepare({"question": case.turns[-1], "history": history}))))
    if state["notice"]:
        return None
    best = max(map(float, state["sentence_scores"]), default=-20.0)
    return float(best), max(focus_gain_signal(state).values(), default=-20.0)


def main() -> None:
    rows = []
    for case in load_cases(GOLDEN):
        signal = signals(case)
        if signal is not None:
            rows.append((case.answerable, *signal))
    answerable = [r for r in rows if r[0]]
    unanswerable = [r for r in rows if not r[0]]
    results = []
    for threshold in np.arange(-4.0, 4.01, 0.5):
        for margin in (1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 99.0):
            def refused(row):
                return row[1] < threshold or row[2] >= margin

            refusal = sum(refused(r) for r in unanswerable) / len(unanswerable)
            false_refusal = sum(refused(r) for r in answerable) / len(answerable)
            results.append((round(refusal + 1 - false_refusal, 6), -false_refusal, float(threshold), margin, refusal, false_refusal))
    results.sort(reverse=True)
    best = results[0]
    lines = [
        "## Relevance gate calibration",
        "",
        f"`python -m bench.calibrate_gate` on tests/data/golden.jsonl ({len(answerable)} answerable, "
        f"{len(unanswerable)} unanswerable cases that reach the gate). {machine_line()}.",
        "",
        "| relevance_threshold | focus_term_margin | refusal on unanswerable | false refusals |",
        "|---:|---:|---:|---:|",
    ]
    for _, _, threshold, margin, refusal, false_refusal in results[:12]:
        lines.append(f"| {threshold:.1f} | {margin:.1f} | {refusal:.2f} | {false_refusal:.2f} |")
    lines += ["", f"Chosen: relevance_threshold = {best[2]:.1f}, focus_term_margin = {best[3]:.1f}."]
    print("\n".join(lines))
    write_section("calibrate_gate", "\n".join(lines))


if __name__ == "__main__":
    main()
