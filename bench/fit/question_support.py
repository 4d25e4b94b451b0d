"""Choose the question-support gate: `python -m bench.fit.question_support [--dry-run]`.

What it does, reproducibly (no randomness):
1. reads the cached signals (`bench.fit.signals_cache`) of the cases the answerability model is fit
   on that are first questions: the fit splits' first 1,200 squad2 questions, 300 medquad ones and
   300 off-topic ones (the next squad2 questions asked on coqa's stories), with the shipped model's
   probability (`qa.decision.answerability`, the answer head's logit filled in as it is fit);
2. reads each case's best pair (the question, the best sentence) with the support head
   (`qa.decision.question_support`);
3. chooses the gate: the highest logit on a grid of quarters at which, on each of squad2 and
   medquad, the gate refuses at most `ADDED_FALSE_REFUSAL` of the answerable questions, counting only
   those the model answers (so the gate spends at most that much of the false refusals allowed);
4. writes `qa/models/question_support.json` and, to MODELS.md, what the gate does at and around that
   logit on each set, and how coqa's and the follow set's answerable follow-ups read (why the gate
   reads first questions only).
The kept-out split and the golden set are never read here: `python -m bench.suite` reports on them.
What it does not: fit the support head (`bench.fit.support_head`) or the answerability model
(`bench.fit.answerability`).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from bench.fit.answerability import OFF_TOPIC, scored_with_conversation, with_fit_time_signals
from bench.fit.signals_cache import collect

ADDED_FALSE_REFUSAL = 0.01
GRID = np.arange(-8.0, 0.01, 0.25)
SQUAD, MEDQUAD, COQA, FOLLOW = 1200, 300, 400, 600
HELD = ("squad2", "medquad")  # the sets with answerable first questions, each held to the cap


def choose_gate(readings: dict[str, np.ndarray], answered: dict[str, np.ndarray], answerable: dict[str, np.ndarray],
                cap: float = ADDED_FALSE_REFUSAL, grid: np.ndarray = GRID) -> float:
    """The highest gate in `grid` under which, on each set, at most `cap` of its answerable cases are
    answered by the model and read below the gate; the lowest of the grid when none holds."""
    def added(name: str, gate: float) -> float:
        mine = answerable[name]
        return float((answered[name] & mine & (readings[name] < gate)).sum() / max(1, mine.sum()))
    allowed = [gate for gate in grid if all(added(name, gate) <= cap for name in readings if answerable[name].any())]
    return float(max(allowed)) if allowed else float(grid[0])


def _readings(rows: list[dict]) -> np.ndarray:
    from qa.decision.question_support import question_support

    return np.array([question_support(*row["best_pair"]) if row.get("best_pair") else -12.0 for row in rows])


def _follow_up_table(follow_ups: dict[str, list[dict]], questions: dict[str, dict], model, gate: float) -> str:
    """What gating follow-ups would do: per set and per way the chain scored them (alone, or with their
    conversation: the pair the gate would read), answerable refused by the gate among those the model
    answers, and unanswerable refused without -> with the gate."""
    with_fit_time_signals([r for rows in follow_ups.values() for r in rows])
    lines = ["| set | scored | gate | answerable refused by the gate | unanswerable refused: without -> with |", "|---|---|---:|---|---|"]
    for name, rows in follow_ups.items():
        conversation = np.array([scored_with_conversation(r, questions[name][r["id"]]) for r in rows])
        answerable = np.array([bool(r["answerable"]) for r in rows])
        answered = np.array([model.answers(r["signals"], model.threshold_for(c)) for r, c in zip(rows, conversation)])
        readings = _readings(rows)
        for scored, part in (("alone", ~conversation), ("with conversation", conversation)):
            for at in (gate - 2.5, gate - 1.5, gate - 0.5, gate):
                gated, mine, other = readings < at, part & answerable, part & ~answerable
                added = f"{(answered & mine & gated).sum()} of {mine.sum()}"
                unanswerable = (f"{(~answered & other).sum() / other.sum():.3f} -> {((~answered | gated) & other).sum() / other.sum():.3f} "
                                f"({other.sum()})" if other.any() else "–")
                lines.append(f"| {name} | {scored} | {at:+.2f} | {added} | {unanswerable} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from bench.data.devsets import load_set
    from bench.report import MODELS, machine_line, write_section
    from qa.decision.answerability import get_model
    from qa.decision.question_support import GATE_PATH

    parser = argparse.ArgumentParser(prog="python -m bench.fit.question_support", description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="report without writing the gate or MODELS.md")
    parser.add_argument("--follow-ups", action="store_true", help="also print what the gate would do on the follow-ups "
                        "(coqa's and the follow set's fit splits), scored alone and with their conversation")
    args = parser.parse_args(argv)
    began = time.time()
    kept = lambda rows: [r for r in rows if not r["policy"] and r["signals"] and r.get("best_pair")]  # noqa: E731
    sets = {
        "squad2": kept(collect("squad2", "fit", SQUAD)),
        "medquad": kept(collect("medquad", "fit", MEDQUAD)),
        "off-topic": kept(collect("squad2", "fit", OFF_TOPIC, on="coqa", offset=SQUAD)),
    }
    follow_ups = {"coqa": kept(collect("coqa", "fit", COQA)), "follow": kept(collect("follow", "fit", FOLLOW))}
    with_fit_time_signals([r for rows in sets.values() for r in rows])
    model = get_model()
    readings = {name: _readings(rows) for name, rows in sets.items()}
    answerable = {name: np.array([bool(r["answerable"]) for r in rows]) for name, rows in sets.items()}
    answered = {name: np.array([model.probability(r["signals"]) >= model.threshold for r in rows]) for name, rows in sets.items()}
    gate = choose_gate(readings, answered, answerable)

    def row(at: float | None) -> str:
        cells = []
        for name in sets:
            mine, gated = answerable[name], readings[name] < (-np.inf if at is None else at)
            refused = ~answered[name] | gated
            unanswerable = f"{refused[~mine].mean():.3f}" if (~mine).any() else "–"
            added = f"{(answered[name] & mine & gated).sum() / max(1, mine.sum()):.3f}" if mine.any() else "–"
            cells.append(f"{unanswerable} / {added}")
        return f"| {'none' if at is None else f'{at:+.2f}'} | " + " | ".join(cells) + " |"

    questions = {name: {c.id: c.question for c in load_set(name)} for name in follow_ups}
    leaning = {name: _readings([r for r in rows if r["answerable"]]) for name, rows in follow_ups.items()}
    first = {name: np.median(readings[name][answerable[name]]) for name in HELD}
    with_conversation = {name: sum(scored_with_conversation(r, questions[name][r["id"]]) for r in rows) for name, rows in follow_ups.items()}
    lines = [
        "## Question-support gate",
        "",
        f"`python -m bench.fit.question_support`: the support head's logit for a first question read as a claim against "
        f"its best sentence (`qa.decision.question_support`), on the fit splits' first questions ({', '.join(f'{len(r)} {n}' for n, r in sets.items())}); "
        f"the shipped answerability model at its threshold {model.threshold:.3f}; {machine_line()}; {time.time() - began:.0f} s.",
        "",
        f"Gate: **{gate:+.2f}**, the highest logit (in quarters) at which the gate refuses at most {ADDED_FALSE_REFUSAL:.0%} "
        "of each set's answerable questions, counting those the model answers.",
        "",
        "Unanswerable refused / answerable refused by the gate (beside the model's own refusals):",
        "",
        "| gate | " + " | ".join(sets) + " |",
        "|---|" + "---:|" * len(sets),
    ]
    lines += [row(at) for at in (None, gate - 1.0, gate - 0.5, gate, gate + 0.5, gate + 1.0)]
    lines += ["", "Why follow-ups are not gated: the answerable ones read far lower than first questions (medians: "
              + ", ".join(f"{name} first questions {first[name]:+.2f}" for name in HELD) + "; "
              + ", ".join(f"{name} answerable follow-ups {np.median(v):+.2f}, {float((v < gate).mean()):.3f} under the gate "
                          f"({len(v)}; {with_conversation[name]} of the set's scored with their conversation)" for name, v in leaning.items())
              + "): an elliptic follow-up states nothing a sentence could back."]
    print("\n".join(lines))
    if args.follow_ups:
        print(_follow_up_table(follow_ups, questions, model, gate))
    if not args.dry_run:
        spec = {"below": round(gate, 2), "provenance": {
            "script": "python -m bench.fit.question_support",
            "rule": f"highest logit on a grid of quarters refusing at most {ADDED_FALSE_REFUSAL:.0%} of the answerable first "
                    "questions the answerability model answers, on each of squad2's and medquad's fit splits",
            "fit_on": ", ".join(f"{len(r)} {n}" for n, r in sets.items()) + " (fit splits; SQuAD 2.0 dev CC BY-SA 4.0, MedQuAD CC BY 4.0)",
        }}
        GATE_PATH.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
        write_section("question_support", "\n".join(lines), path=MODELS)
        print(f"wrote {GATE_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
