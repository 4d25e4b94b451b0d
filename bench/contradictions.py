"""The contradiction benchmark: `python -m bench.contradictions`.

What it does: measures the shipped support check (`qa.eval.support.sentence_support`) on the
kept-out human-labelled supported claims of `../shared/data/dev/support/`
(`bench.data.support_data.part`), each turned into its opposite by one edit (`bench.data.opposites`): the
share of originals accepted, of each family's alterations rejected, of faithful rewordings
accepted; its agreement with every kept-out label; the time to judge a sentence; and a new user's
tries against the default corpus's paragraph on the cocaine trial. Writes them to MODELS.md, beside
the fits of the two models the check reads (the judge's weights and the support head). And, in a
second section, the directions the key-term veto cannot see: PubMedQA-L abstract sentences with one
direction word flipped where the sentence already holds the opposite's direction
(`bench.data.direction_flips`), judged against the original sentence with and without the check's
direction reading (test (d), `qa.eval.direction_conflicts`), beside faithful rewordings of them.
What it does not: make the alterations (see `bench.data.opposites`), judge anything itself, or read
the fitting part of the labels.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.data.opposites import FAMILIES, OPPOSITE, SYNONYM, Alteration, alterations, rewordings  # noqa: F401 - re-exported

# A new user's tries against the default corpus's paragraph on the cocaine trial (issue 25): the
# passage says "...led to significantly more abstinence and lower relapse risk compared to a control."
USER_PASSAGE_HOLDS = "significantly more abstinence"
FLIPS = 300  # at most this many flipped abstract sentences (PubMedQA-L holds about 150)
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
    from bench.report import MODELS, machine_line, write_section
    from qa.eval.support import sentence_support

    parser = argparse.ArgumentParser(prog="python -m bench.contradictions", description=__doc__.split("\n")[0])
    parser.add_argument("--per-claim", type=int, default=3, help="alterations per family and claim (default 3: the first three)")
    parser.add_argument("--timed", type=int, default=100, help="originals judged again, uncached, to time the check (default 100)")
    parser.add_argument("--dry-run", action="store_true", help="print without writing MODELS.md")
    args = parser.parse_args(argv)
    kept_out = [r for r in load_dev() if r.part == "kept-out"]
    rows = [r for r in kept_out if r.supported]
    scorer = CachedScorer()
    began = time.time()

    def check(text: str, passages: list[str]) -> bool:
        return sentence_support(text, passages, scorer=scorer).supported

    accepted = {}
    by_family: dict[str, dict[str, list[int]]] = {}
    reworded: dict[str, list[int]] = {}
    examples: dict[str, str] = {}
    for row in rows:
        accepted[row.id] = check(row.claim, row.passages)
        per_family: dict[str, int] = {}
        for alteration in alterations(row.claim):
            if per_family.get(alteration.family, 0) >= args.per_claim:
                continue
            per_family[alteration.family] = per_family.get(alteration.family, 0) + 1
            rejected = not check(alteration.text, row.passages)
            counts = by_family.setdefault(alteration.family, {}).setdefault(row.source, [0, 0])
            counts[0] += rejected
            counts[1] += 1
            if not rejected and alteration.family not in examples:
                examples[alteration.family] = f"{alteration.before} -> {alteration.after}: {alteration.text[:140]}"
        for rewording in rewordings(row.claim)[: args.per_claim]:
            counts = reworded.setdefault(row.source, [0, 0])
            counts[0] += check(rewording.text, row.passages)
            counts[1] += 1
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
        f"`python -m bench.contradictions`: the {len(rows)} kept-out human-labelled *supported* claims of the dev support "
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
    lines += ["", "The same check on every kept-out human label (supported or not), as agreement with people:", "",
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
    flipped = direction_flip_section(CachedScorer(), machine_line())
    print(flipped)
    if not args.dry_run:
        write_section("contradictions", "\n".join(lines), path=MODELS)
        write_section("direction_flips", flipped, path=MODELS)
    return 0


def direction_flip_section(scorer, machine: str, limit: int = FLIPS) -> str:
    """The second section: flipped directions rejected and rewordings accepted, with and without (d)."""
    from unittest import mock

    from bench.data.direction_flips import abstract_sentences, flips
    from qa.eval import support

    began = time.time()
    altered, reworded = [], []
    for sentence in abstract_sentences():
        for before, after, text in flips(sentence)[:1]:  # one flip per sentence: many sentences, not many flips of one
            altered.append((sentence, f"{before} -> {after}", text))
            reworded += [(sentence, a.text) for a in rewordings(sentence)[:1]]
        if len(altered) >= limit:
            break

    def rejected(pairs, reading: bool) -> list[bool]:
        with mock.patch.object(support, "direction_conflicts", support.direction_conflicts if reading else lambda *_: []):
            return [not support.sentence_support(claim, [evidence], scorer=scorer).supported for evidence, claim in pairs]

    flipped = [(evidence, text) for evidence, _, text in altered]
    with_reading, without = rejected(flipped, True), rejected(flipped, False)
    reworded_with, reworded_without = rejected(reworded, True), rejected(reworded, False)
    scorer.save()
    share = lambda flags: sum(flags) / len(flags) if flags else float("nan")  # noqa: E731
    start = time.perf_counter()
    for evidence, _, text in altered:
        support.direction_conflicts(text, [evidence])
    reading_us = (time.perf_counter() - start) / max(1, len(altered)) * 1e6
    caught = [a for a, w, wo in zip(altered, with_reading, without) if w and not wo]
    missed = [a for a, w in zip(altered, with_reading) if not w]
    lines = [
        "## Directions the key-term veto cannot see",
        "",
        f"`python -m bench.contradictions` (second section): {len(altered)} sentences of the PubMedQA-L abstracts that "
        "state both directions of an amount, one direction word flipped to its opposite where the sentence already holds "
        "a word of the opposite's direction (so the key-term veto passes every altered claim; `bench.data.direction_flips`), "
        f"each judged against the original sentence; and {len(reworded)} faithful rewordings of the same sentences (one "
        f"word replaced by a synonym). {machine}; {time.time() - began:.0f} s. The direction reading (d) takes "
        f"{reading_us:.0f} µs a claim.",
        "",
        "| support check | flipped: rejected | rewordings: accepted |",
        "|---|---:|---:|",
        f"| without the direction reading (d) | {share(without):.3f} | {1 - share(reworded_without):.3f} |",
        f"| shipped, with (d) | {share(with_reading):.3f} | {1 - share(reworded_with):.3f} |",
        "",
        "Caught by (d) alone, the first three:",
        "",
        *[f"- {change}: {text[:160]}" for _, change, text in caught[:3]],
        "",
        "Still let through, the first three:",
        "",
        *[f"- {change}: {text[:160]}" for _, change, text in missed[:3]],
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
