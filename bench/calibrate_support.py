"""Calibrate the support check's score threshold: `python -m bench.calibrate_support`.

What it does:
1. Scores every labelled pair of tests/data/support_pairs.jsonl (claim, passage, label supported /
   contradicted / unrelated, split calibrate / holdout) with the real cross-encoder and runs the
   key-term test (a) of `qa.eval.support` on it.
2. Sweeps the threshold from -6 to 10 in steps of 0.5 and takes the one with the best accuracy of
   the whole support check (a and b) on the `calibrate` split only — "supported" must pass, the
   other two labels must fail. Several thresholds tie on a plateau; the middle of the widest
   best plateau is chosen (rounded to the step), the value furthest from both kinds of error.
3. Reports that threshold's accuracy on both splits, per label, next to the score alone (b
   without a) and the key-term test alone (a without b), so the part each test plays is visible.
4. Unless `--pairs-only`: builds an index of `corpus/` in a temporary folder, runs the golden set
   (tests/data/golden.jsonl) through `ask()`, and reports the gate figures and the mutation test
   (`qa.eval.mutation`) on the answers' sentences with the chosen threshold.
The result goes to BENCHMARKS.md (section `calibrate_support`); `SUPPORT_THRESHOLD` in
`qa/eval/support.py` is set by hand from it (the test `test_eval_support` checks they agree).
Deterministic: the cross-encoder scores one pair per run (`qa.rerank.BATCH_SIZE = 1`), so a pair's
score does not depend on the others.
What it does not: tune anything else, or look at the golden set when choosing the threshold.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests" / "data" / "support_pairs.jsonl"
GOLDEN = ROOT / "tests" / "data" / "golden.jsonl"
SWEEP = [round(-6.0 + 0.5 * step, 2) for step in range(33)]  # -6.0 ... 10.0
STEP = 0.5


@dataclass(frozen=True)
class Record:
    """One labelled pair with what the support check sees: its missing key terms and its score."""

    id: str
    label: str
    split: str
    missing: tuple[str, ...]
    score: float

    @property
    def supported(self) -> bool:
        return self.label == "supported"


def load_pairs(path: Path = PAIRS) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def score_pairs(rows: list[dict], scorer=None) -> list[Record]:
    """Key-term test and cross-encoder score of every pair (the real model unless `scorer`)."""
    from qa.eval.support import default_scorer, missing_terms, strip_citation_markers

    scorer = scorer or default_scorer()
    scores = scorer([(strip_citation_markers(r["claim"]), strip_citation_markers(r["passage"])) for r in rows])
    return [
        Record(r["id"], r["label"], r["split"], tuple(missing_terms(r["claim"], [r["passage"]])), float(s))
        for r, s in zip(rows, scores)
    ]


def predict(record: Record, threshold: float, terms: bool = True, score: bool = True) -> bool:
    """The support check's verdict on a pair (either test can be switched off for comparison)."""
    return (not terms or not record.missing) and (not score or record.score >= threshold)


def accuracy(records: list[Record], threshold: float, terms: bool = True, score: bool = True) -> float:
    if not records:
        return math.nan
    return sum(predict(r, threshold, terms, score) == r.supported for r in records) / len(records)


def choose_threshold(records: list[Record], terms: bool = True) -> tuple[float, float, list[float]]:
    """(threshold, accuracy, plateau): the middle of the widest run of sweep values with the best
    accuracy on the `calibrate` records."""
    calibrate = [r for r in records if r.split == "calibrate"]
    results = [(t, accuracy(calibrate, t, terms)) for t in SWEEP]
    best = max(acc for _, acc in results)
    runs: list[list[float]] = []
    for threshold, acc in results:
        if acc == best:
            if runs and math.isclose(runs[-1][-1] + STEP, threshold):
                runs[-1].append(threshold)
            else:
                runs.append([threshold])
    plateau = max(runs, key=len)
    middle = plateau[0] + (plateau[-1] - plateau[0]) / 2
    return round(round(middle / STEP) * STEP, 2), best, plateau


def _per_label(records: list[Record], threshold: float, **switches) -> str:
    cells = []
    for label in ("supported", "contradicted", "unrelated"):
        group = [r for r in records if r.label == label]
        right = sum(predict(r, threshold, **switches) == r.supported for r in group)
        cells.append(f"{right}/{len(group)}")
    return " | ".join(cells)


def calibration_markdown(records: list[Record]) -> tuple[float, list[str]]:
    threshold, best, plateau = choose_threshold(records)
    score_only, score_best, _ = choose_threshold(records, terms=False)
    splits = {split: [r for r in records if r.split == split] for split in ("calibrate", "holdout")}
    supported_scores = [r.score for r in records if r.supported]
    lines = [
        f"`python -m bench.calibrate_support` on {PAIRS.relative_to(ROOT)}: {len(records)} labelled pairs "
        f"({len(splits['calibrate'])} calibrate, {len(splits['holdout'])} holdout), cross-encoder "
        f"ms-marco-MiniLM-L-12-v2 (int8 ONNX). Threshold swept from {SWEEP[0]} to {SWEEP[-1]} in steps of {STEP} "
        f"on the calibrate split only; best accuracy {best:.3f} on the plateau {plateau[0]} … {plateau[-1]}, "
        f"whose middle is chosen: **SUPPORT_THRESHOLD = {threshold}**. Supported pairs score "
        f"{min(supported_scores):.1f} to {max(supported_scores):.1f}.",
        "",
        "| check | threshold | split | accuracy | supported passed | contradicted failed | unrelated failed |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    variants = [
        ("support check (a + b)", threshold, {}),
        ("score alone (b)", score_only, {"terms": False}),
        ("key terms alone (a)", threshold, {"score": False}),
    ]
    for name, value, switches in variants:
        for split, group in splits.items():
            acc = accuracy(group, value, **switches)
            right = sum(predict(r, value, **switches) == r.supported for r in group)
            shown = "—" if switches.get("score") is False else f"{value:g}"
            lines.append(f"| {name} | {shown} | {split} | {acc:.3f} ({right}/{len(group)}) | {_per_label(group, value, **switches)} |")
    errors = [r for r in records if predict(r, threshold) != r.supported]
    lines += ["", f"Errors of the support check at {threshold} ({len(errors)}):", ""]
    for r in errors:
        what = "rejected" if r.supported else "accepted"
        lines.append(f"- `{r.id}` ({r.label}, {r.split}) {what}: score {r.score:.2f}, missing {list(r.missing) or 'nothing'}")
    lines += ["", f"Score-only best threshold on the calibrate split: {score_only} (accuracy {score_best:.3f})."]
    return threshold, lines


def golden_markdown(threshold: float) -> list[str]:
    """Gate figures and mutation rates on the golden set, with the real system and models."""
    from functools import partial

    from ingest.pipeline import run_ingest
    from ingest.settings import IngestSettings
    from qa import ask
    from qa.eval.cases import load_cases
    from qa.eval.citations import MemoScorer, answer_sentences, cited_passages
    from qa.eval.mutation import EXTRA_KINDS, corpus_vocabulary, mutation_test
    from qa.eval.runner import run_dataset, summarise
    from qa.eval.support import default_scorer, sentence_support
    from qa.index import get_index
    from qa.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        index_dir = Path(folder) / "idx"
        run_ingest([ROOT / "corpus"], IngestSettings(index=index_dir), progress=False)
        index = get_index(Settings(index=index_dir))

        def lookup(source):
            document = index.document(source)
            return document["text"] if document else None

        scorer = MemoScorer(default_scorer())
        load = os.getloadavg()[0]
        began = time.perf_counter()
        results = run_dataset(load_cases(GOLDEN), ask, lookup, scorer=scorer, index=index_dir)
        seconds = time.perf_counter() - began
        figures = summarise(results)
        statements = []
        for result in results:
            if result.refused:
                continue
            passages = cited_passages(result.answer, lookup)
            for statement in answer_sentences(result.answer):
                statements.append((statement.text, [p for n in statement.cited for p in passages.get(n, [])]))
        vocabulary = corpus_vocabulary([lookup(source) for source in sorted({c.source for c in index.chunks})])
        check = partial(sentence_support, scorer=scorer, threshold=threshold)
        names = mutation_test(statements, vocabulary, check)
        directions = mutation_test(statements, vocabulary, check, kinds=EXTRA_KINDS)
    lines = [
        "",
        f"**Golden set** ({GOLDEN.relative_to(ROOT)}, {figures['n_cases']} cases, {figures['n_answered']} answered, "
        f"{figures['n_sentences']} answer sentences; real models; {seconds:.0f} s to answer and judge, "
        f"load average {load:.1f} at the start):",
        "",
        "| metric | value | gate |",
        "|---|---:|---|",
        f"| quote_exactness | {figures['quote_exactness']:.3f} | = 1.0 |",
        f"| citation_recall | {figures['citation_recall']:.3f} | ≥ 0.95 |",
        f"| citation_precision | {figures['citation_precision']:.3f} | |",
        f"| must_include_recall | {figures['must_include_recall']:.3f} | |",
        f"| refusal_accuracy | {figures['refusal_accuracy']:.3f} | ≥ 0.90 |",
        f"| forbidden_rate | {figures['forbidden_rate']:.3f} | |",
        "",
        f"**Mutation test** on the {names.unperturbed} distinct (sentence, cited passages) pairs of those answers, "
        "one number or name changed per copy (`qa.eval.mutation`: digits, years, doses, units, spelled numbers, "
        "authors and journals swapped for others of the corpus, condition acronyms):",
        "",
        f"- perturbed sentences flagged: **{names.perturbed_flagged}/{names.perturbed} = {names.perturbed_flag_rate:.3f}** (goal ≥ 0.95)",
        f"- unperturbed sentences flagged: **{len(names.unperturbed_flagged)}/{names.unperturbed} = {names.unperturbed_flag_rate:.3f}** (goal ≤ 0.05)",
        "- by kind: " + ", ".join(f"{k} {f}/{t}" for k, (f, t) in sorted(names.by_kind.items())),
        f"- beyond numbers and names, direction and negation words flipped (\"lower\" → \"higher\", \"no\" → \"an\"): "
        f"{directions.perturbed_flagged}/{directions.perturbed} flagged"
        + (
            "; let through: " + "; ".join(f"“{m.before}” → “{m.after}”" for m, _ in directions.missed[:5])
            if directions.missed
            else ""
        ),
    ]
    return lines


def main(argv: list[str] | None = None) -> None:
    from bench.report import machine_line, write_section
    from qa.eval.support import SUPPORT_THRESHOLD

    parser = argparse.ArgumentParser(prog="python -m bench.calibrate_support", description=__doc__.split("\n")[0])
    parser.add_argument("--pairs-only", action="store_true", help="calibrate only; skip the golden-set figures")
    args = parser.parse_args(argv)
    records = score_pairs(load_pairs())
    threshold, lines = calibration_markdown(records)
    if not math.isclose(threshold, SUPPORT_THRESHOLD):
        lines += ["", f"**Note:** qa/eval/support.py still has SUPPORT_THRESHOLD = {SUPPORT_THRESHOLD}: set it to {threshold}."]
    if not args.pairs_only:
        lines += golden_markdown(threshold)
    markdown = "\n".join(["## Support check calibration (faithfulness judge)", "", *lines, "", f"Machine: {machine_line()}."])
    print(markdown)
    write_section("calibrate_support", markdown)


if __name__ == "__main__":
    main()
