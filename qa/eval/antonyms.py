"""WordNet's opposites, in the inflected forms a claim uses: the table `qa/eval/antonyms.json`.

What it does: `lemmas_of(word)` gives the lemmas of a form that has an opposite ("won" -> {"win",
"won"}), `opposites_of(word)` the lemmas opposite to it ("won" -> {"lose", "lost"}). The table is
built from WordNet 3.0's lexical antonyms by `python -m bench.fit.antonyms` and loaded once, with
the opposite prepositions of time and place that WordNet, which has no prepositions, lacks
(`PREPOSITIONS`: "before"/"after", "over"/"under"; a closed class of the grammar).
What it does not: tell senses apart, or read a claim (`qa.eval.opposite_words`, `qa.eval.comparisons`
do).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("antonyms.json")
PREPOSITIONS = {"before": "after", "after": "before", "over": "under", "under": "over"}


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(form -> its lemmas, lemma -> its opposites), loaded once."""
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    forms = {form: frozenset(lemmas) for form, lemmas in data["forms"].items()}
    antonyms = {lemma: frozenset(others) for lemma, others in data["antonyms"].items()}
    for word, opposite in PREPOSITIONS.items():
        forms[word] = forms.get(word, frozenset()) | {word}
        antonyms[word] = antonyms.get(word, frozenset()) | {opposite}
    return forms, antonyms


def lemmas_of(word: str) -> frozenset[str]:
    """The lemmas of a form that has an opposite ("won" -> {"win", "won"}); empty for any other word."""
    return _table()[0].get(word, frozenset())


def opposites_of(word: str) -> frozenset[str]:
    """The lemmas opposite to a form's ("won" -> {"lose", "lost"})."""
    forms, antonyms = _table()
    lemmas = forms.get(word, frozenset())
    return frozenset().union(*(antonyms.get(lemma, frozenset()) for lemma in lemmas)) - lemmas
