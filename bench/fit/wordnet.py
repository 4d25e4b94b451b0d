"""WordNet 3.0's database files, read for the tables the support check ships (`bench.fit.antonyms`, `bench.fit.name_forms`).

What it does: `read_synsets(root, parts, symbols)` reads `data.noun`, `data.adj`, ... (Debian's
`wordnet-base` puts them in /usr/share/wordnet) into (part of speech, offset) -> (the synset's
lemmas as written, "Olympic_Games", and its word-to-word pointers of the given symbols: "!"
antonym, "\\" pertainym, "+" derivation). A satellite adjective's pointer target is read as an
adjective. `require(root, parser)` stops a script with a clear message when the files are missing.
What it does not: read WordNet's index or exception files, or build a table (the scripts do).
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE_DIR = Path("/usr/share/wordnet")
PARTS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}

Pointer = tuple[str, int, int, int]  # target part of speech, target offset, source word, target word (1-based)


def read_synsets(root: Path, parts: dict[str, str], symbols: set[str]) -> dict[tuple[str, int], tuple[list[str], list[Pointer]]]:
    """(pos, offset) -> (its lemmas as written, its word-to-word pointers whose symbol is in `symbols`)."""
    found = {}
    for pos, name in parts.items():
        for line in (root / f"data.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):  # the licence header
                continue
            fields = line.split(" | ")[0].split()
            offset, count = int(fields[0]), int(fields[3], 16)
            lemmas = [re.sub(r"\(.*\)$", "", fields[4 + 2 * i]) for i in range(count)]
            at = 4 + 2 * count
            pointers = []
            for i in range(int(fields[at])):
                symbol, target, target_pos, source_target = fields[at + 1 + 4 * i : at + 5 + 4 * i]
                source, goal = int(source_target[:2], 16), int(source_target[2:], 16)
                if symbol in symbols and source and goal:
                    pointers.append(("a" if target_pos == "s" else target_pos, int(target), source, goal))
            found[(pos, offset)] = (lemmas, pointers)
    return found


def require(root: Path, parser) -> None:
    """Stop with a clear message (argparse's `error`) when `root` holds no WordNet database."""
    if not (root / "data.adj").exists():
        parser.error(f"no WordNet database in {root}: install Debian's wordnet-base, or pass --wordnet DIR")
