"""A proper name's other forms, from WordNet: the table `qa/eval/name_forms.json`.

What it does: `other_name_words(text)` counts, for each name of `text` that WordNet links to other
forms ("Libya" -> "Libyan", "American" -> "United States", "Olympic Games" -> "Olympics"), the
words of those forms, lower-cased: the words the key-term veto may count as said when a claim
names the thing another way ("the 2011 Libyan civil war" against a page on "Libya"). The table is
built from WordNet 3.0 by `python -m bench.fit.name_forms` and loaded once; a form written in
capitals only ("US") matches only so written ("us" is a pronoun).
What it does not: inflect a name, read lower-case words, or decide anything (`qa.eval.term_veto` does).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("name_forms.json")
WORD = re.compile(r"[^\W\d_][^\W_]*")  # the key terms' words (`qa.eval.key_terms.WORD`)


def _phrase_key(words: list[str]) -> tuple[str, ...]:
    """How a run of words is looked up: as written when every letter is a capital, else lower-cased."""
    return tuple(words) if all(word.isupper() for word in words) else tuple(word.lower() for word in words)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[tuple[str, ...], frozenset[str]], int]:
    """(a form's words -> the words of its other forms, the longest form in words), loaded once."""
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    table = {}
    for form, others in data.items():
        words = frozenset(word.lower() for other in others for word in WORD.findall(other))
        table[_phrase_key(WORD.findall(form))] = words
    return table, max(len(key) for key in table)


@lru_cache(maxsize=4096)
def other_name_words(text: str) -> Counter:
    """The words of the other forms of every name in `text` that the table knows, each counted
    once per name that brings it ("Libya and Libya's people" -> {"libyan": 2, ...}); a name is the
    longest known form at its place."""
    table, longest = _table()
    words = WORD.findall(text)
    found: Counter = Counter()
    start = 0
    while start < len(words):
        # The longest form opening here: "Olympic Games" once, not also its "Olympic".
        for length in range(min(longest, len(words) - start), 0, -1) if words[start][0].isupper() else ():
            others = table.get(_phrase_key(words[start : start + length]))
            if others:
                found.update(others)
                start += length
                break
        else:
            start += 1
    return found
