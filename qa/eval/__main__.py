"""Command line: `python -m qa.eval DATASET.jsonl [--json] [--report DIR] [--index DIR]`.

What it does: runs every case of a JSONL question set through `ask()` (multi-turn cases turn by
turn), scores each answer (see `runner`), and prints a per-case table and the data-set figures;
`--json` prints one JSON object instead (`quote_exactness`, `citation_recall`,
`citation_precision`, `must_include_recall`, `refusal_accuracy`, `forbidden_rate`, `n_cases`, ...,
`by_kind`, and `cases`: the list of per-case results with their failures); `--report DIR` also
writes DIR/report.md with its chart (see `report`). Exit code 0 when the evaluation ran (whatever
the scores), 2 on a bad data set or a missing index.
What it does not: gate anything (the tests do) or change how questions are answered.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from ingest.manifest import ManifestError
from ingest.offline import ModelNotInstalled
from ingest.store import IndexMismatch, IndexMissing
from qa.eval.cases import load_cases
from qa.eval.runner import LOWER_IS_BETTER, METRICS, CaseResult, by_kind, run_dataset, summarise


def _fmt(value) -> str:
    return "  -  " if value is None else f"{value:.2f}"


def render_table(results: list[CaseResult], summary: dict) -> str:
    """The per-case table and the data-set figures, for a terminal."""
    header = f"{'case':<28} {'kind':<12} {'ok':<4} {'refused':<9} {'quotes':>6} {'recall':>6} {'prec':>6} {'facts':>6}  why"
    lines = [header, "-" * len(header)]
    for result in results:
        refused = ("yes" if result.refused else "no") + ("" if result.refusal_correct else "(!)")
        why = result.failures[0] if result.failures else ""
        if len(result.failures) > 1:
            why += f" (+{len(result.failures) - 1} more)"
        lines.append(
            f"{result.case.id[:28]:<28} {result.case.kind[:12]:<12} {'ok' if result.passed else 'FAIL':<4} {refused:<9} "
            f"{_fmt(result.quote_exactness):>6} {_fmt(result.citation_recall):>6} {_fmt(result.citation_precision):>6} "
            f"{_fmt(result.must_include_recall):>6}  {textwrap.shorten(why, 70, placeholder='...')}"
        )
    lines += ["", f"{summary['n_cases']} cases, {summary['n_answered']} answered, {summary['n_passed']} passed every check"]
    for metric in METRICS:
        value = summary[metric]
        note = " (lower is better)" if metric in LOWER_IS_BETTER else ""
        lines.append(f"  {metric:<20} {'n/a' if value is None else f'{value:.3f}'}{note}")
    for metric in ("hit", "doc_hit", "refusal_ok", "false_refusal", "balanced", "median_answer_chars"):
        if metric in summary:
            value = summary[metric]
            shown = "n/a" if value is None else (f"{value:.0f}" if metric == "median_answer_chars" else f"{value:.3f}")
            lines.append(f"  {metric:<20} {shown}")
    return "\n".join(lines)


def _progress(number: int, total: int, case) -> None:
    print(f"\r[{number}/{total}] {case.id[:50]:<50}", end="", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None, ask=None, lookup=None, scorer=None) -> int:
    """Run the command; `ask`, `lookup` and `scorer` replace the real ones (for tests)."""
    parser = argparse.ArgumentParser(prog="python -m qa.eval", description="Evaluate answer faithfulness on a question set.")
    parser.add_argument("dataset", type=Path, help="JSONL question set (tests/data/golden.jsonl, or a dev set's cases.jsonl)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--report", type=Path, metavar="DIR", help="write DIR/report.md and its PNG chart")
    parser.add_argument("--index", type=Path, metavar="DIR", help="index folder (default: $QUOTEQA_INDEX or .index)")
    args = parser.parse_args(argv)
    overrides = {"index": args.index} if args.index else {}
    try:
        cases = load_cases(args.dataset)
        if not cases:
            raise ValueError(f"{args.dataset} holds no cases")
        if ask is None:
            from qa import ask
        if lookup is None:
            from qa.search.index import get_index
            from qa.settings import Settings

            index = get_index(Settings(**overrides))

            def lookup(source: str) -> str | None:
                document = index.document(source)
                return document["text"] if document else None

        progress = _progress if sys.stderr.isatty() else None
        results = run_dataset(cases, ask, lookup, scorer=scorer, progress=progress, **overrides)
        if progress:
            print(file=sys.stderr)
    except (OSError, ValueError, IndexMissing, IndexMismatch, ManifestError, ModelNotInstalled) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    summary = summarise(results)
    if args.report:
        from qa.eval.report import write_report

        path = write_report(results, args.report, dataset=str(args.dataset))
        if not args.json:
            print(f"report: {path}")
    if args.json:
        figures = {key: summary[key] for key in METRICS}
        figures.update({key: value for key, value in summary.items() if key not in METRICS})
        figures["by_kind"] = by_kind(results)
        figures["cases"] = [result.to_dict() for result in results]
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        print(render_table(results, summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
