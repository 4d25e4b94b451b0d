"""The contradiction benchmark: `python -m bench.contradictions`.

What it does: measures the shipped support check (`qa.eval.support.sentence_support`) on the
kept-out human-labelled supported claims of `../shared/data/dev/support/`
(`bench.data.support_data.part`), each turned into its opposite by one edit (`bench.data.opposites`): the
share of originals accepted, of each family's alterations rejected, of faithful rewordings
accepted; its agreement with every kept-out label; the time to judge a sentence; and a new user's
tries against the default corpus's paragraph on the cocaine trial; and the same families with the
check's readings of a claim turned round (tests (d)-(k)) added one at a time. Writes them to
MODELS.md, beside the fits of the two models the check reads (the judge's weights and the support
head). And, in a second section, claims turned round that the key-term veto cannot see, made from
PubMedQA-L sentences (`bench.pubmedqa.turned_claims`). `--fitting` prints the same figures for the
fitting part of the labels, where a reading of the check is chosen before the kept-out part is read.
What it does not: make the alterations (see `bench.data.opposites`), judge anything itself, or
write the fitting part's figures anywhere.
"""

from __future__ import annotations

import argparse
import statistics
import time
from unittest import mock

from bench.data.opposites import FAMILIES, OPPOSITE, SYNONYM, Alteration, alterations, rewordings  # noqa: F401 - re-exported

# A new user's tries against the default corpus's paragraph on the cocaine trial (issue 25): the
# passage says "...led to significantly more abstinence and lower relapse risk compared to a control."
USER_PASSAGE_HOLDS = "significantly more abstinence"
USER_CLAIMS = (
    ("A single ketamine infusion led to more relapse compared to a control. [1]", False),
    ("Mindfulness-based therapy alone led to more abstinence than ketamine. [1]", False),
    ("Ketamine cured cocaine addiction in most patients. [1]", False),
    ("A single ketamine infusion plus mindfulness-based therapy led to less relapse compared to a control. [1]", True),
)


def user_passage() -> str | None:
    """The default corpus's paragraph that holds `USER_PASSAGE_HOLDS`, or None."""
    from bench.data.devsets import ROOT

    for path in sorted((ROOT / "corpus").glob("*")):
        for paragraph in path.read_text(encoding="utf-8").split("\n"):
            if USER_PASSAGE_HOLDS in paragraph:
                return paragraph
    return None


def main(argv: list[str] | None = None) -> int:
    from bench.data.support_data import CachedScorer, load_dev
    from bench.pubmedqa.turned_claims import turned_claims_section
    from bench.report import MODELS, machine_line, write_section
    from qa.eval import support
    from qa.eval.support import sentence_support

    parser = argparse.ArgumentParser(prog="python -m bench.contradictions", description=__doc__.split("\n")[0])
    parser.add_argument("--per-claim", type=int, default=3, help="alterations per family and claim (default 3: the first three)")
    parser.add_argument("--timed", type=int, default=100, help="originals judged again, uncached, to time the check (default 100)")
    parser.add_argument("--dry-run", action="store_true", help="print without writing MODELS.md")
    parser.add_argument(
        "--fitting", action="store_true",
        help="read the fitting part of the labels instead, where readings are chosen (print only: MODELS.md reports the kept-out part)",
    )
    args = parser.parse_args(argv)
    part = "fitting" if args.fitting else "kept-out"
    kept_out = [r for r in load_dev() if (r.part == "kept-out") != args.fitting]  # the part read, kept out by default
    rows = [r for r in kept_out if r.supported]
    scorer = CachedScorer()
    began = time.time()

    def check(text: str, passages: list[str]) -> bool:
        return sentence_support(text, passages, scorer=scorer).supported

    accepted, by_family, reworded, examples = judge_families(rows, check, args.per_claim)
    # The readings of a claim turned round, added one at a time (tests (d)-(k) of the support check).
    readings = support.OPPOSITE_READINGS
    ablation = []
    for n in range(len(readings)):
        with mock.patch.object(support, "OPPOSITE_READINGS", readings[:n]):
            ablation.append(judge_families(rows, check, args.per_claim))
    verdicts = {r.id: check(r.claim, r.passages) for r in kept_out}  # every human label, for agreement
    scorer.save()
    timings = []
    sentence_support(rows[0].claim, rows[0].passages)  # loads the models
    for row in rows[: args.timed]:  # the real cross-encoder, warm: what a user's check costs
        start = time.perf_counter()
        sentence_support(row.claim, row.passages)
        timings.append(time.perf_counter() - start)

    sources = sorted({r.source for r in rows})

    def cell(counts: list[int] | None) -> str:
        return f"{counts[0] / counts[1]:.3f} ({counts[1]})" if counts and counts[1] else "—"

    def pooled(table: dict[str, list[int]]) -> list[int]:
        return [sum(c[0] for c in table.values()), sum(c[1] for c in table.values())]

    lines = [
        "## Contradictions: supported claims turned into their opposite",
        "",
        f"`python -m bench.contradictions{' --fitting' if args.fitting else ''}`: the {len(rows)} {part} human-labelled *supported* claims of the dev support "
        f"set ({', '.join(sources)}), each altered by one edit at a time (`bench/contradictions.py`: up to "
        f"{args.per_claim} per family and claim), judged by the shipped support check with the passages the humans judged them "
        f"against; {machine_line()}; {time.time() - began:.0f} s. Bar (issue 25): ≥ 0.90 of each family rejected, "
        "≥ 0.88 of the originals accepted.",
        "",
        "| | " + " | ".join(sources) + " | all |",
        "|---|" + "---:|" * (len(sources) + 1),
    ]
    originals = {s: [sum(accepted[r.id] for r in rows if r.source == s), sum(r.source == s for r in rows)] for s in sources}
    lines.append("| originals accepted | " + " | ".join(cell(originals[s]) for s in sources) + f" | {cell(pooled(originals))} |")
    for family in FAMILIES:
        table = by_family.get(family, {})
        lines.append(f"| {family}: rejected | " + " | ".join(cell(table.get(s)) for s in sources) + f" | {cell(pooled(table))} |")
    lines.append("| rewordings (synonyms) accepted | " + " | ".join(cell(reworded.get(s)) for s in sources) + f" | {cell(pooled(reworded))} |")
    # Each reading by its module, or by its function where a module holds two (hedges: (i) and (k)).
    modules = [read.__module__ for read in readings]
    named = [read.__name__ if modules.count(read.__module__) > 1 else read.__module__.rsplit(".", 1)[-1] for read in readings]
    names = ["key terms, judge, head"] + [f"+ ({chr(ord('d') + n)}) {name}" for n, name in enumerate(named)]
    lines += ["", "The readings of a claim turned round, added one at a time (all sources; the last column is the shipped check):", "",
              "| | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    runs = ablation + [(accepted, by_family, reworded, examples)]
    lines.append("| originals accepted | " + " | ".join(f"{sum(run[0].values()) / len(run[0]):.3f}" for run in runs) + " |")
    for family in FAMILIES:
        lines.append(f"| {family}: rejected | " + " | ".join(cell(pooled(run[1].get(family, {}))) for run in runs) + " |")
    lines.append("| rewordings accepted | " + " | ".join(cell(pooled(run[2])) for run in runs) + " |")
    lines += ["", f"The same check on every {part} human label (supported or not), as agreement with people:", "",
              "| source | labels | balanced accuracy | precision (supported) |", "|---|---:|---:|---:|"]
    for source in sources:
        mine = [r for r in kept_out if r.source == source]
        said = [verdicts[r.id] for r in mine]
        truth = [r.supported for r in mine]
        recall_yes = sum(s and t for s, t in zip(said, truth)) / max(1, sum(truth))
        recall_no = sum(not s and not t for s, t in zip(said, truth)) / max(1, sum(not t for t in truth))
        precision = sum(s and t for s, t in zip(said, truth)) / max(1, sum(said))
        lines.append(f"| {source} | {len(mine)} | {(recall_yes + recall_no) / 2:.3f} | {precision:.3f} |")
    passage = user_passage()
    if passage:
        lines += ["", "A new user's tries against the default corpus's paragraph on the cocaine trial (\"...led to significantly "
                  "more abstinence and lower relapse risk compared to a control\"):", "",
                  "| claim | should | the check | its reason |", "|---|---|---|---|"]
        for claim, faithful in USER_CLAIMS:
            verdict = sentence_support(claim, [passage])
            lines.append(f"| {claim} | {'pass' if faithful else 'fail'} | {'pass' if verdict.supported else 'fail'} | "
                         f"{verdict.reason} |")
    median_ms = statistics.median(timings) * 1000 if timings else float("nan")
    lines += ["", f"Median time to judge one sentence: {median_ms:.1f} ms ({len(timings)} originals, the real "
              "cross-encoder warm, nothing cached; bar ≤ 25 ms).", "", "Let through, the first of each family:", ""]
    lines += [f"- {family}: {examples[family]}" for family in FAMILIES if family in examples]
    print("\n".join(lines))
    turned = turned_claims_section(CachedScorer(), machine_line())
    print(turned)
    if not (args.dry_run or args.fitting):
        write_section("contradictions", "\n".join(lines), path=MODELS)
        write_section("turned_claims", turned, path=MODELS)
    return 0


def judge_families(rows, check, per_claim: int):
    """(originals accepted by id, family -> source -> [rejected, n], source -> [rewordings accepted, n],
    family -> the first alteration let through) for `rows` judged by `check(text, passages)`."""
    accepted: dict[str, bool] = {}
    by_family: dict[str, dict[str, list[int]]] = {}
    reworded: dict[str, list[int]] = {}
    examples: dict[str, str] = {}
    for row in rows:
        accepted[row.id] = check(row.claim, row.passages)
        per_family: dict[str, int] = {}
        for alteration in alterations(row.claim):
            if per_family.get(alteration.family, 0) >= per_claim:
                continue
            per_family[alteration.family] = per_family.get(alteration.family, 0) + 1
            rejected = not check(alteration.text, row.passages)
            counts = by_family.setdefault(alteration.family, {}).setdefault(row.source, [0, 0])
            counts[0] += rejected
            counts[1] += 1
            if not rejected and alteration.family not in examples:
                examples[alteration.family] = f"{alteration.before} -> {alteration.after}: {alteration.text[:140]}"
        for rewording in rewordings(row.claim)[:per_claim]:
            counts = reworded.setdefault(row.source, [0, 0])
            counts[0] += check(rewording.text, row.passages)
            counts[1] += 1
    return accepted, by_family, reworded, examples


if __name__ == "__main__":
    raise SystemExit(main())
