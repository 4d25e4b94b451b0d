"""Wording invariance: `python -m bench.wording [--per-set N] [--set FIELD=VALUE ...]`.

What it does: takes the first N kept-out single-turn questions of squad2 and medquad (N each;
answerable and not, as the files' shuffled order gives them) and asks each three ways on its
set's index: as written; lower-cased without its closing question mark; and with one typo (two
adjacent letters swapped inside one word of at least `TYPO_MIN_LETTERS` letters, the word and
place drawn with a fixed seed from the case id). It reports how often each variant gets the same
decision (answer or refuse) and the same first citation (document and sentence) as the question
as written, and the false refusals of each form on the answerable questions. Writes the
`wording` section of RELIABILITY.md and every case to `.bench-index/wording.jsonl`.
What it does not: fit anything, or test follow-ups (their wording is the conversation's too).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import time

from bench.data.devsets import CACHE, index_for, load_set, select
from bench.suite import parse_overrides

SETS = ("squad2", "medquad")
TYPO_MIN_LETTERS = 6
WORD = re.compile(r"[A-Za-z]+")


def lower_without_mark(question: str) -> str:
    """The question in lower case, its closing question mark dropped."""
    return question.strip().rstrip("?").rstrip().lower()


def with_typo(question: str, seed: str) -> str | None:
    """One adjacent-letter swap inside a long word (never its first letter); None when no word is long enough."""
    words = [m for m in WORD.finditer(question) if len(m.group(0)) >= TYPO_MIN_LETTERS]
    candidates = []
    for match in words:
        word = match.group(0)
        places = [i for i in range(1, len(word) - 1) if word[i] != word[i + 1]]
        candidates += [(match, i) for i in places]
    if not candidates:
        return None
    match, i = random.Random(seed).choice(candidates)
    word = match.group(0)
    swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return question[: match.start()] + swapped + question[match.end() :]


def first_citation(answer) -> tuple | None:
    if answer.refused or not answer.citations:
        return None
    citation = answer.citations[0]
    return (citation.source, citation.start)


def main(argv: list[str] | None = None) -> int:
    from tqdm import tqdm

    from bench.report import RELIABILITY, machine_line, write_section
    from qa import ask

    parser = argparse.ArgumentParser(prog="python -m bench.wording", description=__doc__.split("\n")[0])
    parser.add_argument("--per-set", type=int, default=100, help="kept-out questions of each set (default 100)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="FIELD=VALUE")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    overrides = parse_overrides(args.overrides)
    began = time.time()
    rows = []
    for name in SETS:
        index = index_for(name)
        cases = [c for c in select(load_set(name), "kept") if len(c.turns) == 1][: args.per_set]
        for case in tqdm(cases, desc=f"wording {name}", unit="case"):
            seed = hashlib.sha1(case.id.encode()).hexdigest()
            forms = {"as written": case.question, "lower, no mark": lower_without_mark(case.question),
                     "one typo": with_typo(case.question, seed)}
            row = {"set": name, "id": case.id, "answerable": case.answerable}
            for form, question in forms.items():
                if question is None:
                    continue
                answer = ask(question, [], index=index, **overrides)
                row[form] = {"question": question, "refused": bool(answer.refused), "first": first_citation(answer)}
            rows.append(row)
    CACHE.mkdir(exist_ok=True)
    with (CACHE / "wording.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")

    def same(form: str, subset) -> tuple[float, int]:
        pairs = [(r["as written"], r[form]) for r in subset if form in r]
        agree = [a["refused"] == b["refused"] and a["first"] == b["first"] for a, b in pairs]
        return (sum(agree) / len(agree) if agree else float("nan")), len(agree)

    def false_refusal(form: str, subset) -> float:
        answerable = [r for r in subset if r["answerable"] and form in r and "one typo" in r]
        return sum(r[form]["refused"] for r in answerable) / len(answerable) if answerable else float("nan")

    lines = [
        "## Wording invariance",
        "",
        f"`python -m bench.wording --per-set {args.per_set}"
        + "".join(f" --set {item}" for item in args.overrides)
        + f"`: the first {args.per_set} kept-out single-turn questions of "
        f"{' and '.join(SETS)}, each asked as written, lower-cased without its question mark, and with two adjacent "
        f"letters swapped in one word of {TYPO_MIN_LETTERS}+ letters. Same = same decision and same first citation "
        f"as written. False refusal on the answerable questions that have a typo form. {machine_line()}; "
        f"{time.time() - began:.0f} s.",
        "",
        "| questions | cases | same, lower/no mark | same, one typo | false_refusal as written | false_refusal, one typo |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, subset in [*((name, [r for r in rows if r["set"] == name]) for name in SETS), ("all", rows)]:
        lower, count = same("lower, no mark", subset)
        typo, _ = same("one typo", subset)
        lines.append(f"| {label} | {count} | {lower:.3f} | {typo:.3f} | "
                     f"{false_refusal('as written', subset):.3f} | {false_refusal('one typo', subset):.3f} |")
    print("\n".join(lines))
    if not args.no_write:
        write_section("wording", "\n".join(lines), path=RELIABILITY)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
