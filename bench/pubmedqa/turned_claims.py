"""PubMedQA-L sentences turned round past the key-term veto: the second section of `python -m bench.contradictions`.

What it does: `turned_claims_section(scorer, machine)` judges, with the shipped support check and
again without its readings of a claim turned round (tests (d)-(k), `qa.eval.support.OPPOSITE_READINGS`),
claims made from the sentences of the PubMedQA-L abstracts, each against its own sentence:
- *flipped directions*: one direction word flipped where the sentence already holds a word of the
  opposite's direction, so the key-term veto passes it (`bench.data.direction_flips`): must fail;
- *swapped comparisons*: the two sides of a comparison exchanged (`bench.data.comparison_swaps`):
  must fail;
- *turned comparisons*: the sides exchanged and the direction flipped, the same claim said from the
  other side: must pass unless the key-term veto fails it (its flipped word may be absent from the
  sentence), so the share is given beside the check without the readings;
- *hedges made certain*: a hedge of the sentence ("may", "suggests") made a certainty ("must",
  "proves"; `bench.data.opposites.alterations`, family `modality`): must fail;
- *rewordings*: one word replaced by a synonym (`bench.data.opposites.rewordings`): must pass.
It returns the section's text; the time each reading takes a claim is measured on the flips.
What it does not: read the human labels (the first section does), or write anything.
"""

from __future__ import annotations

import time
from unittest import mock

FLIPS = 300  # at most this many flipped sentences (PubMedQA-L holds about 150)
SWAPS = 400  # at most this many swapped comparisons
HEDGES = 300  # at most this many hedges made certain


def materials(limit_flips: int = FLIPS, limit_swaps: int = SWAPS) -> dict[str, list[tuple[str, str, str]]]:
    """Material name -> (evidence sentence, what changed, claim)."""
    from bench.data.comparison_swaps import swaps
    from bench.data.direction_flips import abstract_sentences, flips
    from bench.data.opposites import alterations, rewordings

    found: dict[str, list[tuple[str, str, str]]] = {"flipped": [], "swapped": [], "turned": [], "hedged": [], "reworded": []}
    for sentence in abstract_sentences():
        modal = [a for a in alterations(sentence) if a.family == "modality"][:1] if len(found["hedged"]) < HEDGES else []
        found["hedged"] += [(sentence, f"{a.before} -> {a.after}", a.text) for a in modal]
        for before, after, text in flips(sentence)[:1] if len(found["flipped"]) < limit_flips else ():
            found["flipped"].append((sentence, f"{before} -> {after}", text))
            found["reworded"] += [(sentence, f"{a.before} -> {a.after}", a.text) for a in rewordings(sentence)[:1]]
        for swapped, turned in swaps(sentence) if len(found["swapped"]) < limit_swaps else ():
            found["swapped"].append((sentence, "sides swapped", swapped))
            found["turned"].append((sentence, "sides swapped, direction turned", turned))
    return found


def turned_claims_section(scorer, machine: str) -> str:
    from qa.eval import support

    began = time.time()
    found = materials()

    def rejected(items, readings) -> list[bool]:
        with mock.patch.object(support, "OPPOSITE_READINGS", readings):
            return [not support.sentence_support(claim, [evidence], scorer=scorer).supported for evidence, _, claim in items]

    verdicts = {name: (rejected(items, ()), rejected(items, support.OPPOSITE_READINGS)) for name, items in found.items()}
    scorer.save()
    timings = []
    for read in support.OPPOSITE_READINGS:
        start = time.perf_counter()
        for evidence, _, claim in found["flipped"] + found["swapped"]:
            read(claim, [evidence])
        timings.append(f"{read.__name__} {(time.perf_counter() - start) / max(1, len(found['flipped']) + len(found['swapped'])) * 1e6:.0f} µs")
    share = lambda flags: sum(flags) / len(flags) if flags else float("nan")  # noqa: E731
    rows = [("flipped directions", "flipped", "rejected", True), ("swapped comparisons", "swapped", "rejected", True),
            ("turned comparisons (the same claim)", "turned", "accepted", False), ("hedges made certain", "hedged", "rejected", True),
            ("rewordings (a synonym)", "reworded", "accepted", False)]  # fmt: skip
    lines = [
        "## Claims turned round that the key-term veto cannot see",
        "",
        "`python -m bench.contradictions` (second section): claims made from sentences of the PubMedQA-L abstracts, each "
        "judged against its own sentence by the support check without and with its readings of a claim turned round "
        "(tests (d)-(k): `qa.eval.direction_conflicts`, `qa.eval.comparisons`, `qa.eval.opposite_words`, "
        "`qa.eval.negated_words`, `qa.eval.swapped_roles`, `qa.eval.hedges`, `qa.eval.quantifiers`). Flipped directions: one direction word "
        "flipped where the sentence already holds a word of the opposite's direction, so the key-term veto passes it "
        "(`bench.data.direction_flips`); swapped comparisons: the two sides of a comparison exchanged; turned "
        "comparisons: exchanged and the direction flipped, the same claim from the other side "
        "(`bench.data.comparison_swaps`); hedges made certain: the sentence's first hedge made a certainty (\"may\" -> "
        "\"must\", \"suggests\" -> \"proves\"); rewordings: one word replaced by "
        f"a synonym. {machine}; {time.time() - began:.0f} s.",
        "",
        "| claims | n | should be | without (d)-(k) | shipped, with (d)-(k) |",
        "|---|---:|---|---:|---:|",
    ]
    for label, name, should, reject in rows:
        without, with_readings = verdicts[name]
        value = (lambda flags: share(flags)) if reject else (lambda flags: 1 - share(flags))
        lines.append(f"| {label} | {len(found[name])} | {should} | {value(without):.3f} | {value(with_readings):.3f} |")
    lines += ["", "Time per claim of each reading (flipped and swapped claims): " + ", ".join(timings) + ".", ""]
    caught = [item for item, w, wo in zip(found["swapped"], verdicts["swapped"][1], verdicts["swapped"][0]) if w and not wo]
    missed = [item for item, w in zip(found["flipped"] + found["swapped"], verdicts["flipped"][1] + verdicts["swapped"][1]) if not w]
    lines += ["Swapped comparisons caught by the readings alone, the first three:", ""]
    lines += [f"- {claim[:160]}" for _, _, claim in caught[:3]]
    lines += ["", "Still let through, the first three:", ""]
    lines += [f"- {change}: {claim[:160]}" for _, change, claim in missed[:3]]
    return "\n".join(lines)
