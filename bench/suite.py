"""The dev suite: `python -m bench.suite [SET ...] [--split kept|fit|all] [--limit N] [--set FIELD=VALUE ...]`.

What it does: asks every selected case of the external dev sets (`squad2`, `coqa`, `medquad`, from
`../shared/data/dev/`), of `shift` and `inshift` (squad2 questions asked after an exchange about another
article, or another passage of theirs: topic shifts the conversation must not drag back), of `follow`
(squad2 questions with a name turned into a pronoun after an exchange about it: follow-ups that lean on
the conversation, half unanswerable), of `swap` (squad2 questions whose focus was swapped for a word their
article lacks: on-topic near misses, all unanswerable), of the golden set, of `casual` (questions on the
default corpus as a chat user words them, half on what it never covers) and of `chat` (the same asked
mid-chat, each after the one before it) through `ask()`, on one cached index per set (`bench.data.devsets`),
scores each answer by the dev README's rules (`qa.eval.dev_metrics`), prints a table per set — hit,
doc_hit, refusal_ok, false_refusal, balanced, median answer length, p50/p95 ms — writes it to BENCHMARKS.md
(section `suite`, or `suite-LABEL` with `--label`), draws `bench/results/suite.png`, and keeps every
case's outcome in `.bench-index/suite-LABEL-SET.jsonl` (`main` without a label).
By default it runs the kept-out part of each set (see `bench.data.devsets.split_of`), which no
fitting or threshold choice has seen. `--set` overrides a `Settings` field for every question
(ablations). For golden, casual and chat, hit is must-include recall (the share of expected facts found).
`--single-doc` asks each coqa or medquad case on an index of its topic's document alone
(`bench.data.devsets.topic_document`; cases without one are left out), and each shift case on an
index of its two articles, the conversation's and the question's, so that the figures can be
laid beside the full corpus's: the same question about the same passage should get the same
decision whatever else the index holds.
What it does not: fit anything (see `bench.fit.answerability`) or run in `make test` (a smoke test asks a few).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.data.devsets import CACHE, SETS, WRITTEN_HERE, DevCase, index_for, load_set, select
from bench.data.single_doc import SINGLE_DOC_SETS, forget_indexes, single_document_index, small_index_documents
from qa.eval.cases import ask_turn_by_turn
from qa.eval.dev_metrics import is_doc_hit, is_hit
from qa.eval.metrics import must_include_hits

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Outcome:
    """What one case got."""

    case: DevCase
    refused: bool
    answer: str
    sources: list[str]
    ms: float
    hit: float | None = None  # answerable cases: 1/0 (golden: must-include recall)
    doc_hit: bool | None = None
    extra: dict = field(default_factory=dict)


def ask_case(case: DevCase, ask, **overrides):
    """The answer to the case's last turn; golden follow-ups are asked turn by turn."""
    if case.history is not None:
        return ask(case.question, list(case.history), **overrides)
    return ask_turn_by_turn(case.turns, ask, **overrides)


def score(case: DevCase, answer, ms: float) -> Outcome:
    sources = [c.source for c in answer.citations]
    outcome = Outcome(case, bool(answer.refused), "" if answer.refused else answer.answer, sources, ms)
    if case.answerable:
        if case.set in WRITTEN_HERE:
            found = len(must_include_hits(outcome.answer, case.must_include)) if not answer.refused else 0
            outcome.hit = found / len(case.must_include) if case.must_include else float(not answer.refused)
        else:
            outcome.hit = float(not answer.refused and is_hit(answer.answer, case.answers, case.gold_text))
            outcome.doc_hit = not answer.refused and is_doc_hit(sources, case.gold_doc)
    outcome.extra["standalone"] = answer.standalone_question
    return outcome


def run_set(name: str, split: str = "kept", limit: int | None = None, overrides: dict | None = None,
            kinds: set[str] | None = None, progress: bool = True, index: Path | None = None,
            single_doc: bool = False) -> list[Outcome]:
    """Ask the selected cases of set `name` on its cached index (or on `index`, or with
    `single_doc` on an index of each case's own document) and score them."""
    from qa import ask

    cases = select(load_set(name), split, limit, kinds)
    if single_doc:
        cases = [c for c in cases if small_index_documents(c)]
    else:
        index = index or index_for(name, progress=progress)
    outcomes = []
    iterator = cases
    if progress:
        from tqdm import tqdm

        iterator = tqdm(cases, desc=name + (small_index_label(name) if single_doc else ""), unit="case")
    for case in iterator:
        where = single_document_index(name, *small_index_documents(case)) if single_doc else index
        began = time.perf_counter()
        answer = ask_case(case, ask, index=where, **(overrides or {}))
        outcomes.append(score(case, answer, (time.perf_counter() - began) * 1000))
        if single_doc:
            forget_indexes()
    return outcomes


def small_index_label(name: str) -> str:
    """What the single-document mode's row of set `name` is asked over."""
    return " (two documents)" if name == "shift" else " (one document)"


def summarise(outcomes: list[Outcome]) -> dict:
    answerable = [o for o in outcomes if o.case.answerable]
    unanswerable = [o for o in outcomes if not o.case.answerable]
    answered = [o for o in outcomes if not o.refused]
    ms = sorted(o.ms for o in outcomes)
    mean = lambda values: sum(values) / len(values) if values else None  # noqa: E731
    figures = {
        "cases": len(outcomes),
        "answerable": len(answerable),
        "hit": mean([o.hit for o in answerable]),
        "doc_hit": mean([float(o.doc_hit) for o in answerable if o.doc_hit is not None]),
        "refusal_ok": mean([float(o.refused) for o in unanswerable]),
        "false_refusal": mean([float(o.refused) for o in answerable]),
        "median_chars": statistics.median(len(o.answer) for o in answered) if answered else None,
        "p50_ms": ms[len(ms) // 2] if ms else None,
        "p95_ms": ms[min(len(ms) - 1, int(0.95 * len(ms)))] if ms else None,
    }
    if figures["hit"] is not None and figures["refusal_ok"] is not None:
        figures["balanced"] = (figures["hit"] + figures["refusal_ok"]) / 2
    else:
        figures["balanced"] = None
    return figures


COLUMNS = ("cases", "hit", "doc_hit", "refusal_ok", "false_refusal", "balanced", "median_chars", "p50_ms", "p95_ms")


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    return f"{value:.0f}" if value >= 10 else f"{value:.3f}"


def table(rows: dict[str, dict]) -> list[str]:
    lines = ["| set | " + " | ".join(COLUMNS) + " |", "|---|" + "---:|" * len(COLUMNS)]
    for name, figures in rows.items():
        lines.append(f"| {name} | " + " | ".join(_cell(figures.get(c)) for c in COLUMNS) + " |")
    return lines


def by_history(outcomes: list[Outcome]) -> list[str]:
    """Conversational sets: the figures by how many earlier turns a case has."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in sorted(outcomes, key=lambda o: len(o.case.turns)):
        turns = len(outcome.case.turns) - 1
        groups.setdefault("3+" if turns >= 3 else str(turns), []).append(outcome)
    return _group_table("earlier turns", groups)


def by_answer_kind(outcomes: list[Outcome]) -> list[str]:
    """Yes/no questions (gold answer "yes" or "no": hit needs the deciding sentence) apart from the rest."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        yes_no = {a.strip(" .!").lower() for a in outcome.case.answers} & {"yes", "no"}
        groups.setdefault("yes/no" if yes_no else "other", []).append(outcome)
    return _group_table("question", groups)


def by_case_kind(outcomes: list[Outcome]) -> list[str]:
    """medquad: answerable questions, near-miss ones (the topic's page is there without the
    section that answered) and absent topics apart; refusing the last is the easy part."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.case.kind, []).append(outcome)
    lines = ["| kind | cases | hit | refused |", "|---|---:|---:|---:|"]
    for label, group in sorted(groups.items()):
        f = summarise(group)
        refused = sum(o.refused for o in group) / len(group)
        lines.append(f"| {label} | {f['cases']} | {_cell(f['hit'])} | {_cell(refused)} |")
    return lines


def _group_table(heading: str, groups: dict[str, list[Outcome]]) -> list[str]:
    lines = [f"| {heading} | cases | hit | doc_hit | false_refusal |", "|---|---:|---:|---:|---:|"]
    for label, group in groups.items():
        f = summarise(group)
        lines.append(f"| {label} | {f['cases']} | {_cell(f['hit'])} | {_cell(f['doc_hit'])} | {_cell(f['false_refusal'])} |")
    return lines


def chart(rows: dict[str, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = ("hit", "doc_hit", "refusal_ok", "false_refusal", "balanced")
    names = list(rows)
    fig, ax = plt.subplots(figsize=(8, 3.6))
    width = 0.8 / max(1, len(names))
    for i, name in enumerate(names):
        values = [rows[name].get(m) for m in metrics]  # None: the set has no such cases (no bar)
        heights = [float("nan") if v is None else v for v in values]
        bars = ax.bar([x + i * width for x in range(len(metrics))], heights, width, label=name)
        ax.bar_label(bars, labels=["" if v is None else f"{v:.2f}" for v in values], fontsize=7)
    ax.set_xticks([x + width * (len(names) - 1) / 2 for x in range(len(metrics))], metrics)
    ax.set_ylim(0, 1.08)
    ax.set_title("Dev suite (kept-out cases): higher is better, except false_refusal")
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def save_outcomes(name: str, outcomes: list[Outcome], label: str) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"suite-{label or 'main'}-{name}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for o in outcomes:
            row = {"id": o.case.id, "kind": o.case.kind, "answerable": o.case.answerable, "refused": o.refused,
                   "hit": o.hit, "doc_hit": o.doc_hit, "ms": round(o.ms, 1), "answer": o.answer, "sources": o.sources,
                   "question": o.case.question, **o.extra}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def parse_overrides(items: list[str]) -> dict:
    overrides = {}
    for item in items:
        key, _, value = item.partition("=")
        if not key or not _:
            raise SystemExit(f"--set takes FIELD=VALUE, not {item!r}")
        overrides[key] = value
    return overrides


def main(argv: list[str] | None = None) -> int:
    from bench.report import machine_line, write_section

    parser = argparse.ArgumentParser(prog="python -m bench.suite", description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="*", metavar="SET", help=f"any of {', '.join(SETS)} (default: all)")
    parser.add_argument("--split", default="kept", choices=("kept", "fit", "all"))
    parser.add_argument("--limit", type=int, default=None, help="first N cases of each set (the files are shuffled)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="FIELD=VALUE")
    parser.add_argument("--label", default="", help="write BENCHMARKS.md section suite-LABEL (default: suite)")
    parser.add_argument("--single-doc", action="store_true",
                        help="ask each case on an index of its own documents alone, a shift on its two articles "
                        f"({', '.join(SINGLE_DOC_SETS)})")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    # Checked here: argparse checks a list default against `choices` as one value, so no bare run works.
    unknown = [name for name in args.sets if name not in SETS]
    if unknown:
        parser.error(f"unknown set(s) {unknown}; the sets are: {', '.join(SETS)}")
    args.sets = args.sets or list(SETS)
    if args.single_doc:
        if not set(args.sets) <= set(SINGLE_DOC_SETS):
            parser.error(f"--single-doc applies to {', '.join(SINGLE_DOC_SETS)} only")
        args.label = args.label or "single-doc"
    overrides = parse_overrides(args.overrides)

    rows, notes = {}, []
    for name in args.sets:
        kinds = {"coqa-followup"} if name == "coqa" else None  # the ambiguous ones have no single answer
        outcomes = run_set(name, args.split, args.limit, overrides, kinds, single_doc=args.single_doc)
        rows[name + (small_index_label(name) if args.single_doc else "")] = summarise(outcomes)
        save_outcomes(name, outcomes, args.label)
        # Over one document, the question is how the figures move from the full corpus's: the
        # turn-by-turn and yes/no breakdowns are in the full-corpus section.
        if name in ("coqa", "golden") and not args.single_doc:
            notes += ["", f"{name} by earlier turns:", "", *by_history(outcomes)]
        if name == "medquad":
            notes += ["", "medquad by kind of question:", "", *by_case_kind(outcomes)]
        if name == "coqa" and not args.single_doc:
            notes += ["", "coqa, yes/no questions apart:", "", *by_answer_kind(outcomes)]
    lines = [
        f"`python -m bench.suite {' '.join(args.sets)} --split {args.split}"
        + (f" --limit {args.limit}" if args.limit else "")
        + (" --single-doc" if args.single_doc else "")
        + "".join(f" --set {item}" for item in args.overrides)
        + f"`. {machine_line()}.",
        "",
        *table(rows),
        *notes,
    ]
    print("\n".join(lines))
    if not args.no_write:
        section = f"suite-{args.label}" if args.label else "suite"
        write_section(section, f"## Dev suite{(' — ' + args.label) if args.label else ''}\n\n" + "\n".join(lines))
        if not args.label:
            chart(rows, RESULTS / "suite.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
