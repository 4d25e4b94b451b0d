"""A word the claim negates where its evidence affirms it, or affirms where its evidence negates it: "was not published" against "was published".

What it does: `negation_conflicts(claim, evidence)` reads, for each content word of the claim, whether
it is negated - the first content word within `NEGATED_WITHIN` after a negation ("not", "no",
"never", "n't", ...: `qa.eval.key_terms.DIRECTION_WORDS`' negation class, or a word of failing:
"failed to reduce" is "did not reduce") - and the same for each time the evidence sentences say
that word in the same place (matched by its first `STEM` letters, sharing one of its nearest content
words before or after it: `qa.eval.word_places.place_of`). Where the evidence says the word and
only ever the other way, the two phrases are returned side by side: ("not published", "was
published"). A word said both ways in the
evidence is not read: the claim may mean either.
The key-term veto asks only that a claim's negation appears somewhere in the passage; this reads
which word it negates.
What it does not: read negative words without a negation ("absent", "lack": WordNet's opposites,
`qa.eval.opposite_words`), a negation's scope beyond a few words, double negation, or decide
support (`qa.eval.support` does).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.eval.key_terms import DIRECTION_WORDS
from qa.eval.word_places import STEM, joined, place_of, words_of
from qa.text.bm25 import STOP_WORDS

NEGATED_WITHIN = 3  # a negation this many words before a word negates it


def _negator(word: str) -> bool:
    return DIRECTION_WORDS.get(word) in ("NEGATION", "fail") or word.endswith("n't")


def _content(word: str) -> bool:
    return word not in STOP_WORDS and len(word) > 2 and not _negator(word) and word not in DIRECTION_WORDS


def _readings(words: Sequence[str]) -> list[tuple[str, bool, bool, int]]:
    """(stem, negated, near a negation, position) for each content word of `words`. Negated: the
    first content word within `NEGATED_WITHIN` after a negation ("did not start the race": "start");
    near one: any word in those `NEGATED_WITHIN` ("race" too, which "no written rule" needs)."""
    negated_at, near = set(), set()
    for i, word in enumerate(words):
        if _negator(word):
            reach = range(i + 1, min(len(words), i + 1 + NEGATED_WITHIN))
            near.update(reach)
            after = next((j for j in reach if _content(words[j])), None)
            if after is not None:
                negated_at.add(after)
    return [(word[:STEM], i in negated_at, i in near, i) for i, word in enumerate(words) if _content(word)]


def _phrase(words: Sequence[str], i: int) -> str:
    """The word at `i` from the negation before it, or from the word before it."""
    start = next((j for j in range(max(0, i - NEGATED_WITHIN), i) if _negator(words[j])), max(0, i - 1))
    return joined(words[start : i + 1])


def _may_say(sentence: str, starts: re.Pattern) -> bool:
    """Whether `sentence` may hold a word that `starts` (the claim's stems at a word's start): one
    regular-expression search spares reading a long page word by word (the support check gives
    this reading every sentence of its passages). A sentence with letters beyond ASCII is always
    read: folding may change them."""
    return not sentence.isascii() or bool(starts.search(sentence.lower()))


def negation_conflicts(claim: str, evidence: Sequence[str]) -> list[tuple[str, str]]:
    """(claim phrase, evidence phrase) for each word of `claim` that the evidence says only with the
    other polarity; empty when none."""
    said = words_of(claim)
    claim_readings = _readings(said)
    starts = re.compile(r"\b(?:" + "|".join(sorted({re.escape(stem) for stem, *_ in claim_readings})) + ")")
    evidence = [sentence for sentence in evidence if _may_say(sentence, starts)]
    if not any(_negator(w) for w in said) and not any(
        _negator(w) for sentence in evidence for w in words_of(sentence)
    ):  # no negation on either side: nothing to read
        return []
    read = [(words, _readings(words)) for words in (words_of(sentence) for sentence in evidence)]
    conflicts, seen = [], set()
    # Each side is read toward agreement: a claim's word is negated only as the first word after
    # its negation and affirmed only far from any; the evidence may negate it anywhere near one.
    for stem, negated, near, i in claim_readings:
        if stem in seen or (near and not negated):
            continue
        seen.add(stem)
        place = place_of(said, i)
        ways = [
            (n, close, words, j)
            for words, readings in read
            for s, n, close, j in readings
            if s == stem and place_of(words, j) & place
        ]
        if not ways:
            continue
        if negated and not any(close for _, close, _, _ in ways) or not negated and all(n for n, _, _, _ in ways):
            _, _, words, j = ways[0]
            conflicts.append((_phrase(said, i), _phrase(words, j)))
    return conflicts
