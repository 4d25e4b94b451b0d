"""A proper name's other forms, from WordNet: the table `qa/eval/name_forms.json`.

What it does: `other_form_words(claim, text)` counts the words of each name of `claim` that `text`
states in another form WordNet links to it ("the 2011 Libyan civil war" against a page on
"Libya": "libyan"; "the United States National Film Registry" against "American": "united",
"states"), so the key-term veto may count them as said. A name is the longest form the table
knows at a capitalised word; in `text` the other form must be written with a capital too, and a
form in capitals only ("US") only so ("us" is a pronoun). The table is built from WordNet 3.0 by
`python -m bench.fit.name_forms` and loaded once.
What it does not: inflect a name, read lower-case words, let a passage's name stand for anything
but a name of the claim (a surname is no first name), or decide anything (`qa.eval.term_veto` does).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("name_forms.json")
WORD = re.compile(r"[^\W\d_][^\W_]*")  # the key terms' words (`qa.eval.key_terms.WORD`)

Phrase = tuple[str, ...]


def _phrase_key(words: list[str] | tuple[str, ...]) -> Phrase:
    """How a run of words is looked up: as written when every letter is a capital, else lower-cased."""
    return tuple(words) if all(word.isupper() for word in words) else tuple(word.lower() for word in words)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[Phrase, frozenset[Phrase]], int]:
    """(a form -> its other forms, the longest form in words), loaded once."""
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    table = {
        _phrase_key(WORD.findall(form)): frozenset(_phrase_key(WORD.findall(other)) for other in others)
        for form, others in data.items()
    }
    return table, max(len(form) for form in table)


def _forms_at(words: list[str], start: int) -> list[Phrase]:
    """The table's forms that open at `words[start]`, longest first; none unless it is capitalised."""
    table, longest = _table()
    if not words[start][0].isupper():
        return []
    runs = (_phrase_key(words[start : start + n]) for n in range(min(longest, len(words) - start), 0, -1))
    return [run for run in runs if run in table]


@lru_cache(maxsize=4096)
def _stated_forms(text: str) -> tuple[frozenset[Phrase], ...]:
    """The forms of the table that `text` states, one set for each place that opens any."""
    words = WORD.findall(text)
    return tuple(frozenset(forms) for forms in (_forms_at(words, start) for start in range(len(words))) if forms)


@lru_cache(maxsize=1024)  # the veto asks it again for each sentence of the passages
def _names(claim: str) -> tuple[Phrase, ...]:
    """The claim's names the table knows: the longest form at a place, the next looked for after it."""
    words = WORD.findall(claim)
    names, start = [], 0
    while start < len(words):
        forms = _forms_at(words, start)
        names += forms[:1]
        start += len(forms[0]) if forms else 1
    return tuple(names)


@lru_cache(maxsize=4096)
def other_form_words(claim: str, text: str) -> Counter:
    """The lower-cased words of each name of `claim` that `text` states in another of its forms,
    counted once for each place that does."""
    table, _ = _table()
    held: Counter = Counter()
    for name in _names(claim):
        times = sum(bool(table[name] & place) for place in _stated_forms(text))
        for word in name if times else ():
            held[word.lower()] += times
    return held
