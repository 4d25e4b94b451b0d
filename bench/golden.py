"""Answer quality on the golden set: `python -m bench.golden`.

Runs every case of tests/data/golden.jsonl through `ask()` (multi-turn cases turn by turn) on an
index built from `corpus/` in a temporary folder, and reports must-include recall on answerable
cases, refusal rate on unanswerable ones, false refusals, follow-up cases fully passed, cases with
a forbidden string, and the per-case failures.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.report import machine_line, write_section
from ingest.pipeline import run_ingest
from ingest.settings import IngestSettings
from qa import ask
from qa.eval.cases import load_cases, run_case
from qa.eval.metrics import forbidden_hits, must_include_hits

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    cases = load_cases(ROOT / "tests" / "data" / "golden.jsonl")
    with tempfile.TemporaryDirectory() as folder:
        index = Path(folder) / "idx"
        run_ingest([ROOT / "corpus"], IngestSettings(index=index), progress=False)
        results = [(case, run_case(case, ask, index=index)) for case in cases]
    answerable = [(c, a) for c, a in results if c.answerable]
    unanswerable = [(c, a) for c, a in results if not c.answerable]
    recall = sum(len(must_include_hits(a.answer, c.must_include)) / len(c.must_include) for c, a in answerable) / len(answerable)
    refusal = sum(a.refused for _, a in unanswerable) / len(unanswerable)
    false_refusal = sum(a.refused for _, a in answerable) / len(answerable)
    followups = [(c, a) for c, a in answerable if c.kind == "followup"]
    followups_passed = sum(len(must_include_hits(a.answer, c.must_include)) == len(c.must_include) for c, a in followups)
    forbidden = [(c, a) for c, a in results if forbidden_hits(a.answer, c.must_not_include)]
    lines = [
        "## Golden set (answer quality)",
        "",
        f"`python -m bench.golden`: {len(cases)} cases, {len(answerable)} answerable, {len(unanswerable)} not. {machine_line()}.",
        "",
        "| metric | value | goal (issue 3) |",
        "|---|---:|---:|",
        f"| must_include recall (answerable) | {recall:.3f} | ≥ 0.90 |",
        f"| refusal on unanswerable | {refusal:.3f} | ≥ 0.90 |",
        f"| false refusals (answerable) | {false_refusal:.3f} | ≤ 0.10 |",
        f"| follow-up cases fully passed | {followups_passed}/{len(followups)} | all |",
        f"| cases with a forbidden string | {len(forbidden)} | 0 |",
        "",
        "Cases not fully passed:",
        "",
    ]
    for case, answer in results:
        missing = [f for f in case.must_include if f not in must_include_hits(answer.answer, case.must_include)]
        if (case.answerable and (answer.refused or missing)) or (not case.answerable and not answer.refused):
            what = "refused" if answer.refused else (f"missing {missing}" if case.answerable else "answered")
            lines.append(f"- `{case.id}` ({case.kind}): {what}; standalone: “{answer.standalone_question}”")
    print("\n".join(lines))
    write_section("golden", "\n".join(lines))


if __name__ == "__main__":
    main()
