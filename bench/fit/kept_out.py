"""A fitted answerability model on the kept-out dev sets, from cached signals: `python -m bench.fit.kept_out MODEL [--head H]`.

What it does: reads each kept-out set's cached signals (`bench.fit.signals_cache`: the chain run once
per case with the decision off, the answer it would give and whether that hits), fills in the answer
head's logit of the best pair (the shipped head, or `--head`), and applies the model's decision (a
file written by `python -m bench.fit.answerability --out MODEL`): per set, the answerable cases hit
and refused, the unanswerable refused, and the AUROC of the probability. A decision variant is then
measured in about a minute instead of a run of the whole suite.
What it does not: apply the focus-term veto (it needs the chain: `python -m bench.suite` reports the
shipped decision whole), or time anything. Cases the policy declines count as refused.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from bench.fit.answerability import scored_with_conversation, with_fit_time_signals
from bench.fit.signals_cache import collect
from qa.eval.agreement import auroc

SETS = ("golden", "squad2", "medquad", "coqa", "shift", "follow")
LIMIT = 600  # the first kept-out cases of each set, as `python -m bench.suite --limit 600` reads


def figures(rows: list[dict], probability: np.ndarray, conversation: np.ndarray, threshold: float,
            conversation_threshold: float) -> dict[str, float | int | None]:
    """Per set: cases, hit (answerable, answered and hit), refusal_ok, false_refusal and AUROC
    (None where the set has no such case)."""
    declined = np.array([bool(r["policy"]) for r in rows], dtype=bool)
    refused = declined | np.where(conversation, probability < conversation_threshold, probability < threshold)
    answerable = np.array([bool(r["answerable"]) for r in rows], dtype=bool)
    hit = np.array([bool(r.get("hit")) for r in rows], dtype=bool)
    judged = ~declined if answerable.any() and (~answerable).any() else np.zeros(len(rows), dtype=bool)
    scored_hits = any("hit" in r for r in rows)  # the golden set's answers are judged by must-include facts instead
    return {
        "cases": len(rows),
        "hit": float((hit & ~refused)[answerable].mean()) if answerable.any() and scored_hits else None,
        "refusal_ok": float(refused[~answerable].mean()) if (~answerable).any() else None,
        "false_refusal": float(refused[answerable].mean()) if answerable.any() else None,
        "auroc": auroc(probability[judged], answerable[judged].astype(float)) if judged.any() else None,
    }


def main(argv: list[str] | None = None) -> int:
    from bench.data.devsets import load_set
    from qa.decision.answerability import AnswerabilityModel

    parser = argparse.ArgumentParser(prog="python -m bench.fit.kept_out", description=__doc__.split("\n")[0])
    parser.add_argument("model", type=Path, help="an answerability model file (`bench.fit.answerability --out`)")
    parser.add_argument("--head", type=Path, default=None, help="the answer head's weights (default: the shipped head)")
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=SETS)
    parser.add_argument("--workers", type=int, default=1, help="processes for cases not cached yet")
    args = parser.parse_args(argv)
    model = AnswerabilityModel.load(args.model)
    print(f"{args.model}: threshold {model.threshold:.3f}, with the conversation {model.conversation_threshold:.3f}; "
          "kept-out, the focus-term veto off\n")
    print("| set | cases | hit | refusal_ok | false_refusal | AUROC |\n|---|---:|---:|---:|---:|---:|")
    by_set = {name: collect(name, "kept", None if name == "golden" else LIMIT, args.workers) for name in args.sets}
    # One pass over every set's rows: the head (and, with --head, its graph) is loaded once.
    with_fit_time_signals([r for rows in by_set.values() for r in rows if r["signals"]], args.head)
    for name, rows in by_set.items():
        questions = {c.id: c.question for c in load_set(name)}
        probability = np.array([model.probability(r["signals"]) if r["signals"] else 0.0 for r in rows])
        conversation = np.array([scored_with_conversation(r, questions[r["id"]]) for r in rows], dtype=bool)
        found = figures(rows, probability, conversation, model.threshold, model.conversation_threshold)
        cell = lambda value: "—" if value is None else f"{value:.3f}"  # noqa: E731
        print(f"| {name} | {found['cases']} | " + " | ".join(cell(found[k]) for k in ("hit", "refusal_ok", "false_refusal", "auroc")) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
