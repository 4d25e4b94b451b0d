"""Which stage of the chain refused each kept-out dev case: `python -m bench.fit.refusal_stages SET...`.

What it does: asks the first `--limit` kept-out cases of each set through the chain up to the
answer (`qa.answering.trace`, the shipped decision on) and names, per case, the stage that decided:
the policy, the fitted model (probability under its threshold), the question-support gate, the
focus-term veto, the answer step finding no sentence to quote (`min_quote_score`), or none
(answered). Prints, per set, the counts by answerable or not and by whether the question was
scored with its conversation, then the cases the answer step refused.
What it does not: score answers (`python -m bench.suite` does, and its refusal figures are the
ones to report), or ask golden's multi-turn cases, which the suite asks turn by turn.
"""

from __future__ import annotations

import argparse
from collections import Counter

from bench.data.devsets import SETS, index_for, load_set, select


def stage_of(decision, threshold: float, gate: float, composed_refused: bool | None) -> str:
    """The stage that decided a case, from its `Decision`, the threshold the model applied, the
    question-support gate, and whether the answer step found nothing to quote."""
    support = (decision.signals or {}).get("question_support")
    if decision.notice:
        return "policy"
    if decision.probability < threshold:
        return "model"
    if support is not None and support < gate:
        return "gate"
    if decision.uncovered:
        return "veto"
    return "no quote" if composed_refused else "answered"


def stages(name: str, limit: int) -> list[dict]:
    """One row per case asked: id, answerable, scored with its conversation, stage, question."""
    from qa.answering import trace
    from qa.decision.answerability import get_model
    from qa.decision.question_support import gate_below

    index = index_for(name, progress=False)
    kinds = {"coqa-followup"} if name == "coqa" else None  # as the suite selects them
    rows = []
    for case in select(load_set(name), "kept", limit, kinds):
        if case.history is None and len(case.turns) > 1:
            continue
        turn, answer = trace(case.question, list(case.history) if case.history is not None else None, index=index)
        conversation = bool(turn.scored.with_conversation) if turn.scored else False
        threshold = get_model().threshold_for(conversation)
        refused = answer.refused if answer is not None else None
        rows.append({"id": case.id, "answerable": case.answerable, "conversation": conversation,
                     "stage": stage_of(turn.decision, threshold, gate_below(), refused), "question": case.question})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fit.refusal_stages", description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="+", choices=SETS, metavar="SET", help=f"any of {', '.join(SETS)}")
    parser.add_argument("--limit", type=int, default=600, help="first N kept-out cases of each set (default 600)")
    args = parser.parse_args(argv)
    for name in args.sets:
        rows = stages(name, args.limit)
        counts = Counter((r["answerable"], r["conversation"], r["stage"]) for r in rows)
        print(f"\n{name}: {len(rows)} cases\n\n| answerable | scored with its conversation | stage | cases |\n|---|---|---|---:|")
        for (answerable, conversation, stage), n in sorted(counts.items(), key=str):
            print(f"| {'yes' if answerable else 'no'} | {'yes' if conversation else 'no'} | {stage} | {n} |")
        for row in rows:
            if row["stage"] == "no quote":
                print(f"- no quote: {row['question']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
