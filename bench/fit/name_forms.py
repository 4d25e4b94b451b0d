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
import re
from collections import defaultdict
from pathlib import Path

PACKAGE_DIR = Path("/usr/share/wordnet")
OUT = Path(__file__).resolve().parents[2] / "qa" / "eval" / "name_forms.json"
FILES = {"n": "noun", "a": "adj"}
LINKS = {"\\", "+"}  # pertainym ("Libyan" -> "Libya"), derivationally related form
MAX_WORDS = 5  # a longer lemma ("Socialist People's Libyan Arab Jamahiriya") is never quoted by a claim
MIN_LETTERS = 2


def read_synsets(root: Path) -> dict[tuple[str, int], tuple[list[str], list[tuple[str, int, int, int]]]]:
    """(pos, offset) -> (its lemmas as written, its word-to-word pointers (pos, offset, source word, target word))."""
    found = {}
    for pos, name in FILES.items():
        for line in (root / f"data.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):  # the licence header
                continue
            fields = line.split(" | ")[0].split()
            offset, count = int(fields[0]), int(fields[3], 16)
            lemmas = [re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).replace("_", " ") for i in range(count)]
            at = 4 + 2 * count
            pointers = []
            for i in range(int(fields[at])):
                symbol, target, target_pos, source_target = fields[at + 1 + 4 * i : at + 5 + 4 * i]
                source, goal = int(source_target[:2], 16), int(source_target[2:], 16)
                if symbol in LINKS and source and goal:
                    pointers.append(("a" if target_pos == "s" else target_pos, int(target), source, goal))
            found[(pos, offset)] = (lemmas, pointers)
    return found


def is_name(lemma: str) -> bool:
    """A lemma every word of which opens with a capital, of at most `MAX_WORDS` words ("New York", "USA")."""
    words = lemma.replace("-", " ").split()
    return (
        0 < len(words) <= MAX_WORDS
        and all(word[0].isupper() or word in {"of", "the", "and", "de"} for word in words)
        and sum(char.isalpha() for char in lemma) >= MIN_LETTERS
    )


def key(lemma: str) -> str:
    """How a form is matched: lower-cased, unless written in capitals only."""
    letters = [char for char in lemma if char.isalpha()]
    return lemma if all(char.isupper() for char in letters) else lemma.lower()


def name_forms(root: Path) -> dict[str, list[str]]:
    """Each name form -> its other forms (see the module docstring), sorted."""
    table = read_synsets(root)
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=PACKAGE_DIR)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    forms = name_forms(args.wordnet)
    args.out.write_text(json.dumps(forms, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"{len(forms)} name forms -> {args.out} ({args.out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
