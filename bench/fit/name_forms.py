"""Build the table of a proper name's other forms that the key-term veto reads: `python -m bench.fit.name_forms`.

What it does: reads WordNet 3.0's database files (Debian's `wordnet-base` puts them in
/usr/share/wordnet; `--wordnet DIR` for another copy) and links each capitalised lemma to the
capitalised lemmas that name the same thing: the other lemmas of its synset ("Olympics" /
"Olympic Games", "United States" / "America" / "USA"), and, through WordNet's word-to-word
pointers, a pertainym or derivationally related form ("Libyan" -> "Libya", "English" ->
"England") together with that form's synset-mates ("American" -> "America" -> "United States").
Writes `qa/eval/name_forms.json` (`qa.eval.name_forms` reads it): each form, lower-cased unless it
is written in capitals only ("US", "UK": the lower-case "us" is a pronoun), mapped to its other
forms. The run needs WordNet; the project does not: the table ships.
What it does not: inflect ("Normans" is not "Norman"), read lower-case lemmas (a common noun is no
name), or follow more than one pointer: "Nazism" is not linked to "Nazi" by WordNet, so not here.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from bench.fit.wordnet import PACKAGE_DIR, read_synsets, require

OUT = Path(__file__).resolve().parents[2] / "qa" / "eval" / "name_forms.json"
PARTS = {"n": "noun", "a": "adj"}
LINKS = {"\\", "+"}  # pertainym ("Libyan" -> "Libya"), derivationally related form
MAX_WORDS = 5  # a longer lemma ("Socialist People's Libyan Arab Jamahiriya") is never quoted by a claim
MIN_LETTERS = 2
NAME_JOINERS = {"of", "the", "and", "de"}  # lower-case words inside a name: "Bank of England", "Charles de Gaulle"


def is_name(lemma: str) -> bool:
    """A lemma every word of which opens with a capital, of at most `MAX_WORDS` words ("New York", "USA")."""
    words = lemma.replace("-", " ").split()
    return (
        0 < len(words) <= MAX_WORDS
        and all(word[0].isupper() or word in NAME_JOINERS for word in words)
        and sum(char.isalpha() for char in lemma) >= MIN_LETTERS
    )


def key(lemma: str) -> str:
    """How a form is matched: lower-cased, unless written in capitals only."""
    letters = [char for char in lemma if char.isalpha()]
    return lemma if all(char.isupper() for char in letters) else lemma.lower()


def name_forms(root: Path) -> dict[str, list[str]]:
    """Each name form -> its other forms (see the module docstring), sorted."""
    synsets = read_synsets(root, PARTS, LINKS)
    table = {synset: ([lemma.replace("_", " ") for lemma in lemmas], pointers) for synset, (lemmas, pointers) in synsets.items()}
    linked: dict[str, set[str]] = defaultdict(set)

    def link(group: list[str]) -> None:
        for lemma in group:
            linked[key(lemma)].update(key(other) for other in group if key(other) != key(lemma))

    for lemmas, pointers in table.values():
        names = [lemma for lemma in lemmas if is_name(lemma)]
        link(names)
        for target_pos, target, source, goal in pointers:
            other = table.get((target_pos, target))
            if not other or source > len(lemmas) or goal > len(other[0]):
                continue
            here, there = lemmas[source - 1], other[0][goal - 1]
            if is_name(here) and is_name(there):
                # The pointed-to form and every name of its synset: "American" -> "America", "United States".
                link([here, there])
                for mate in other[0]:
                    if is_name(mate):
                        link([here, mate])
    return {form: sorted(others) for form, others in sorted(linked.items()) if others}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=PACKAGE_DIR)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    require(args.wordnet, parser)
    forms = name_forms(args.wordnet)
    args.out.write_text(json.dumps(forms, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"{len(forms)} name forms -> {args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
