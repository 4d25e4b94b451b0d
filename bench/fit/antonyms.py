"""Build the table of opposite words the support check reads: `python -m bench.fit.antonyms`.

What it does: reads WordNet 3.0's lexical antonym pointers ("!") from its database files (Debian's
`wordnet-base` package puts them in /usr/share/wordnet; `--wordnet DIR` for another copy), keeps
the pairs of one-word lemmas ("increase"/"decrease", "northern"/"southern", "win"/"lose"), gives
each lemma its inflected forms (WordNet's own exception lists for the irregular ones: "won",
"better"; English rules for the rest: "increased", "larger", "ladies") where pyspellchecker's
English table knows the form, and writes `qa/eval/antonyms.json` (`qa.eval.opposite_words` reads
it): `forms` maps each form to its lemmas, `antonyms` each lemma to its opposites. The run needs
WordNet; the project does not: the table ships.
What it does not: read WordNet's similarity clusters (indirect antonyms), its phrases
("go_up"), or any sense distinction: an opposite of any sense counts, and the support check asks
that the two words stand in the same place of claim and evidence before it reads them as opposed.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

from bench.fit.wordnet import PACKAGE_DIR, PARTS, read_synsets, require

OUT = Path(__file__).resolve().parents[2] / "qa" / "eval" / "antonyms.json"
LEMMA = re.compile(r"^[a-z]{2,}(?:-[a-z]+)?$")
VOWELS = "aeiou"


def antonym_pairs(root: Path) -> dict[str, dict[str, set[str]]]:
    """pos -> lemma -> its antonyms, one-word lemmas only."""
    synsets = read_synsets(root, PARTS, {"!"})
    table = {synset: ([lemma.lower() for lemma in lemmas], pointers) for synset, (lemmas, pointers) in synsets.items()}
    pairs: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for (pos, _), (words, pointers) in table.items():
        for target_pos, target, source, goal in pointers:
            other = table.get((target_pos, target))
            if not other or not source or not goal:
                continue
            a, b = words[source - 1], other[0][goal - 1]
            if LEMMA.match(a) and LEMMA.match(b) and a != b:
                pairs[pos][a].add(b)
                pairs[target_pos][b].add(a)
    return pairs


def exceptions(root: Path) -> dict[str, dict[str, set[str]]]:
    """pos -> lemma -> its irregular forms, from WordNet's exception lists ("win" -> "won")."""
    forms: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for pos, name in PARTS.items():
        path = root / f"{name}.exc"
        for line in path.read_text(encoding="latin-1").splitlines() if path.exists() else []:
            inflected, *lemmas = line.split()
            for lemma in lemmas:
                forms[pos][lemma].add(inflected)
    return forms


def _doubled(word: str) -> str:
    """The stem with its last consonant doubled ("stop" -> "stopp", "big" -> "bigg") where English does."""
    if len(word) >= 3 and word[-1] not in VOWELS + "wxy" and word[-2] in VOWELS and word[-3] not in VOWELS:
        return word + word[-1]
    return word


def regular_forms(lemma: str, pos: str) -> set[str]:
    """Candidate regular inflections of `lemma` (some are not words: the English table filters them)."""
    forms = {lemma}
    y_stem = lemma[:-1] + "i" if lemma.endswith("y") and lemma[-2:-1] not in VOWELS else None
    plural = {lemma + "es"} if lemma.endswith(("s", "x", "z", "ch", "sh")) else {lemma + "s"}
    if y_stem:
        plural = {y_stem + "es"}
    if pos in ("n", "v"):
        forms |= plural
    if pos == "v":
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms |= {stem + "ed", stem + "ing", _doubled(lemma) + "ed", _doubled(lemma) + "ing"}
        if lemma.endswith("e"):
            forms |= {lemma + "d"}
        if y_stem:
            forms |= {y_stem + "ed"}
    if pos == "a":
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms |= {stem + "er", stem + "est", _doubled(lemma) + "er", _doubled(lemma) + "est"}
        if y_stem:
            forms |= {y_stem + "er", y_stem + "est"}
    return forms


def build(root: Path) -> dict:
    """The table `qa.eval.opposite_words` reads: {"forms": form -> lemmas, "antonyms": lemma -> lemmas}."""
    from spellchecker import SpellChecker

    known = SpellChecker().word_frequency.dictionary
    pairs, irregular = antonym_pairs(root), exceptions(root)
    forms: dict[str, set[str]] = defaultdict(set)
    antonyms: dict[str, set[str]] = defaultdict(set)
    for pos, lemmas in pairs.items():
        for lemma, opposites in lemmas.items():
            antonyms[lemma] |= opposites
            for form in regular_forms(lemma, pos) | irregular[pos][lemma]:
                if form == lemma or form in known:
                    forms[form].add(lemma)
    return {
        "source": "WordNet 3.0 lexical antonyms (Princeton University, WordNet licence); built by python -m bench.fit.antonyms",
        "forms": {form: sorted(lemmas) for form, lemmas in sorted(forms.items())},
        "antonyms": {lemma: sorted(others) for lemma, others in sorted(antonyms.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fit.antonyms", description=__doc__.split("\n")[0])
    parser.add_argument("--wordnet", type=Path, default=PACKAGE_DIR, help=f"WordNet's dict folder (default {PACKAGE_DIR})")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    require(args.wordnet, parser)
    table = build(args.wordnet)
    args.out.write_text(json.dumps(table, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8")
    print(f"{len(table['antonyms'])} lemmas with an opposite, {len(table['forms'])} forms -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
